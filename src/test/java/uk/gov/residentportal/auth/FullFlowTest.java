package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/**
 * The whole resident journey over real HTTP, checked from outside with Nimbus (an OpenID certified
 * library) as a council service would: sign up, email, verify, authorize, sign in, code, tokens,
 * /me, refresh, old refresh refused, export, erase, sign-in refused.
 */
@MicronautTest(transactional = false)
class FullFlowTest {
  @Inject EmbeddedServer server;

  @Test
  void residentJourneyFromSignUpToErasure() throws Exception {
    Portal portal = new Portal(server.getURI());
    String email = Portal.newEmail();

    // Sign up; the email arrives; verify it.
    Portal.Response signUp = portal.signUp(email, Portal.PASSWORD);
    assertThat(signUp.status()).isEqualTo(201);
    assertThat(signUp.json())
        .containsEntry("email", email)
        .containsEntry("status", "PENDING_VERIFICATION");
    String accountId = (String) signUp.json().get("id");
    assertThat(portal.outbox().latest(email).subject()).isEqualTo("Confirm your email address");
    Portal.Response verified =
        portal.json(
            "POST",
            "/api/v1/accounts/email-verification",
            "{\"token\":\"" + portal.outbox().latest(email).token() + "\"}",
            null);
    assertThat(verified.status()).isEqualTo(204);

    // Discovery, as a relying party reads it.
    OIDCProviderMetadata metadata =
        OIDCProviderMetadata.parse(portal.get("/.well-known/openid-configuration", null).body());
    assertThat(metadata.getIssuer().getValue()).isEqualTo(portal.base());
    JWKSet jwks = JWKSet.parse(portal.get("/oauth2/jwks", null).body());
    assertThat(jwks.getKeys()).isNotEmpty().allSatisfy(k -> assertThat(k.isPrivate()).isFalse());

    // Authorize → sign-in page → sign in → code.
    CodeVerifier verifier = new CodeVerifier();
    Portal.SignInPage page =
        portal.openSignIn(portal.authorizeParams(verifier, "state-123", "nonce-456"), verifier);
    assertThat(page.page().body())
        .contains("<label class=\"govuk-label\" for=\"email\">Email address</label>")
        .contains("<label class=\"govuk-label\" for=\"password\">Password</label>")
        .contains("Sign in");
    Portal.Response redirect = portal.submitSignIn(page, email, Portal.PASSWORD);
    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("location")).startsWith(Portal.REDIRECT + "?");
    Map<String, String> callback = Portal.redirectParams(redirect);
    assertThat(callback).containsEntry("state", "state-123").containsEntry("iss", portal.base());

    // Code → tokens.
    Portal.Response tokenResponse = portal.exchange(callback.get("code"), verifier);
    assertThat(tokenResponse.status()).isEqualTo(200);
    assertThat(tokenResponse.header("cache-control")).isEqualTo("no-store");
    Map<String, Object> tokens = tokenResponse.json();
    assertThat(tokens)
        .containsEntry("token_type", "Bearer")
        .containsKeys("access_token", "refresh_token", "id_token");
    String accessToken = (String) tokens.get("access_token");

    // The ID token verifies with Nimbus against the published JWKS, nonce included.
    IDTokenValidator validator =
        new IDTokenValidator(
            new Issuer(portal.base()), new ClientID(Portal.CLIENT), JWSAlgorithm.ES256, jwks);
    IDTokenClaimsSet idClaims =
        validator.validate(
            JWTParser.parse((String) tokens.get("id_token")), new Nonce("nonce-456"));
    assertThat(idClaims.getSubject().getValue()).isEqualTo(accountId);
    assertThat(idClaims.getStringClaim("email")).isEqualTo(email);
    assertThat(idClaims.getStringClaim("acr")).isEqualTo("P0");
    assertThat(idClaims.getAuthenticationTime()).isNotNull();

    // The access token is an RFC 9068 JWT signed by a published key.
    JWT access = JWTParser.parse(accessToken);
    assertThat(((com.nimbusds.jwt.SignedJWT) access).getHeader().getType().getType())
        .isEqualTo("at+jwt");
    assertThat(
            ((com.nimbusds.jwt.SignedJWT) access)
                .verify(
                    new com.nimbusds.jose.crypto.ECDSAVerifier(
                        jwks.getKeyByKeyId(
                                ((com.nimbusds.jwt.SignedJWT) access).getHeader().getKeyID())
                            .toECKey())))
        .isTrue();
    assertThat(access.getJWTClaimsSet().getClaims())
        .containsKeys("iss", "sub", "aud", "exp", "iat", "jti", "scope", "client_id", "acr");
    new ImmutableJWKSet<SecurityContext>(jwks); // the set is usable as a JOSE key source

    // /api/v1/me with the access token; userinfo too.
    Portal.Response me = portal.get("/api/v1/me", accessToken);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json())
        .containsEntry("id", accountId)
        .containsEntry("email", email)
        .containsEntry("postcode", "LE1 6ZG");
    Portal.Response userinfo = portal.get("/oauth2/userinfo", accessToken);
    assertThat(userinfo.json())
        .containsEntry("sub", accountId)
        .containsEntry("email", email)
        .containsEntry("given_name", "Ada");

    // Refresh rotates; the old refresh token is refused afterwards.
    String firstRefresh = (String) tokens.get("refresh_token");
    Portal.Response refreshed = portal.refresh(firstRefresh);
    assertThat(refreshed.status()).isEqualTo(200);
    String secondRefresh = (String) refreshed.json().get("refresh_token");
    assertThat(secondRefresh).isNotEqualTo(firstRefresh);
    Portal.Response reused = portal.refresh(firstRefresh);
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.json()).containsEntry("error", "invalid_grant");
    // Reuse revoked the family: the newer token is dead too.
    assertThat(portal.refresh(secondRefresh).json()).containsEntry("error", "invalid_grant");

    // ...and so are the access tokens of that grant; the resident signs in again.
    assertThat(portal.get("/api/v1/me", accessToken).status()).isEqualTo(401);
    accessToken = portal.signIn(email).accessToken();

    // Export holds the profile and the sign-ins.
    Portal.Response export = portal.get("/api/v1/me/export", accessToken);
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.json()).containsKeys("account", "signIns", "exportedAt");

    // Erase (password required), then sign-in is refused and the address may register again.
    assertThat(
            portal
                .json(
                    "DELETE",
                    "/api/v1/me",
                    "{\"password\":\"wrong password entirely\"}",
                    accessToken)
                .status())
        .isEqualTo(403);
    assertThat(
            portal
                .json(
                    "DELETE",
                    "/api/v1/me",
                    "{\"password\":\"" + Portal.PASSWORD + "\"}",
                    accessToken)
                .status())
        .isEqualTo(204);
    assertThat(portal.get("/api/v1/me", accessToken).status()).isEqualTo(401);
    CodeVerifier again = new CodeVerifier();
    Portal.SignInPage second = portal.openSignIn(portal.authorizeParams(again, "s", "n"), again);
    Portal.Response refused = portal.submitSignIn(second, email, Portal.PASSWORD);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body()).contains("Enter the email address and password of your account");
    assertThat(portal.signUp(email, Portal.PASSWORD).status()).isEqualTo(201);
  }
}
