package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.auth.ClientAssertion.anAssertion;
import static uk.gov.residentportal.auth.ClientAssertion.clientCredentials;
import static uk.gov.residentportal.auth.TokenEndpointTest.assertOAuthError;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.ArrayList;
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

/**
 * Registering confidential, back-office and partner clients (private_key_jwt, keys inline as a JWK
 * Set): what each type must and must not hold, and that a registration, a key rotation and a
 * deactivation take effect at the token endpoint.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MachineClientRegistrationTest implements TestPropertyProvider {
  static final String ADMIN = Portal.newEmail();
  static final String VALIDATION = "urn:resident-portal:problem:validation";
  private static boolean adminSignedUp;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("portal.bootstrap-admin-email", ADMIN);
  }

  @Inject EmbeddedServer server;

  Portal portal;
  String adminToken;
  JWK rsa;
  JWK ec;

  @BeforeEach
  void admin() throws Exception {
    portal = new Portal(server.getURI());
    if (!adminSignedUp) {
      portal.signUpAndVerify(ADMIN);
      adminSignedUp = true;
    }
    adminToken = portal.signIn(ADMIN).accessToken();
    rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
    ec = new ECKeyGenerator(Curve.P_384).keyID("ec-" + UUID.randomUUID()).generate();
  }

  /** A valid registration of the type; tests change one field. */
  Map<String, Object> aRegistration(String type) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "clientId",
        type.toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-" + System.nanoTime());
    body.put("name", "Test " + type);
    body.put("type", type);
    switch (type) {
      case "BACK_OFFICE" -> {
        body.put("sourceSystem", "PARKING");
        body.put("scopes", List.of("records:write"));
        body.put("jwks", jwks(rsa.toPublicJWK()));
      }
      case "PARTNER" -> {
        body.put("organisationOds", "RX2");
        body.put("scopes", List.of("partner:resident.read"));
        body.put("jwks", jwks(ec.toPublicJWK()));
      }
      case "CONFIDENTIAL" -> {
        body.put("redirectUris", List.of("https://rp.example.gov.uk/cb"));
        body.put("backchannelLogoutUri", "https://rp.example.gov.uk/backchannel");
        body.put("scopes", List.of("openid", "profile"));
        body.put("jwks", jwks(rsa.toPublicJWK(), ec.toPublicJWK()));
      }
      default -> {
        body.put("redirectUris", List.of("https://app.example.gov.uk/cb"));
        body.put("scopes", List.of("openid"));
      }
    }
    return body;
  }

  static Map<String, Object> jwks(JWK... keys) {
    List<Object> list = new ArrayList<>();
    for (JWK key : keys) {
      list.add(key.toJSONObject());
    }
    return Map.of("keys", list);
  }

  Portal.Response register(Map<String, Object> body) {
    return portal.json(
        "POST", "/api/v1/admin/clients", JSONObjectUtils.toJSONString(body), adminToken);
  }

  Portal.Response patch(String clientId, Map<String, Object> changes) {
    return portal.json(
        "PATCH",
        "/api/v1/admin/clients/" + clientId,
        JSONObjectUtils.toJSONString(changes),
        adminToken);
  }

  static void assertInvalidField(Portal.Response response, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json()).containsEntry("type", VALIDATION);
    assertThat(response.body()).contains("\"field\":\"" + field + "\"");
  }

  Portal.Response clientCredentialsAs(String clientId, JWK key) {
    return portal.form(
        "/oauth2/token",
        clientCredentials(
            anAssertion(clientId, key, portal.base() + "/oauth2/token").build(), null));
  }

  @Nested
  class Registering {
    @ParameterizedTest
    @ValueSource(strings = {"CONFIDENTIAL", "BACK_OFFICE", "PARTNER"})
    void registersEachTypeWithItsPublicKeys_shownWithoutAnyPrivatePart(String type) {
      Map<String, Object> body = aRegistration(type);

      Portal.Response created = register(body);

      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json()).containsEntry("type", type).containsEntry("active", true);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> keys =
          (List<Map<String, Object>>)
              ((Map<String, Object>) created.json().get("jwks")).get("keys");
      assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(k).doesNotContainKey("d"));
      Portal.Response fetched =
          portal.get("/api/v1/admin/clients/" + body.get("clientId"), adminToken);
      assertThat(fetched.json().get("jwks")).isEqualTo(created.json().get("jwks"));
    }

    @Test
    void keepsTheBackOfficeSourceSystemAndThePartnerOdsCode() {
      assertThat(register(aRegistration("BACK_OFFICE")).json())
          .containsEntry("sourceSystem", "PARKING")
          .doesNotContainKey("organisationOds");
      assertThat(register(aRegistration("PARTNER")).json())
          .containsEntry("organisationOds", "RX2")
          .doesNotContainKey("sourceSystem");
    }

    @Test
    void keepsTheBackchannelLogoutUriOfASignInClient() {
      assertThat(register(aRegistration("CONFIDENTIAL")).json())
          .containsEntry("backchannelLogoutUri", "https://rp.example.gov.uk/backchannel");
    }

    @Test
    void aRegisteredBackOfficeClientGetsTokensWithItsKey() {
      Map<String, Object> body = aRegistration("BACK_OFFICE");
      register(body);

      Portal.Response response = clientCredentialsAs((String) body.get("clientId"), rsa);

      assertThat(AuthSteps.tokens(response)).containsEntry("scope", "records:write");
      assertThat(AuthSteps.claims(response.json().get("access_token")).getClaim("source_system"))
          .isEqualTo("PARKING");
    }
  }

  @Nested
  class RefusedKeySets {
    @ParameterizedTest
    @ValueSource(strings = {"CONFIDENTIAL", "BACK_OFFICE", "PARTNER"})
    void refusesAMissingKeySet(String type) {
      Map<String, Object> body = aRegistration(type);
      body.remove("jwks");

      assertInvalidField(register(body), "jwks");
    }

    @Test
    void refusesAPrivateKey() {
      Map<String, Object> body = aRegistration("BACK_OFFICE");
      body.put("jwks", jwks(rsa));

      assertInvalidField(register(body), "jwks");
    }

    @Test
    void refusesASymmetricKey() throws Exception {
      Map<String, Object> body = aRegistration("BACK_OFFICE");
      body.put("jwks", jwks(new OctetSequenceKeyGenerator(256).keyID("oct").generate()));

      Portal.Response response = register(body);

      assertInvalidField(response, "jwks");
      assertThat(response.body()).doesNotContain("\"k\"");
    }

    @Test
    void refusesAnRsaKeyUnder2048Bits() throws Exception {
      Map<String, Object> body = aRegistration("BACK_OFFICE");
      body.put(
          "jwks", jwks(new RSAKeyGenerator(1024, true).keyID("small").generate().toPublicJWK()));

      assertInvalidField(register(body), "jwks");
    }

    @Test
    void refusesAnEcKeyOnAnotherCurve() throws Exception {
      Map<String, Object> body = aRegistration("PARTNER");
      body.put(
          "jwks", jwks(new ECKeyGenerator(Curve.P_521).keyID("p521").generate().toPublicJWK()));

      assertInvalidField(register(body), "jwks");
    }

    @Test
    void refusesADuplicateKid() throws Exception {
      Map<String, Object> body = aRegistration("PARTNER");
      JWK twin = new ECKeyGenerator(Curve.P_256).keyID(ec.getKeyID()).generate();
      body.put("jwks", jwks(ec.toPublicJWK(), twin.toPublicJWK()));

      assertInvalidField(register(body), "jwks");
    }

    @Test
    void refusesAKeyWithoutKid() throws Exception {
      Map<String, Object> body = aRegistration("PARTNER");
      body.put("jwks", jwks(new ECKeyGenerator(Curve.P_256).generate().toPublicJWK()));

      assertInvalidField(register(body), "jwks");
    }

    @Test
    void refusesAnEncryptionKey() throws Exception {
      Map<String, Object> body = aRegistration("PARTNER");
      body.put(
          "jwks",
          jwks(
              new ECKeyGenerator(Curve.P_256)
                  .keyID("enc")
                  .keyUse(KeyUse.ENCRYPTION)
                  .generate()
                  .toPublicJWK()));

      assertInvalidField(register(body), "jwks");
    }

    @Test
    void refusesAJwksUriInsteadOfKeys() {
      Map<String, Object> body = aRegistration("PARTNER");
      body.put("jwks", Map.of("jwks_uri", "https://partner.example.nhs.uk/jwks"));

      assertInvalidField(register(body), "jwks");
    }

    @Test
    void refusesMoreThanTenKeys() throws Exception {
      List<JWK> keys = new ArrayList<>();
      for (int i = 0; i < 11; i++) {
        keys.add(new ECKeyGenerator(Curve.P_256).keyID("k" + i).generate().toPublicJWK());
      }
      Map<String, Object> body = aRegistration("PARTNER");
      body.put("jwks", jwks(keys.toArray(JWK[]::new)));

      assertInvalidField(register(body), "jwks");
    }

    @Test
    void refusesAKeySetOnAPublicClient() {
      Map<String, Object> body = aRegistration("PUBLIC");
      body.put("jwks", jwks(ec.toPublicJWK()));

      assertInvalidField(register(body), "jwks");
    }
  }

  @Nested
  class RefusedFieldsPerType {
    @ParameterizedTest
    @ValueSource(strings = {"", "parking", "P", "PARKING SYSTEM"})
    void refusesAMissingOrMalformedSourceSystem(String sourceSystem) {
      Map<String, Object> body = aRegistration("BACK_OFFICE");
      if (sourceSystem.isEmpty()) {
        body.remove("sourceSystem");
      } else {
        body.put("sourceSystem", sourceSystem);
      }

      assertInvalidField(register(body), "sourceSystem");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "rx1", "R1", "RX1-ABC", "ABCDEFGHIJK"})
    void refusesAMissingOrMalformedOdsCode(String ods) {
      Map<String, Object> body = aRegistration("PARTNER");
      if (ods.isEmpty()) {
        body.remove("organisationOds");
      } else {
        body.put("organisationOds", ods);
      }

      assertInvalidField(register(body), "organisationOds");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "BACK_OFFICE:openid",
          "BACK_OFFICE:partner:resident.read",
          "PARTNER:records:write",
          "PARTNER:account",
          "CONFIDENTIAL:records:write",
          "PUBLIC:links:write"
        })
    void refusesScopesOutsideTheType(String typeAndScope) {
      String type = typeAndScope.substring(0, typeAndScope.indexOf(':'));
      Map<String, Object> body = aRegistration(type);
      body.put("scopes", List.of(typeAndScope.substring(type.length() + 1)));

      assertInvalidField(register(body), "scopes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BACK_OFFICE", "PARTNER"})
    void refusesAMachineClientWithoutScopes(String type) {
      Map<String, Object> body = aRegistration(type);
      body.remove("scopes");

      assertInvalidField(register(body), "scopes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redirectUris", "postLogoutRedirectUris", "backchannelLogoutUri"})
    void refusesSignInFieldsOnAMachineClient(String field) {
      Map<String, Object> body = aRegistration("BACK_OFFICE");
      body.put(
          field,
          field.equals("backchannelLogoutUri")
              ? "https://x.example.gov.uk/bc"
              : List.of("https://x.example.gov.uk/cb"));

      assertInvalidField(register(body), field);
    }

    @Test
    void refusesMachineFieldsOnOtherTypes() {
      Map<String, Object> confidential = aRegistration("CONFIDENTIAL");
      confidential.put("sourceSystem", "PARKING");
      Map<String, Object> backOffice = aRegistration("BACK_OFFICE");
      backOffice.put("organisationOds", "RX1");

      assertInvalidField(register(confidential), "sourceSystem");
      assertInvalidField(register(backOffice), "organisationOds");
    }

    @Test
    void refusesAConfidentialClientWithoutRedirectUris() {
      Map<String, Object> body = aRegistration("CONFIDENTIAL");
      body.remove("redirectUris");

      assertInvalidField(register(body), "redirectUris");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://rp.example.gov.uk/bc",
          "https://rp.example.gov.uk/bc#frag",
          "https://*.example.gov.uk/bc"
        })
    void refusesAnUnsafeBackchannelLogoutUri(String uri) {
      Map<String, Object> body = aRegistration("CONFIDENTIAL");
      body.put("backchannelLogoutUri", uri);

      assertInvalidField(register(body), "backchannelLogoutUri");
    }

    @Test
    void refusesAClientIdShapedLikeAnAccountId() {
      Map<String, Object> body = aRegistration("BACK_OFFICE");
      body.put("clientId", UUID.randomUUID().toString());

      assertInvalidField(register(body), "clientId");
    }

    @Test
    void writesNothingWhenRefused() {
      Map<String, Object> body = aRegistration("PARTNER");
      body.put("organisationOds", "bad");
      register(body);

      assertThat(portal.get("/api/v1/admin/clients/" + body.get("clientId"), adminToken).status())
          .isEqualTo(404);
    }
  }

  @Nested
  class Changing {
    String clientId;

    @BeforeEach
    void aBackOfficeClient() {
      Map<String, Object> body = aRegistration("BACK_OFFICE");
      clientId = (String) body.get("clientId");
      assertThat(register(body).status()).isEqualTo(201);
    }

    @Test
    void rotatesKeys_theOldKeyIsRefusedAndTheNewOneAccepted() throws Exception {
      JWK next = new ECKeyGenerator(Curve.P_256).keyID("next").generate();
      assertThat(clientCredentialsAs(clientId, rsa).status()).isEqualTo(200);

      Portal.Response changed = patch(clientId, Map.of("jwks", jwks(next.toPublicJWK())));

      assertThat(changed.status()).as(changed.body()).isEqualTo(200);
      assertOAuthError(clientCredentialsAs(clientId, rsa), 401, "invalid_client");
      assertThat(clientCredentialsAs(clientId, next).status()).isEqualTo(200);
    }

    @Test
    void changesScopesWithinTheType_andKeepsTheRest() {
      Portal.Response changed =
          patch(clientId, Map.of("scopes", List.of("records:write", "links:write")));

      assertThat(changed.json())
          .containsEntry("scopes", List.of("records:write", "links:write"))
          .containsEntry("sourceSystem", "PARKING")
          .containsKey("jwks");
      assertThat(clientCredentialsAs(clientId, rsa).json())
          .containsEntry("scope", "records:write links:write");
    }

    @Test
    void refusesScopesOutsideTheTypeAndSignInFields() {
      assertInvalidField(patch(clientId, Map.of("scopes", List.of("openid"))), "scopes");
      assertInvalidField(
          patch(clientId, Map.of("redirectUris", List.of("https://x.example.gov.uk/cb"))),
          "redirectUris");
      assertInvalidField(patch(clientId, Map.of("jwks", jwks(rsa))), "jwks");
      assertThat(portal.get("/api/v1/admin/clients/" + clientId, adminToken).json())
          .containsEntry("scopes", List.of("records:write"));
    }

    @Test
    void aDeactivatedClientIsRefusedAtTheTokenEndpoint() {
      assertThat(
              portal.json("DELETE", "/api/v1/admin/clients/" + clientId, null, adminToken).status())
          .isEqualTo(204);

      assertOAuthError(clientCredentialsAs(clientId, rsa), 401, "invalid_client");
    }
  }
}
