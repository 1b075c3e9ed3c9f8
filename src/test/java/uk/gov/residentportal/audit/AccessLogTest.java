package uk.gov.residentportal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/**
 * GET /api/v1/me/access-log: the resident sees every partner read of their data, newest first,
 * paged; nobody else's, and no lookup that found nothing. The partner reads are appended through
 * the audit trail as the partner API appends them.
 */
@MicronautTest(transactional = false)
class AccessLogTest {
  private static final String PATH = "/api/v1/me/access-log";
  private static final String VALIDATION = "urn:resident-portal:problem:validation";
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject EmbeddedServer server;
  @Inject AuditTrail trail;
  @Inject TransactionOperations<Connection> transactions;

  private Portal portal;

  @BeforeEach
  void portal() {
    portal = new Portal(server.getURI());
  }

  private record Resident(String id, String token) {}

  private Resident aResident() {
    String email = Portal.newEmail();
    String id = portal.signUpAndVerify(email);
    return new Resident(id, portal.signIn(email).accessToken());
  }

  /** A partner organisation of the partnership, with a code no other test uses. */
  private static String anOrganisation(String name) {
    String ods = "T" + (10000 + RANDOM.nextInt(89999));
    Sql.update(
        "INSERT INTO partner_organisations (ods_code, name, org_type, active, created_at,"
            + " updated_at) VALUES (?, ?, 'NHS_TRUST', TRUE, NOW(6), NOW(6))",
        ods,
        name);
    return ods;
  }

  /** A partner's read of the resident's data, as the partner API audits it. */
  private String partnerRead(
      String accountId, String ods, AuditAction action, AuditOutcome outcome, String... records) {
    String id =
        transactions.executeWrite(
            status ->
                trail.append(
                    new AuditEvent(
                        action,
                        outcome,
                        Actor.client(MachineTokens.PARTNER),
                        ods,
                        "DIRECT_CARE",
                        accountId,
                        List.of(records))));
    try {
      // Distinct times, so newest first is the reverse of the order written here.
      Thread.sleep(3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return id;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> accesses(Portal.Response page) {
    return (List<Map<String, Object>>) page.json().get("accesses");
  }

  private static Map<String, Object> assertProblem(
      Portal.Response response, int status, String type) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json()).containsEntry("type", type);
    return response.json();
  }

  @Nested
  class Reading {
    @Test
    void listsEachPartnerReadWithOrganisationPurposeRecordsAndTime_newestFirst() {
      Resident resident = aResident();
      String ods = anOrganisation("Leicester Royal Infirmary");
      String record = UUID.randomUUID().toString();
      String document = UUID.randomUUID().toString();
      Instant before = Instant.now().minusSeconds(1);
      String lookup =
          partnerRead(resident.id(), ods, AuditAction.PARTNER_LOOKUP, AuditOutcome.SUCCESS);
      String records =
          partnerRead(
              resident.id(), ods, AuditAction.PARTNER_RECORDS_READ, AuditOutcome.SUCCESS, record);
      String download =
          partnerRead(
              resident.id(),
              ods,
              AuditAction.PARTNER_DOCUMENT_READ,
              AuditOutcome.SUCCESS,
              document);

      Portal.Response page = portal.get(PATH, resident.token());

      assertThat(page.status()).as(page.body()).isEqualTo(200);
      List<Map<String, Object>> accesses = accesses(page);
      assertThat(accesses).extracting(a -> a.get("id")).containsExactly(download, records, lookup);
      assertThat(accesses.get(0))
          .containsEntry("organisationOds", ods)
          .containsEntry("organisationName", "Leicester Royal Infirmary")
          .containsEntry("purpose", "DIRECT_CARE")
          .containsEntry("action", "PARTNER_DOCUMENT_READ")
          .containsEntry("recordIds", List.of(document));
      assertThat(accesses.get(1)).containsEntry("recordIds", List.of(record));
      assertThat(accesses.get(2))
          .containsEntry("action", "PARTNER_LOOKUP")
          .containsEntry("recordIds", List.of());
      String at = (String) accesses.get(0).get("occurredAt");
      assertThat(at).endsWith("Z");
      assertThat(Instant.parse(at)).isAfter(before).isBefore(Instant.now().plusSeconds(1));
      assertThat(page.json()).doesNotContainKey("nextCursor");
    }

    @Test
    void pagesNewestFirstWithACursor_withoutRepeatingOrSkipping() {
      Resident resident = aResident();
      String ods = anOrganisation("Glenfield Hospital");
      List<String> written = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        written.add(
            partnerRead(
                resident.id(),
                ods,
                AuditAction.PARTNER_RECORDS_READ,
                AuditOutcome.SUCCESS,
                UUID.randomUUID().toString()));
      }

      List<Object> seen = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      String cursor = null;
      do {
        Portal.Response page =
            portal.get(
                PATH + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), resident.token());
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        sizes.add(accesses(page).size());
        accesses(page).forEach(a -> seen.add(a.get("id")));
        cursor = (String) page.json().get("nextCursor");
      } while (cursor != null);

      assertThat(sizes).containsExactly(2, 2, 1);
      java.util.Collections.reverse(written);
      assertThat(seen).containsExactlyElementsOf(written);
    }

    @Test
    void showsNoLookupThatFoundNothing_andNoOtherKindOfEvent() {
      Resident resident = aResident();
      String ods = anOrganisation("Leicester General Hospital");
      partnerRead(resident.id(), ods, AuditAction.PARTNER_LOOKUP, AuditOutcome.NOT_FOUND);
      partnerRead(resident.id(), ods, AuditAction.PARTNER_RECORDS_READ, AuditOutcome.DENIED);
      String read =
          partnerRead(resident.id(), ods, AuditAction.PARTNER_LOOKUP, AuditOutcome.SUCCESS);

      Portal.Response page = portal.get(PATH, resident.token());

      // The resident's own sign-in is audited about them too, and is not a partner's access.
      assertThat(
              Sql.count(
                  "SELECT COUNT(*) FROM audit_events WHERE subject = ? AND action =" + " 'SIGN_IN'",
                  resident.id()))
          .isEqualTo(1);
      assertThat(accesses(page)).extracting(a -> a.get("id")).containsExactly(read);
    }

