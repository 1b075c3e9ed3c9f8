package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * What the provider issues, checked from outside as a relying party checks it: access tokens (RFC
 * 9068), ID tokens (OIDC Core, validated by Nimbus against our JWKS), the claims each scope
 * releases, and the userinfo endpoint that takes the access token.
 */
@MicronautTest(transactional = false)
class IssuedTokensTest {
  private static final String NONCE = "nonce-" + UUID.randomUUID();

  @Inject EmbeddedServer server;

  Portal portal;
  String email;
  String accountId;
  JWKSet jwks;

  @BeforeEach
  void aVerifiedResidentAndOurKeys() throws Exception {
    portal = new Portal(server.getURI());
    email = Portal.newEmail();
    accountId = portal.signUpAndVerify(email);
    jwks = JWKSet.parse(portal.get("/oauth2/jwks", null).body());
  }

  /** A sign-in of council-tax-web with the given scope; the token response. */
  Map<String, Object> signIn(Map<String, String> params, CodeVerifier verifier) {
    String code = AuthSteps.code(portal, params, verifier, email);
    return AuthSteps.tokens(
        AuthSteps.exchange(
            portal, params.get("client_id"), params.get("redirect_uri"), code, verifier));
  }

  Map<String, Object> signIn(String scope) {
    CodeVerifier verifier = new CodeVerifier();
    Map<String, String> params =
        new java.util.LinkedHashMap<>(portal.authorizeParams(verifier, "st", NONCE));
    params.put("scope", scope);
    return signIn(params, verifier);
  }

  Map<String, Object> signInToParking() {
    CodeVerifier verifier = new CodeVerifier();
    return signIn(AuthSteps.parkingParams(portal, verifier, "st", NONCE), verifier);
  }

  IDTokenClaimsSet validIdToken(Object idToken, String clientId) throws Exception {
    IDTokenValidator validator =
        new IDTokenValidator(
            new Issuer(portal.base()), new ClientID(clientId), JWSAlgorithm.ES256, jwks);
    return validator.validate(AuthSteps.jwt(idToken), new Nonce(NONCE));
  }

  @Nested
  class AccessTokens {
    Instant before;
    Map<String, Object> tokens;
    Instant after;

    @BeforeEach
    void signedIn() {
      before = Instant.now();
      tokens = signIn("openid profile email");
      after = Instant.now();
    }

