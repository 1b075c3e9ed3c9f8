package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.gov.residentportal.auth.ClientAssertion.anAssertion;
import static uk.gov.residentportal.auth.ClientAssertion.clientCredentials;
import static uk.gov.residentportal.auth.MachineClientRegistrationTest.assertInvalidField;
import static uk.gov.residentportal.auth.MachineClientRegistrationTest.jwks;
import static uk.gov.residentportal.auth.TokenEndpointTest.assertOAuthError;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;
import uk.gov.residentportal.web.ProblemException;

/**
 * Partner clients and their organisations: a partner client must name a registered organisation, it
 * gets tokens only while that organisation is active, and it may carry its own rate limit.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnerClientsTest implements TestPropertyProvider {
  static final String ADMIN = Portal.newEmail();
  private static final String ORGANISATIONS = "/api/v1/admin/organisations";
  private static final String CLIENTS = "/api/v1/admin/clients";
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public Map<String, String> getProperties() {
    return Map.of("portal.bootstrap-admin-email", ADMIN);
  }

  @Inject EmbeddedServer server;
  @Inject ClientService clientService;

  Portal portal;
  String adminToken;
  JWK key;

  @BeforeEach
  void admin() throws Exception {
    portal = new Portal(server.getURI());
    if (adminToken == null) {
      portal.signUpAndVerify(ADMIN);
    }
    adminToken = portal.signIn(ADMIN).accessToken();
    key = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
  }

  /** A newly registered, active organisation of its own for each test. */
  String newOrganisation() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder ods = new StringBuilder("Y");
    for (int i = 0; i < 8; i++) {
      ods.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    Portal.Response created =
        portal.json(
            "POST",
            ORGANISATIONS,
            "{\"odsCode\":\"" + ods + "\",\"name\":\"Test Trust\",\"type\":\"NHS_TRUST\"}",
            adminToken);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return ods.toString();
  }

  void setActive(String ods, boolean active) {
    Portal.Response changed =
        portal.json("PATCH", ORGANISATIONS + "/" + ods, "{\"active\":" + active + "}", adminToken);
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
  }

  Map<String, Object> aPartner(String ods) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("clientId", "partner-" + System.nanoTime());
    body.put("name", "Partner system");
    body.put("type", "PARTNER");
    body.put("organisationOds", ods);
    body.put("scopes", List.of("partner:resident.read"));
    body.put("jwks", jwks(key.toPublicJWK()));
    return body;
  }

  Portal.Response register(Map<String, Object> body) {
    return portal.json("POST", CLIENTS, JSONObjectUtils.toJSONString(body), adminToken);
  }

  Portal.Response register(String json) {
    return portal.json("POST", CLIENTS, json, adminToken);
  }

  Portal.Response patch(String clientId, String json) {
    return portal.json("PATCH", CLIENTS + "/" + clientId, json, adminToken);
  }

  Portal.Response tokenFor(String clientId) {
    return portal.form(
        "/oauth2/token",
        clientCredentials(
            anAssertion(clientId, key, portal.base() + "/oauth2/token").build(), null));
  }

  static Map<String, Object> rateLimit(Portal.Response client) {
    @SuppressWarnings("unchecked")
    Map<String, Object> limit = (Map<String, Object>) client.json().get("rateLimit");
    return limit;
  }

  @Nested
  class Organisation {
    @Test
    void registersAPartnerClientOfARegisteredOrganisation() {
      String ods = newOrganisation();

      Portal.Response created = register(aPartner(ods));

      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json())
          .containsEntry("organisationOds", ods)
          .doesNotContainKey("rateLimit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ZZZZZZZZZZ", "A81001", "QK1"})
    void refusesAPartnerClientOfAnUnregisteredOrganisation_andWritesNothing(String ods) {
      Map<String, Object> body = aPartner(ods);

      Portal.Response response = register(body);

      assertInvalidField(response, "organisationOds");
      assertThat(response.body()).contains("is not a registered organisation");
      assertThat(portal.get(CLIENTS + "/" + body.get("clientId"), adminToken).status())
          .isEqualTo(404);
    }

    @Test
    void acceptsAPartnerClientOfAnInactiveOrganisation_whichGetsNoTokenUntilReactivated() {
      String ods = newOrganisation();
      setActive(ods, false);
      Map<String, Object> body = aPartner(ods);

      assertThat(register(body).status()).isEqualTo(201);
      assertOAuthError(tokenFor((String) body.get("clientId")), 400, "unauthorized_client");

      setActive(ods, true);
      assertThat(AuthSteps.tokens(tokenFor((String) body.get("clientId"))))
          .containsKey("access_token");
    }

    @Test
    void theClientsFileRefusesAPartnerOfAnUnregisteredOrganisation() {
      ClientRegistration registration =
          new ClientRegistration(
              "file-partner-" + System.nanoTime(),
              "From the file",
              ClientType.PARTNER,
              null,
              null,
              null,
              List.of("partner:resident.read"),
              jwks(key.toPublicJWK()),
              null,
              "ZZZZZZZZZ9",
              null);

      assertThatThrownBy(() -> clientService.upsert(registration))
          .isInstanceOfSatisfying(
              ProblemException.InvalidField.class,
              e -> assertThat(e.errors().get(0).field()).isEqualTo("organisationOds"));
      assertThat(
              Sql.count(
                  "SELECT COUNT(*) FROM clients WHERE client_id = ?", registration.clientId()))
          .isZero();
    }
  }

  @Nested
  class Tokens {
    @Test
    void deactivatingTheOrganisationStopsNewTokens_andReactivatingRestoresThem() {
      String ods = newOrganisation();
      Map<String, Object> body = aPartner(ods);
      String clientId = (String) body.get("clientId");
      assertThat(register(body).status()).isEqualTo(201);
      assertThat(
              AuthSteps.claims(AuthSteps.tokens(tokenFor(clientId)).get("access_token"))
                  .getClaim("organisation_ods"))
          .isEqualTo(ods);

      setActive(ods, false);

      Map<String, Object> refused =
          assertOAuthError(tokenFor(clientId), 400, "unauthorized_client");
      assertThat(refused)
          .containsEntry("error_description", "The client's organisation is not active");

      setActive(ods, true);

      assertThat(AuthSteps.tokens(tokenFor(clientId)))
          .containsEntry("scope", "partner:resident.read");
    }

    @Test
    void aClientOfAnOrganisationFromTheFileGetsNoTokenWhileItIsInactive() {
      Map<String, Object> body = aPartner("RX2");
      String clientId = (String) body.get("clientId");
      assertThat(register(body).status()).isEqualTo(201);
      try {
        setActive("RX2", false);

        assertOAuthError(tokenFor(clientId), 400, "unauthorized_client");
      } finally {
        // RX2 comes from the test organisations file; other tests find it active.
        setActive("RX2", true);
      }
      assertThat(AuthSteps.tokens(tokenFor(clientId))).containsKey("access_token");
    }

    @Test
    void refusesATokenToAPartnerWhoseOrganisationIsNotRegistered() {
      // A row from before organisations were registered (or changed in the database by hand).
      String ods = newOrganisation();
      Map<String, Object> body = aPartner(ods);
      String clientId = (String) body.get("clientId");
      register(body);
      Sql.update(
          "UPDATE clients SET organisation_ods = 'ZZZZZZZZZ8' WHERE client_id = ?", clientId);

      assertOAuthError(tokenFor(clientId), 400, "unauthorized_client");
    }

    @Test
    void otherOrganisationsAndBackOfficeSystemsKeepGettingTokens() {
      String ods = newOrganisation();
      setActive(ods, false);

      assertThat(
              AuthSteps.tokens(
                  portal.form(
                      "/oauth2/token",
                      clientCredentials(
                          anAssertion(ClientAssertion.PARTNER, portal.base()).build(), null))))
          .containsKey("access_token");
      assertThat(
              AuthSteps.tokens(
                  portal.form(
                      "/oauth2/token",
                      clientCredentials(
                          anAssertion(ClientAssertion.BACK_OFFICE, portal.base()).build(), null))))
          .containsKey("access_token");
    }
  }

  @Nested
  class RateLimit {
    @Test
    void registersShowsChangesAndRemovesAPartnersOwnRateLimit() {
      Map<String, Object> body = aPartner(newOrganisation());
      body.put("rateLimit", Map.of("perSecond", 5, "burst", 10));
      String clientId = (String) body.get("clientId");

      Portal.Response created = register(body);

      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(rateLimit(created)).containsEntry("perSecond", 5L).containsEntry("burst", 10L);
      assertThat(rateLimit(portal.get(CLIENTS + "/" + clientId, adminToken)))
          .containsEntry("perSecond", 5L);
      assertThat(clientService.rateLimitOf(clientId))
          .contains(new ClientService.ClientRateLimit(5, 10));

      assertThat(rateLimit(patch(clientId, "{\"name\":\"Renamed\"}")))
          .containsEntry("perSecond", 5L)
          .containsEntry("burst", 10L);

      Portal.Response changed = patch(clientId, "{\"rateLimit\":{\"perSecond\":20,\"burst\":20}}");
      assertThat(changed.status()).as(changed.body()).isEqualTo(200);
      assertThat(rateLimit(changed)).containsEntry("perSecond", 20L).containsEntry("burst", 20L);
      assertThat(clientService.rateLimitOf(clientId))
          .contains(new ClientService.ClientRateLimit(20, 20));

      Portal.Response removed = patch(clientId, "{\"rateLimit\":{}}");
      assertThat(removed.status()).isEqualTo(200);
      assertThat(removed.json()).doesNotContainKey("rateLimit");
      assertThat(clientService.rateLimitOf(clientId)).isEmpty();
    }

    @Test
    void acceptsTheBounds() {
      Map<String, Object> body = aPartner(newOrganisation());
      body.put("rateLimit", Map.of("perSecond", 1, "burst", 10000));

      assertThat(rateLimit(register(body)))
          .containsEntry("perSecond", 1L)
          .containsEntry("burst", 10000L);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "{\"perSecond\":0,\"burst\":5}|rateLimit.perSecond",
          "{\"perSecond\":-1,\"burst\":5}|rateLimit.perSecond",
          "{\"perSecond\":10001,\"burst\":10001}|rateLimit.perSecond",
          "{\"perSecond\":5,\"burst\":0}|rateLimit.burst",
          "{\"perSecond\":5,\"burst\":10001}|rateLimit.burst",
          "{\"perSecond\":10,\"burst\":9}|rateLimit.burst",
          "{\"perSecond\":5}|rateLimit.burst",
          "{\"burst\":5}|rateLimit.perSecond",
        })
    void refusesABadRateLimitNamingTheField_andWritesNothing(String limitAndField) {
      String limit = limitAndField.substring(0, limitAndField.lastIndexOf('|'));
      String field = limitAndField.substring(limitAndField.lastIndexOf('|') + 1);
      Map<String, Object> body = aPartner(newOrganisation());
      String json = JSONObjectUtils.toJSONString(body);
      json = json.substring(0, json.length() - 1) + ",\"rateLimit\":" + limit + "}";

      assertInvalidField(register(json), field);
      assertThat(portal.get(CLIENTS + "/" + body.get("clientId"), adminToken).status())
          .isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "\"fast\"", "[5,10]", "{\"perSecond\":\"five\",\"burst\":10}"})
    void refusesARateLimitOfTheWrongJsonType(String limit) {
      Map<String, Object> body = aPartner(newOrganisation());
      String json = JSONObjectUtils.toJSONString(body);
      json = json.substring(0, json.length() - 1) + ",\"rateLimit\":" + limit + "}";

      Portal.Response response = register(json);

      assertThat(response.status()).as(response.body()).isEqualTo(400);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(portal.get(CLIENTS + "/" + body.get("clientId"), adminToken).status())
          .isEqualTo(404);
    }

    @Test
    void refusesABadRateLimitChange_andKeepsTheOldOne() {
      Map<String, Object> body = aPartner(newOrganisation());
      body.put("rateLimit", Map.of("perSecond", 5, "burst", 10));
      String clientId = (String) body.get("clientId");
      register(body);

      assertInvalidField(
          patch(clientId, "{\"rateLimit\":{\"perSecond\":50,\"burst\":10}}"), "rateLimit.burst");
      assertThat(clientService.rateLimitOf(clientId))
          .contains(new ClientService.ClientRateLimit(5, 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"records-push", "council-tax-web", "housing-web"})
    void refusesARateLimitForAnyClientButAPartner(String clientId) {
      assertInvalidField(
          patch(clientId, "{\"rateLimit\":{\"perSecond\":5,\"burst\":10}}"), "rateLimit");
      assertInvalidField(patch(clientId, "{\"rateLimit\":{}}"), "rateLimit");
      assertThat(portal.get(CLIENTS + "/" + clientId, adminToken).json())
          .doesNotContainKey("rateLimit");
    }

    @Test
    void refusesARateLimitInANewBackOfficeRegistration() {
      String clientId = "records-" + System.nanoTime();
      String json =
          "{\"clientId\":\""
              + clientId
              + "\",\"name\":\"B\",\"type\":\"BACK_OFFICE\",\"sourceSystem\":\"PARKING\","
              + "\"scopes\":[\"records:write\"],\"jwks\":"
              + JSONObjectUtils.toJSONString(jwks(key.toPublicJWK()))
              + ",\"rateLimit\":{\"perSecond\":5,\"burst\":10}}";

      assertInvalidField(register(json), "rateLimit");
      assertThat(portal.get(CLIENTS + "/" + clientId, adminToken).status()).isEqualTo(404);
    }

    @Test
    void theClientsFileSetsAndClearsARateLimit() {
      String ods = newOrganisation();
      String clientId = "file-partner-" + System.nanoTime();

      clientService.upsert(fileEntry(clientId, ods, new ClientRegistration.RateLimit(7, 14)));
      assertThat(clientService.rateLimitOf(clientId))
          .contains(new ClientService.ClientRateLimit(7, 14));

      // The file is the registration: an entry without rateLimit returns to the default.
      clientService.upsert(fileEntry(clientId, ods, null));
      assertThat(clientService.rateLimitOf(clientId)).isEmpty();
    }

    private ClientRegistration fileEntry(
        String clientId, String ods, ClientRegistration.RateLimit limit) {
      return new ClientRegistration(
          clientId,
          "From the file",
          ClientType.PARTNER,
          null,
          null,
          null,
          List.of("partner:resident.read"),
          jwks(key.toPublicJWK()),
          null,
          ods,
          limit);
    }
  }
}