    @Test
    void theExportHoldsThePartnersAccesses() {
      Resident resident = aResident();
      String ods = anOrganisation("Leicester Royal Infirmary");
      String read =
          partnerRead(
              resident.id(),
              ods,
              AuditAction.PARTNER_RECORDS_READ,
              AuditOutcome.SUCCESS,
              UUID.randomUUID().toString());

      Portal.Response export = portal.get("/api/v1/me/export", resident.token());

      assertThat(export.status()).as(export.body()).isEqualTo(200);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> accesses =
          (List<Map<String, Object>>) export.json().get("partnerAccesses");
      assertThat(accesses)
          .singleElement()
          .satisfies(
              a ->
                  assertThat(a)
                      .containsEntry("id", read)
                      .containsEntry("organisationName", "Leicester Royal Infirmary"));
    }

    @Test
    void anotherResidentSeesNoneOfThem() {
      Resident resident = aResident();
      Resident other = aResident();
      String ods = anOrganisation("Leicester Royal Infirmary");
      partnerRead(resident.id(), ods, AuditAction.PARTNER_LOOKUP, AuditOutcome.SUCCESS);

      Portal.Response page = portal.get(PATH, other.token());

      assertThat(page.status()).isEqualTo(200);
      assertThat(accesses(page)).isEmpty();
      assertThat(accesses(portal.get(PATH, resident.token()))).hasSize(1);
    }
  }

  @Nested
  class BadInput {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "abc",
          "!!!!",
          // base64url of text that is not a cursor
          "aGVsbG86d29ybGQ",
          // a cursor's text, but padded
          "MTIzOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA==",
        })
    void refusesACursorNotFromAPreviousPage(String cursor) {
      Resident resident = aResident();

      Map<String, Object> problem =
          assertProblem(portal.get(PATH + "?cursor=" + cursor, resident.token()), 400, VALIDATION);

      assertThat(problem.get("errors").toString()).contains("cursor");
    }

    @Test
    void refusesAnOverlongCursor() {
      Resident resident = aResident();
      String cursor =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString("9".repeat(200).getBytes(StandardCharsets.US_ASCII));

      assertProblem(portal.get(PATH + "?cursor=" + cursor, resident.token()), 400, VALIDATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "101"})
    void refusesALimitOutsideOneToAHundred(String limit) {
      Resident resident = aResident();

      Portal.Response response = portal.get(PATH + "?limit=" + limit, resident.token());

      assertProblem(response, 400, VALIDATION);
      assertThat(response.body()).contains("limit");
    }

    @Test
    void refusesALimitThatIsNotANumber() {
      Resident resident = aResident();

      assertProblem(
          portal.get(PATH + "?limit=abc", resident.token()),
          400,
          "urn:resident-portal:problem:malformed-request");
    }

    @Test
    void takesAHundred() {
      Resident resident = aResident();

      assertThat(portal.get(PATH + "?limit=100", resident.token()).status()).isEqualTo(200);
    }
  }

  @Nested
  class Callers {
    @Test
    void refusesARequestWithoutAToken() {
      assertProblem(portal.get(PATH, null), 401, "urn:resident-portal:problem:unauthorized");
    }

    @Test
    void refusesAResidentTokenWithoutTheAccountScope() {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      CodeVerifier verifier = new CodeVerifier();
      Map<String, String> params = new LinkedHashMap<>(portal.authorizeParams(verifier, "s", "n"));
      params.put("scope", "openid email");
      Portal.Response redirect =
          portal.submitSignIn(portal.openSignIn(params, verifier), email, Portal.PASSWORD);
      Portal.Response tokens =
          portal.exchange(Portal.redirectParams(redirect).get("code"), verifier);
      String token = (String) tokens.json().get("access_token");
      assertThat((String) tokens.json().get("scope")).doesNotContain("account");

      Portal.Response response = portal.get(PATH, token);

      assertProblem(response, 403, "urn:resident-portal:problem:forbidden");
      assertThat(response.header("www-authenticate")).contains("scope=\"account\"");
    }

    @Test
    void refusesTheStillValidTokenOfAnErasedAccountWith401() {
      Resident resident = aResident();
      assertThat(portal.get(PATH, resident.token()).status()).isEqualTo(200);
      Portal.Response erased =
          portal.json(
              "DELETE",
              "/api/v1/me",
              "{\"password\":\"" + Portal.PASSWORD + "\"}",
              resident.token());
      assertThat(erased.status()).as(erased.body()).isEqualTo(204);

      assertProblem(
          portal.get(PATH, resident.token()), 401, "urn:resident-portal:problem:unauthorized");
    }

    @Test
    void refusesTheTokenOfAnAccountNoLongerActiveWith401() {
      Resident resident = aResident();
      Sql.update("UPDATE accounts SET status = 'PENDING_VERIFICATION' WHERE id = ?", resident.id());

      assertProblem(
          portal.get(PATH, resident.token()), 401, "urn:resident-portal:problem:unauthorized");
    }

    @Test
    void refusesAPartnersMachineToken() {
      String token = MachineTokens.tokenFor(portal, MachineTokens.PARTNER);

      assertProblem(portal.get(PATH, token), 403, "urn:resident-portal:problem:forbidden");
    }
  }
}