    @Test
    void isTypedAtJwt_andSignedWithES256ByAKeyInTheJwks() throws Exception {
      SignedJWT token = AuthSteps.jwt(tokens.get("access_token"));
      JWSHeader header = token.getHeader();

      assertThat(header.getType()).isEqualTo(new JOSEObjectType("at+jwt"));
      assertThat(header.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
      assertThat(header.getKeyID()).isNotBlank();
      JWK key = jwks.getKeyByKeyId(header.getKeyID());
      assertThat(key).as("kid %s in the JWKS", header.getKeyID()).isNotNull();
      assertThat(token.verify(new ECDSAVerifier(key.toECKey()))).isTrue();
    }

    @Test
    void carriesTheRfc9068Claims() throws Exception {
      JWTClaimsSet claims = AuthSteps.claims(tokens.get("access_token"));

      assertThat(claims.getIssuer()).isEqualTo(portal.base());
      assertThat(claims.getAudience()).containsExactly(portal.base());
      assertThat(claims.getSubject()).isEqualTo(accountId);
      assertThat(claims.getStringClaim("client_id")).isEqualTo(Portal.CLIENT);
      assertThat(claims.getStringClaim("scope")).isEqualTo("openid profile email");
      assertThat(claims.getStringClaim("acr")).isEqualTo("P0");
      assertThat(claims.getJWTID()).isNotBlank();
      assertThat(claims.getIssueTime().toInstant())
          .isBetween(before.minusSeconds(1), after.plusSeconds(1));
      assertThat(
              Duration.between(
                  claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
          .isEqualTo(Duration.ofMinutes(10));
      assertThat(claims.getClaims()).doesNotContainKeys("email", "given_name", "nonce");
    }

    @Test
    void hasAJtiOfItsOwn() throws Exception {
      Map<String, Object> another = signIn("openid profile email");
      Map<String, Object> refreshed =
          AuthSteps.tokens(portal.refresh((String) tokens.get("refresh_token")));

      assertThat(
              List.of(
                  AuthSteps.claims(tokens.get("access_token")).getJWTID(),
                  AuthSteps.claims(another.get("access_token")).getJWTID(),
                  AuthSteps.claims(refreshed.get("access_token")).getJWTID()))
          .doesNotHaveDuplicates();
    }
  }

  @Nested
  class IdTokens {
    Instant before;
    Map<String, Object> tokens;
    Instant after;

    @BeforeEach
    void signedIn() {
      before = Instant.now();
      tokens = signIn("openid profile email");
      after = Instant.now();
    }

    @Test
    void validatesWithNimbusAgainstOurJwks_withTheNonceTheClientSent() throws Exception {
      IDTokenClaimsSet claims = validIdToken(tokens.get("id_token"), Portal.CLIENT);

      assertThat(claims.getIssuer().getValue()).isEqualTo(portal.base());
      assertThat(claims.getSubject().getValue()).isEqualTo(accountId);
      assertThat(claims.getAudience()).extracting(a -> a.getValue()).containsExactly(Portal.CLIENT);
      assertThat(claims.getAuthorizedParty().getValue()).isEqualTo(Portal.CLIENT);
      assertThat(claims.getNonce().getValue()).isEqualTo(NONCE);
      assertThat(claims.getAuthenticationTime().toInstant())
          .isBetween(before.minusSeconds(1), after.plusSeconds(1));
      assertThat(claims.getAMR()).extracting(a -> a.getValue()).containsExactly("pwd");
      assertThat(claims.getACR().getValue()).isEqualTo("P0");
    }

    @Test
    void isNotTypedAsAnAccessToken() {
      JOSEObjectType type = AuthSteps.jwt(tokens.get("id_token")).getHeader().getType();

      assertThat(type).isNotEqualTo(new JOSEObjectType("at+jwt"));
    }

    @Test
    void carriesTheProfileAndEmailClaims_forThoseScopes() throws Exception {
      IDTokenClaimsSet claims = validIdToken(tokens.get("id_token"), Portal.CLIENT);

      assertThat(claims.getStringClaim("email")).isEqualTo(email);
      assertThat(claims.getBooleanClaim("email_verified")).isTrue();
      assertThat(claims.getStringClaim("given_name")).isEqualTo("Ada");
      assertThat(claims.getStringClaim("family_name")).isEqualTo("Lovelace");
    }

    @Test
    void isRefusedByNimbus_forAnotherNonce() {
      IDTokenValidator validator =
          new IDTokenValidator(
              new Issuer(portal.base()), new ClientID(Portal.CLIENT), JWSAlgorithm.ES256, jwks);

      assertThatThrownBy(
              () ->
                  validator.validate(
                      AuthSteps.jwt(tokens.get("id_token")), new Nonce("another-nonce")))
          .isInstanceOf(BadJOSEException.class);
    }

    @Test
    void isRefusedByNimbus_forAnotherClient() {
      assertThatThrownBy(() -> validIdToken(tokens.get("id_token"), AuthSteps.PARKING))
          .isInstanceOf(BadJOSEException.class);
    }

    @Test
    void hasNoNonce_whenTheClientSentNone() throws Exception {
      CodeVerifier verifier = new CodeVerifier();
      Map<String, String> params =
          new java.util.LinkedHashMap<>(portal.authorizeParams(verifier, "st", "unused"));
      params.remove("nonce");

      Map<String, Object> withoutNonce = signIn(params, verifier);

      assertThat(AuthSteps.claims(withoutNonce.get("id_token")).getClaims())
          .doesNotContainKey("nonce");
    }
  }

  @Nested
  class ClaimsByScope {

    @Test
    void releasesOnlyTheSubject_forScopeOpenidAlone() throws Exception {
      // parking-app may only ask for openid.
      Map<String, Object> tokens = signInToParking();

      IDTokenClaimsSet idToken = validIdToken(tokens.get("id_token"), AuthSteps.PARKING);
      assertThat(idToken.getSubject().getValue()).isEqualTo(accountId);
      assertThat(idToken.toJWTClaimsSet().getClaims())
          .doesNotContainKeys("email", "email_verified", "given_name", "family_name");
      Response userinfo = portal.get("/oauth2/userinfo", (String) tokens.get("access_token"));
      assertThat(userinfo.status()).isEqualTo(200);
      assertThat(userinfo.json()).containsOnlyKeys("sub").containsEntry("sub", accountId);
    }

    @Test
    void issuesNoIdToken_withoutScopeOpenid() {
      Map<String, Object> tokens = signIn("email profile");

      assertThat(tokens).doesNotContainKey("id_token").containsEntry("scope", "email profile");
      assertThat(AuthSteps.claims(tokens.get("access_token")).getClaims())
          .containsEntry("scope", "email profile");
    }

    @Test
    void releasesEmailButNoNames_forScopeEmail() {
      Map<String, Object> tokens = signIn("openid email");

      assertThat(AuthSteps.claims(tokens.get("id_token")).getClaims())
          .containsEntry("email", email)
          .containsEntry("email_verified", true)
          .doesNotContainKeys("given_name", "family_name");
      assertThat(portal.get("/oauth2/userinfo", (String) tokens.get("access_token")).json())
          .containsOnlyKeys("sub", "email", "email_verified");
    }

    @Test
    void releasesNamesButNoEmail_forScopeProfile() {
      Map<String, Object> tokens = signIn("openid profile");

      assertThat(AuthSteps.claims(tokens.get("id_token")).getClaims())
          .containsEntry("given_name", "Ada")
          .containsEntry("family_name", "Lovelace")
          .doesNotContainKeys("email", "email_verified");
      assertThat(portal.get("/oauth2/userinfo", (String) tokens.get("access_token")).json())
          .containsOnlyKeys("sub", "given_name", "family_name");
    }
  }

  @Nested
  class Userinfo {
    Map<String, Object> tokens;

    @BeforeEach
    void signedIn() {
      tokens = signIn("openid profile email");
    }

    String accessToken() {
      return (String) tokens.get("access_token");
    }

    void assertRefused(Response response) {
      assertThat(response.status()).isEqualTo(401);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json())
          .containsEntry("type", "urn:resident-portal:problem:unauthorized")
          .doesNotContainKeys("sub", "email");
    }

    @Test
    void answersTheResidentsClaims_forTheAccessToken() {
      Response response = portal.get("/oauth2/userinfo", accessToken());

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.contentType()).startsWith("application/json");
      assertThat(response.header("cache-control")).isEqualTo("no-store");
      assertThat(response.json())
          .containsEntry("sub", accountId)
          .containsEntry("email", email)
          .containsEntry("email_verified", true)
          .containsEntry("given_name", "Ada")
          .containsEntry("family_name", "Lovelace");
    }

    @Test
    void refusesAnAccessTokenIssuedWithoutScopeOpenid_with403() {
      // A plain OAuth request (no openid) is allowed, but userinfo is OpenID Connect only.
      Map<String, Object> oauthOnly = signIn("email");

      Response response = portal.get("/oauth2/userinfo", (String) oauthOnly.get("access_token"));

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json())
          .containsEntry("type", "urn:resident-portal:problem:forbidden")
          .doesNotContainKeys("sub", "email");
    }

