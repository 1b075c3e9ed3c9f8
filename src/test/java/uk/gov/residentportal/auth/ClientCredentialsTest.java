package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.auth.ClientAssertion.BACK_OFFICE;
import static uk.gov.residentportal.auth.ClientAssertion.CONFIDENTIAL;
import static uk.gov.residentportal.auth.ClientAssertion.PARTNER;
import static uk.gov.residentportal.auth.ClientAssertion.anAssertion;
import static uk.gov.residentportal.auth.ClientAssertion.clientCredentials;
import static uk.gov.residentportal.auth.TokenEndpointTest.assertOAuthError;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.shared.SecretTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * Back-office systems and NHS partners at the token endpoint: client_credentials with a
 * private_key_jwt assertion (RFC 7523) by the NHS API platform's rules. Every rule is shown by
 * sending what breaks it and checking the refusal.
 */
@MicronautTest(transactional = false)
class ClientCredentialsTest {
  @Inject EmbeddedServer server;
  @Inject Housekeeping housekeeping;

  Portal portal;
  String issuer;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    issuer = portal.base();
  }

  Response token(Map<String, String> form) {
    return portal.form("/oauth2/token", form);
  }

  Response clientCredentialsWith(String assertion) {
    return token(clientCredentials(assertion, null));
  }

  /** 401 invalid_client with WWW-Authenticate, and nothing of the assertion echoed back. */
  static void assertInvalidClient(Response response, String assertion) {
    assertOAuthError(response, 401, "invalid_client");
    assertThat(response.body()).doesNotContain(assertion);
    String[] parts = assertion.split("\\.");
    if (parts.length > 1 && parts[1].length() > 8) {
      assertThat(response.body()).doesNotContain(parts[1]);
    }
  }

  @Nested
  class Grant {
    @Test
    void issuesABackOfficeSystemAnAccessTokenForItselfWithItsRegisteredScopes() {
      Response response = clientCredentialsWith(anAssertion(BACK_OFFICE, issuer).build());

      Map<String, Object> json = AuthSteps.tokens(response);
      assertThat(response.header("cache-control")).isEqualTo("no-store");
      assertThat(json)
          .containsEntry("token_type", "Bearer")
          .containsEntry("scope", "records:write links:write")
          .doesNotContainKey("refresh_token")
          .doesNotContainKey("id_token");
      long expiresIn = ((Number) json.get("expires_in")).longValue();
      assertThat(expiresIn).isBetween(300L, 600L);

      JWTClaimsSet claims = AuthSteps.claims(json.get("access_token"));
      assertThat(AuthSteps.jwt(json.get("access_token")).getHeader().getType().getType())
          .isEqualTo("at+jwt");
      // RFC 9068 section 2.2: for client_credentials the subject is the client, never a resident.
      assertThat(claims.getSubject()).isEqualTo(BACK_OFFICE);
      assertThat(claims.getClaim("client_id")).isEqualTo(BACK_OFFICE);
      assertThat(claims.getClaim("source_system")).isEqualTo("COUNCIL_TAX");
      assertThat(claims.getClaim("organisation_ods")).isNull();
      assertThat(claims.getIssuer()).isEqualTo(issuer);
      assertThat(claims.getAudience()).containsExactly(issuer);
      assertThat(claims.getJWTID()).isNotBlank();
      assertThat(claims.getClaim("grant_id")).isNull();
      Duration life =
          Duration.between(
              claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant());
      assertThat(life).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
    }

    @Test
    void issuesAPartnerAnAccessTokenNamingItsOrganisation_withAnEcSignedAssertion() {
      Map<String, Object> json =
          AuthSteps.tokens(clientCredentialsWith(anAssertion(PARTNER, issuer).build()));

      JWTClaimsSet claims = AuthSteps.claims(json.get("access_token"));
      assertThat(json).containsEntry("scope", "partner:resident.read");
      assertThat(claims.getSubject()).isEqualTo(PARTNER);
      assertThat(claims.getClaim("organisation_ods")).isEqualTo("RX1");
      assertThat(claims.getClaim("source_system")).isNull();
    }

    @Test
    void grantsANarrowerScopeWhenAsked() {
      Map<String, Object> json =
          AuthSteps.tokens(
              token(clientCredentials(anAssertion(BACK_OFFICE, issuer).build(), "links:write")));

      assertThat(json).containsEntry("scope", "links:write");
      assertThat(AuthSteps.claims(json.get("access_token")).getClaim("scope"))
          .isEqualTo("links:write");
    }

    @ParameterizedTest
    @ValueSource(strings = {"partner:resident.read", "records:write account", "openid"})
    void refusesAScopeNotRegisteredForTheClient_asInvalidScope(String scope) {
      Response response = token(clientCredentials(anAssertion(BACK_OFFICE, issuer).build(), scope));

      assertOAuthError(response, 400, "invalid_scope");
    }

    @Test
    void acceptsTheIssuerAsAudience_andAOneElementAudienceArray() {
      assertThat(
              clientCredentialsWith(anAssertion(BACK_OFFICE, issuer).withAud(issuer).build())
                  .status())
          .isEqualTo(200);
      assertThat(
              clientCredentialsWith(
                      anAssertion(BACK_OFFICE, issuer)
                          .withAud(List.of(issuer + "/oauth2/token"))
                          .build())
                  .status())
          .isEqualTo(200);
    }

    @Test
    void acceptsClientIdAlongsideTheAssertionWhenItMatches() {
      Map<String, String> form = clientCredentials(anAssertion(PARTNER, issuer).build(), null);
      form.put("client_id", PARTNER);

      assertThat(token(form).status()).isEqualTo(200);
    }

    @Test
    void refusesAPublicClient_asUnauthorizedClient() {
      Response response =
          token(Map.of("grant_type", "client_credentials", "client_id", Portal.CLIENT));

      assertOAuthError(response, 400, "unauthorized_client");
    }

    @Test
    void refusesAConfidentialSignInClient_asUnauthorizedClient() {
      Response response = clientCredentialsWith(anAssertion(CONFIDENTIAL, issuer).build());

      assertOAuthError(response, 400, "unauthorized_client");
    }

    @Test
    void refusesTheSignInGrantsToAMachineClient_asUnauthorizedClient() {
      Map<String, String> form =
          new LinkedHashMap<>(
              ClientAssertion.authentication(anAssertion(BACK_OFFICE, issuer).build()));
      form.put("grant_type", "refresh_token");
      form.put("refresh_token", "x".repeat(43));

      assertOAuthError(token(form), 400, "unauthorized_client");
    }
  }

  @Nested
  class MachineTokens {
    String backOffice;
    String partner;

    @BeforeEach
    void issued() {
      backOffice =
          (String)
              AuthSteps.tokens(clientCredentialsWith(anAssertion(BACK_OFFICE, issuer).build()))
                  .get("access_token");
      partner =
          (String)
              AuthSteps.tokens(clientCredentialsWith(anAssertion(PARTNER, issuer).build()))
                  .get("access_token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/me", "/api/v1/me/export"})
    void neverPassAsAResidents_theAccountApiAnswers403InsufficientScope(String path) {
      for (String token : List.of(backOffice, partner)) {
        Response response = portal.get(path, token);

        assertThat(response.status()).as(path).isEqualTo(403);
        assertThat(response.json()).containsEntry("type", "urn:resident-portal:problem:forbidden");
        assertThat(response.header("www-authenticate")).contains("error=\"insufficient_scope\"");
      }
    }

    @Test
    void areAcceptedByMicronautSecurity_butGetNoUserinfoAndNoAdministration() {
      // Accepted as valid bearer tokens (a refused token would be 401), yet no resident's claims.
      assertThat(portal.get("/oauth2/userinfo", backOffice).status()).isEqualTo(403);
      assertThat(portal.get("/api/v1/admin/clients", partner).status()).isEqualTo(403);
    }

    @Test
    void canBeRevokedByTheirClient_authenticatedWithAnAssertion() {
      Map<String, String> form =
          new LinkedHashMap<>(
              ClientAssertion.authentication(anAssertion(BACK_OFFICE, issuer).build()));
      form.put("token", backOffice);

      Response revoked = portal.form("/oauth2/revoke", form);

      assertThat(revoked.status()).isEqualTo(200);
      assertThat(portal.get("/api/v1/me", backOffice).status()).isEqualTo(401);
      assertThat(portal.get("/api/v1/me", partner).status()).isEqualTo(403);
    }

    @Test
    void cannotBeRevokedByAnotherClient() {
      Map<String, String> form =
          new LinkedHashMap<>(ClientAssertion.authentication(anAssertion(PARTNER, issuer).build()));
      form.put("token", backOffice);

      assertOAuthError(portal.form("/oauth2/revoke", form), 400, "unauthorized_client");
      assertThat(portal.get("/api/v1/me", backOffice).status()).isEqualTo(403);
    }
  }

  @Nested
  class AssertionRules {
    @Test
    void refusesAlgNone() {
      String assertion = anAssertion(BACK_OFFICE, issuer).unsigned().build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesHs256KeyedWithTheClientsPublicKey() {
      String assertion = anAssertion(BACK_OFFICE, issuer).hmacWithThePublicKey().build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesAnAlgorithmOffTheAllowList_evenWithTheRightKey() {
      String assertion = anAssertion(BACK_OFFICE, issuer).withAlg(JWSAlgorithm.PS256).build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesAnAlgorithmThatDoesNotFitTheKey() {
      // The partner's key is P-256; ES384 needs P-384 (and RS256 an RSA key).
      String es384 =
          anAssertion(PARTNER, issuer).withAlgInHeaderAfterSigning(JWSAlgorithm.ES384).build();
      String rs256 =
          anAssertion(PARTNER, issuer).withAlgInHeaderAfterSigning(JWSAlgorithm.RS256).build();

      assertInvalidClient(clientCredentialsWith(es384), es384);
      assertInvalidClient(clientCredentialsWith(rs256), rs256);
    }

    @Test
    void refusesAnAssertionWhoseHeaderWasAltered() {
      String assertion =
          anAssertion(BACK_OFFICE, issuer).withAlgInHeaderAfterSigning(JWSAlgorithm.RS512).build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesAnUnknownKid() {
      String assertion = anAssertion(BACK_OFFICE, issuer).withKid("not-registered").build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesAMissingKid() {
      String assertion = anAssertion(BACK_OFFICE, issuer).withoutKid().build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesASignatureByAnotherKey_underTheRegisteredKid() throws Exception {
      String assertion =
          anAssertion(BACK_OFFICE, issuer)
              .signedWith(new RSAKeyGenerator(2048).keyID("records-push-2026").generate())
              .build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesAnotherClientsKey() throws Exception {
      // Signed correctly by the partner's key, presented as the back-office system.
      String assertion =
          anAssertion(BACK_OFFICE, issuer)
              .signedWith(ClientAssertion.privateKey(PARTNER))
              .withAlg(JWSAlgorithm.ES256)
              .withKid("partner-rx1-2026")
              .build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesExpTenMinutesAhead() {
      String assertion =
          anAssertion(BACK_OFFICE, issuer)
              .withExp(Instant.now().plus(Duration.ofMinutes(10)))
              .build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesAnExpiredAssertion() {
      String assertion =
          anAssertion(BACK_OFFICE, issuer)
              .withIat(Instant.now().minus(Duration.ofMinutes(5)))
              .withExp(Instant.now().minus(Duration.ofMinutes(1)))
              .build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesAMissingExp() {
      String assertion = anAssertion(BACK_OFFICE, issuer).withExp(null).build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesIatOrNbfInTheFuture() {
      Instant later = Instant.now().plus(Duration.ofMinutes(2));
      String iat = anAssertion(BACK_OFFICE, issuer).withIat(later).build();
      String nbf = anAssertion(BACK_OFFICE, issuer).withNbf(later).build();

      assertInvalidClient(clientCredentialsWith(iat), iat);
      assertInvalidClient(clientCredentialsWith(nbf), nbf);
    }

    @Test
    void refusesAReplayedJti() {
      String assertion = anAssertion(BACK_OFFICE, issuer).build();
      assertThat(clientCredentialsWith(assertion).status()).isEqualTo(200);

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesTheSameJtiInANewAssertion() {
      String jti = "jti-" + System.nanoTime();
      assertThat(clientCredentialsWith(anAssertion(PARTNER, issuer).withJti(jti).build()).status())
          .isEqualTo(200);

      String again = anAssertion(PARTNER, issuer).withJti(jti).build();
      assertInvalidClient(clientCredentialsWith(again), again);
    }

    @Test
    void acceptsAReplayedAssertionOnlyOnce_whenRequestsRace() {
      String assertion = anAssertion(BACK_OFFICE, issuer).build();

      List<Response> responses =
          TokenEndpointTest.concurrently(6, () -> clientCredentialsWith(assertion));

      assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(1);
      assertThat(responses)
          .filteredOn(r -> r.status() != 200)
          .allSatisfy(r -> assertInvalidClient(r, assertion));
    }

    @Test
    void remembersTheJtiOnlyAsItsHash_untilHousekeepingDropsItAfterExpiry() {
      String jti = "jti-" + UUID.randomUUID();
      assertThat(
              clientCredentialsWith(anAssertion(BACK_OFFICE, issuer).withJti(jti).build()).status())
          .isEqualTo(200);
      String sql = "SELECT COUNT(*) FROM client_assertions WHERE client_id = ? AND jti_hash = ?";
      assertThat(AuthSteps.count(sql, BACK_OFFICE, SecretTokens.hash(jti))).isEqualTo(1);
      assertThat(AuthSteps.count(sql, BACK_OFFICE, jti)).isZero();

      housekeeping.deleteExpired();
      assertThat(AuthSteps.count(sql, BACK_OFFICE, SecretTokens.hash(jti))).isEqualTo(1);
      // As if its lifetime had passed.
      AuthSteps.update(
          "UPDATE client_assertions SET expires_at = ? WHERE jti_hash = ?",
          java.sql.Timestamp.from(Instant.now().minus(Duration.ofMinutes(1))),
          SecretTokens.hash(jti));
      housekeeping.deleteExpired();
      assertThat(AuthSteps.count(sql, BACK_OFFICE, SecretTokens.hash(jti))).isZero();
    }

    @Test
    void refusesAMissingJti() {
      String assertion = anAssertion(BACK_OFFICE, issuer).withJti(null).build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "https://elsewhere.example/oauth2/token",
          "/oauth2/token/x",
          "/oauth2/revoke",
          "/oauth2/authorize"
        })
    void refusesAWrongAudience(String audience) {
      String aud = audience.startsWith("/") ? issuer + audience : audience;
      String assertion = anAssertion(BACK_OFFICE, issuer).withAud(aud).build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesSeveralAudiences_evenWhenOneIsUs() {
      String assertion =
          anAssertion(BACK_OFFICE, issuer)
              .withAud(
                  java.util.List.of(issuer + "/oauth2/token", "https://elsewhere.example/token"))
              .build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesIssOtherThanSub() {
      String assertion = anAssertion(BACK_OFFICE, issuer).withSub(PARTNER).build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesIssOtherThanTheClientIdSent() {
      String assertion = anAssertion(BACK_OFFICE, issuer).build();
      Map<String, String> form = clientCredentials(assertion, null);
      form.put("client_id", PARTNER);

      assertInvalidClient(token(form), assertion);
    }

    @Test
    void refusesAnAssertionNamingAnUnknownClient() {
      String assertion =
          anAssertion(BACK_OFFICE, issuer)
              .withIss("no-such-client")
              .withSub("no-such-client")
              .build();

      assertInvalidClient(clientCredentialsWith(assertion), assertion);
    }

    @Test
    void refusesAnUnsupportedClientAssertionType() {
      String assertion = anAssertion(BACK_OFFICE, issuer).build();
      Map<String, String> form = clientCredentials(assertion, null);
      form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer");

      assertInvalidClient(token(form), assertion);
    }

    @Test
    void refusesAnAssertionWithoutItsType_andATypeWithoutAnAssertion_asInvalidRequest() {
      Map<String, String> noType =
          clientCredentials(anAssertion(BACK_OFFICE, issuer).build(), null);
      noType.remove("client_assertion_type");
      Map<String, String> noAssertion =
          clientCredentials(anAssertion(BACK_OFFICE, issuer).build(), null);
      noAssertion.remove("client_assertion");

      assertOAuthError(token(noType), 400, "invalid_request");
      assertOAuthError(token(noAssertion), 400, "invalid_request");
    }

    @Test
    void refusesARepeatedAssertion_asInvalidRequest() {
      String assertion = anAssertion(BACK_OFFICE, issuer).build();
      String body =
          Portal.encode(clientCredentials(assertion, null))
              + "&client_assertion="
              + anAssertion(BACK_OFFICE, issuer).build();

      Response response = portal.post("/oauth2/token", "application/x-www-form-urlencoded", body);

      assertOAuthError(response, 400, "invalid_request");
    }

    @Test
    void refusesGarbageAsTheAssertion() {
      assertInvalidClient(clientCredentialsWith("not.a.jwt"), "not.a.jwt");
    }

    @Test
    void refusesAMachineClientSendingNoAssertion() {
      Response response =
          token(Map.of("grant_type", "client_credentials", "client_id", BACK_OFFICE));

      assertOAuthError(response, 401, "invalid_client");
    }

    @Test
    void refusesAPublicClientSendingAnAssertion() throws Exception {
      var key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
      String assertion = anAssertion(Portal.CLIENT, key, issuer + "/oauth2/token").build();
      Map<String, String> form = clientCredentials(assertion, null);
      form.put("client_id", Portal.CLIENT);

      assertInvalidClient(token(form), assertion);
    }
  }
}
