package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/**
 * A verified access token is remembered (its signature is not checked again), yet a token changed
 * anywhere after it was remembered is refused, and revocation still applies on every request.
 */
@MicronautTest(transactional = false)
class AccessTokenCacheTest {
  @Inject EmbeddedServer server;
  @Inject AccessTokenVerifier verifier;

  @Test
  void aRememberedTokenIsAcceptedAgainAndItsAlteredCopiesAreNot() throws Exception {
    Portal portal = new Portal(server.getURI());
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);
    String token = portal.signIn(email).accessToken();
    long before = verifier.remembered();

    assertThat(portal.get("/api/v1/me", token).status()).isEqualTo(200);
    assertThat(verifier.remembered()).isEqualTo(before + 1);
    assertThat(portal.get("/api/v1/me", token).status()).isEqualTo(200);
    assertThat(verifier.remembered()).isEqualTo(before + 1);

    SignedJWT jwt = SignedJWT.parse(token);
    String[] parts = token.split("\\.");
    // The same signature over other claims that would be accepted if they were signed: the same
    // resident, a token that lives an hour longer. Refused by the verifier itself, not later.
    long exp = jwt.getJWTClaimsSet().getExpirationTime().getTime() / 1000;
    String longer =
        Base64URL.encode(
                jwt.getPayload().toString().replace("\"exp\":" + exp, "\"exp\":" + (exp + 3600)))
            .toString();
    assertThat(longer).isNotEqualTo(parts[1]);
    String altered = parts[0] + "." + longer + "." + parts[2];
    assertThat(verifier.verify(SignedJWT.parse(altered))).isFalse();
    assertThat(portal.get("/api/v1/me", altered).status()).isEqualTo(401);
    // The same claims with another signature.
    byte[] signature = jwt.getSignature().decode();
    signature[5] ^= 1;
    assertThat(
            portal
                .get("/api/v1/me", parts[0] + "." + parts[1] + "." + Base64URL.encode(signature))
                .status())
        .isEqualTo(401);
    assertThat(verifier.remembered()).isEqualTo(before + 1);
  }

  @Test
  void aRememberedTokenRevokedIsRefusedFromTheNextRequestOn() {
    Portal portal = new Portal(server.getURI());
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);
    Portal.Tokens tokens = portal.signIn(email);
    assertThat(portal.get("/api/v1/me", tokens.accessToken()).status()).isEqualTo(200);

    Portal.Response revoke =
        portal.form(
            "/oauth2/revoke",
            java.util.Map.of("token", tokens.accessToken(), "client_id", Portal.CLIENT));
    assertThat(revoke.status()).isEqualTo(200);
    assertThat(portal.get("/api/v1/me", tokens.accessToken()).status()).isEqualTo(401);
  }
}