    @Test
    void refusesARequestWithoutToken_with401() {
      assertRefused(portal.get("/oauth2/userinfo", null));
    }

    @Test
    void asksForABearerToken_whenRefusing() {
      // RFC 6750 section 3 (and OIDC Core 5.3.3): a 401 MUST carry WWW-Authenticate.
      Response response = portal.get("/oauth2/userinfo", null);

      assertThat(response.status()).isEqualTo(401);
      assertThat(response.header("www-authenticate")).startsWith("Bearer");
    }

    @Test
    void refusesTheIdTokenAsBearer() {
      assertRefused(portal.get("/oauth2/userinfo", (String) tokens.get("id_token")));
    }

    @Test
    void refusesTheRefreshTokenAsBearer() {
      assertRefused(portal.get("/oauth2/userinfo", (String) tokens.get("refresh_token")));
    }

    @Test
    void refusesATokenSignedByAnotherKeyUnderOurKid() throws Exception {
      SignedJWT genuine = AuthSteps.jwt(accessToken());
      ECKey forger =
          new ECKeyGenerator(Curve.P_256).keyID(genuine.getHeader().getKeyID()).generate();
      SignedJWT forged = new SignedJWT(genuine.getHeader(), genuine.getJWTClaimsSet());
      forged.sign(new ECDSASigner(forger));

      assertRefused(portal.get("/oauth2/userinfo", forged.serialize()));
    }

    @Test
    void refusesATokenWhoseClaimsWereChanged() throws Exception {
      SignedJWT genuine = AuthSteps.jwt(accessToken());
      JWTClaimsSet otherResident =
          new JWTClaimsSet.Builder(genuine.getJWTClaimsSet())
              .subject(UUID.randomUUID().toString())
              .build();
      String[] parts = genuine.serialize().split("\\.");
      String tampered =
          parts[0] + "." + Base64URL.encode(otherResident.toString()) + "." + parts[2];

      assertRefused(portal.get("/oauth2/userinfo", tampered));
    }

    @Test
    void refusesAnUnsignedToken() throws Exception {
      PlainJWT unsigned =
          new PlainJWT(
              new com.nimbusds.jose.PlainHeader.Builder()
                  .type(new JOSEObjectType("at+jwt"))
                  .build(),
              AuthSteps.jwt(accessToken()).getJWTClaimsSet());

      assertRefused(portal.get("/oauth2/userinfo", unsigned.serialize()));
    }
  }
}
