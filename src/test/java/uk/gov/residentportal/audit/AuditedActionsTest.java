package uk.gov.residentportal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;

/**
 * Every audited action leaves its event, written in the action's own transaction: who (actor),
 * about whom (subject), what (record ids) and the request it came from.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditedActionsTest implements TestPropertyProvider {
  // A new address each run: the bootstrap administrator is whoever holds it.
  static final String ADMIN = Portal.newEmail();
  private static String adminId;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("portal.bootstrap-admin-email", ADMIN);
  }

  @Inject EmbeddedServer server;
  @Inject AuditVerifier verifier;

  private Portal portal;

  @BeforeEach
  void portal() {
    portal = new Portal(server.getURI());
  }

  /** The one event of {@code action} about {@code subject}. */
  private static Map<String, Object> onlyEvent(String subject, String action) {
    List<Map<String, Object>> events = AuditRows.about(subject, action);
    assertThat(events).as("%s events about %s", action, subject).hasSize(1);
    return events.get(0);
  }

  private static void assertActor(Map<String, Object> event, String type, String id) {
    assertThat(event).containsEntry("actor_type", type).containsEntry("actor_id", id);
    assertThat(event).containsEntry("outcome", "SUCCESS");
  }

  @Nested
  class Residents {
    @Test
    void aSignInIsAuditedWithTheAccountAsActorAndSubject() {
      String email = Portal.newEmail();
      String id = portal.signUpAndVerify(email);
      assertThat(AuditRows.about(id, "SIGN_IN")).isEmpty();

      portal.signIn(email);

      Map<String, Object> event = onlyEvent(id, "SIGN_IN");
      assertActor(event, "ACCOUNT", id);
      // The browser session's id: which sign-in it was.
      assertThat((String) event.get("record_ids")).hasSize(36);
      assertThat(((Number) event.get("occurred_at")).longValue())
          .isCloseTo(
              ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()),
              org.assertj.core.data.Offset.offset(60_000_000L));
    }

    @Test
    void aWrongPasswordSignsNobodyInAndIsNotASignIn() {
      String email = Portal.newEmail();
      String id = portal.signUpAndVerify(email);
      com.nimbusds.oauth2.sdk.pkce.CodeVerifier verifier =
          new com.nimbusds.oauth2.sdk.pkce.CodeVerifier();

      Portal.Response refused =
          portal.submitSignIn(
              portal.openSignIn(portal.authorizeParams(verifier, "s", "n"), verifier),
              email,
              "not the password at all 123");

      assertThat(refused.status()).isEqualTo(401);
      assertThat(AuditRows.about(id, "SIGN_IN")).isEmpty();
    }

    @Test
    void linkingAndUnlinkingAreAuditedWithTheLinkId() throws Exception {
      String email = Portal.newEmail();
      String id = portal.signUpAndVerify(email);
      String token = portal.signIn(email).accessToken();
      String reference =
          "4" + ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L);
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("subjectType", "COUNCIL_TAX_ACCOUNT");
      record.put("subjectRef", reference);
      record.put("subjectPostcode", "LE1 6ZG");
      record.put("category", "COUNCIL_TAX");
      record.put("title", "Council tax bill 2026/27");
      record.put("residentVisible", true);
      record.put(
          "updatedAt", Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS).toString());
      Portal.Response ingested =
          portal.json(
              "PUT",
              "/api/v1/systems/records/COUNCIL_TAX/R-" + UUID.randomUUID(),
              JSONObjectUtils.toJSONString(record),
              MachineTokens.tokenFor(portal, MachineTokens.COUNCIL_TAX_SYSTEM));
      assertThat(ingested.status()).as(ingested.body()).isIn(200, 201);

      Portal.Response linked =
          portal.json(
              "POST",
              "/api/v1/me/links",
              "{\"type\":\"COUNCIL_TAX\",\"reference\":\""
                  + reference
                  + "\",\"postcode\":\"LE1 6ZG\"}",
              token);
      assertThat(linked.status()).as(linked.body()).isEqualTo(201);
      String linkId = (String) linked.json().get("id");

      Map<String, Object> created = onlyEvent(id, "LINK_CREATED");
      assertActor(created, "ACCOUNT", id);
      assertThat(created).containsEntry("record_ids", linkId);
      assertThat(created.get("request_id")).isEqualTo(linked.header("x-request-id"));

      Portal.Response unlinked = portal.json("DELETE", "/api/v1/me/links/" + linkId, null, token);
      assertThat(unlinked.status()).as(unlinked.body()).isEqualTo(204);

      Map<String, Object> removed = onlyEvent(id, "LINK_REMOVED");
      assertActor(removed, "ACCOUNT", id);
      assertThat(removed).containsEntry("record_ids", linkId);
    }

    @Test
    void anExportIsAuditedWithItsRequestId() {
      String email = Portal.newEmail();
      String id = portal.signUpAndVerify(email);
      String token = portal.signIn(email).accessToken();

      Portal.Response export = portal.get("/api/v1/me/export", token);

      assertThat(export.status()).as(export.body()).isEqualTo(200);
      Map<String, Object> event = onlyEvent(id, "EXPORT");
      assertActor(event, "ACCOUNT", id);
      assertThat(event.get("request_id")).isNotNull().isEqualTo(export.header("x-request-id"));
    }

    @Test
    void anErasureIsAuditedWithTheAccountIdAsSubject_andARefusedOneIsNot() {
      String email = Portal.newEmail();
      String id = portal.signUpAndVerify(email);
      String token = portal.signIn(email).accessToken();

      Portal.Response wrong =
          portal.json(
              "DELETE", "/api/v1/me", "{\"password\":\"not my password at all 77\"}", token);
      assertThat(wrong.status()).isEqualTo(403);
      assertThat(AuditRows.about(id, "ERASURE")).isEmpty();

      Portal.Response erased =
          portal.json("DELETE", "/api/v1/me", "{\"password\":\"" + Portal.PASSWORD + "\"}", token);

      assertThat(erased.status()).as(erased.body()).isEqualTo(204);
      assertActor(onlyEvent(id, "ERASURE"), "ACCOUNT", id);
    }
  }

  @Nested
  class Administrators {
    private String adminToken;

    @BeforeEach
    void admin() {
      if (adminId == null) {
        adminId = portal.signUpAndVerify(ADMIN);
      }
      adminToken = portal.signIn(ADMIN).accessToken();
    }

    @Test
    void registeringChangingAndRemovingAClientAreAuditedWithTheAdministratorAsActor() {
      String clientId = "audited-" + System.nanoTime();
      Portal.Response created =
          portal.json(
              "POST",
              "/api/v1/admin/clients",
              "{\"clientId\":\""
                  + clientId
                  + "\",\"name\":\"Bin collections\",\"type\":\"PUBLIC\",\"redirectUris\":"
                  + "[\"https://bins.example.gov.uk/cb\"],\"scopes\":[\"openid\"]}",
              adminToken);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(
              portal
                  .json(
                      "PATCH",
                      "/api/v1/admin/clients/" + clientId,
                      "{\"name\":\"Bins\"}",
                      adminToken)
                  .status())
          .isEqualTo(200);
      assertThat(
              portal.json("DELETE", "/api/v1/admin/clients/" + clientId, null, adminToken).status())
          .isEqualTo(204);

      for (String action :
          List.of("ADMIN_CLIENT_REGISTERED", "ADMIN_CLIENT_CHANGED", "ADMIN_CLIENT_REMOVED")) {
        List<Map<String, Object>> events =
            AuditRows.by(adminId, action).stream()
                .filter(e -> clientId.equals(e.get("record_ids")))
                .toList();
        assertThat(events).as(action).hasSize(1);
        assertActor(events.get(0), "ACCOUNT", adminId);
        assertThat(events.get(0).get("subject")).isNull();
      }
    }

    @Test
    void aRefusedRegistrationLeavesNoEvent() {
      String clientId = "audited-bad-" + System.nanoTime();
      Portal.Response refused =
          portal.json(
              "POST",
              "/api/v1/admin/clients",
              "{\"clientId\":\"" + clientId + "\",\"name\":\"No redirect\",\"type\":\"PUBLIC\"}",
              adminToken);

      assertThat(refused.status()).isEqualTo(400);
      assertThat(AuditRows.by(adminId, "ADMIN_CLIENT_REGISTERED"))
          .noneMatch(e -> clientId.equals(e.get("record_ids")));
    }

    @Test
    void settingRolesIsAuditedWithTheAccountAsSubjectAndTheRolesItNowHolds() {
      String staff = portal.signUpAndVerify(Portal.newEmail());

      Portal.Response set =
          portal.json(
              "POST",
              "/api/v1/admin/accounts/" + staff + "/roles",
              "{\"roles\":[\"MANAGER\"]}",
              adminToken);

      assertThat(set.status()).as(set.body()).isEqualTo(200);
      Map<String, Object> event = onlyEvent(staff, "ADMIN_ROLES_SET");
      assertActor(event, "ACCOUNT", adminId);
      assertThat(event).containsEntry("record_ids", "MANAGER");
    }

    @Test
    void aKeyRotationIsAuditedWithTheNewAndTheRetiredKid() {
      Portal.Response rotated = portal.json("POST", "/api/v1/admin/keys/rotate", null, adminToken);

      assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
      String active = (String) rotated.json().get("activeKid");
      String retired = (String) rotated.json().get("retiredKid");
      assertThat(AuditRows.by(adminId, "ADMIN_KEY_ROTATED"))
          .anySatisfy(e -> assertThat(e).containsEntry("record_ids", active + " " + retired));
    }

    @Test
    void registeringChangingAndRemovingAServiceAreAudited() {
      Portal.Response created =
          portal.json(
              "POST",
              "/api/v1/admin/services",
              "{\"name\":\"Audited service "
                  + System.nanoTime()
                  + "\",\"department\":\"Environment\",\"online\":true}",
              adminToken);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String serviceId = (String) created.json().get("id");
      assertThat(
              portal
                  .json(
                      "PUT",
                      "/api/v1/admin/services/" + serviceId,
                      "{\"name\":\"Renamed "
                          + System.nanoTime()
                          + "\",\"department\":\"Environment\",\"online\":false}",
                      adminToken)
                  .status())
          .isEqualTo(200);
      assertThat(
              portal
                  .json("DELETE", "/api/v1/admin/services/" + serviceId, null, adminToken)
                  .status())
          .isEqualTo(204);

      for (String action :
          List.of("ADMIN_SERVICE_REGISTERED", "ADMIN_SERVICE_CHANGED", "ADMIN_SERVICE_REMOVED")) {
        assertThat(AuditRows.by(adminId, action))
            .as(action)
            .filteredOn(e -> serviceId.equals(e.get("record_ids")))
            .hasSize(1);
      }
    }
  }

  @Test
  void theChainsStayIntactThroughAllOfIt() {
    assertThat(verifier.verify().breaks()).isEmpty();
  }
}
