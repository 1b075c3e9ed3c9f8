package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.auth.ClientAssertion.CONFIDENTIAL;
import static uk.gov.residentportal.auth.ClientAssertion.CONFIDENTIAL_REDIRECT;
import static uk.gov.residentportal.auth.ClientAssertion.anAssertion;
import static uk.gov.residentportal.auth.TokenEndpointTest.assertOAuthError;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * A server-side council service (CONFIDENTIAL client) signing residents in: the authorization code
 * flow with PKCE as for every client, and private_key_jwt at the token and revocation endpoints
 * instead of a bare client_id.
 */
@MicronautTest(transactional = false)
class ConfidentialClientTest {
  @Inject EmbeddedServer server;

  Portal portal;
  String email;
  CodeVerifier verifier;
  String code;

  @BeforeEach
  void aResidentSignedInThroughTheConfidentialClient() {
    portal = new Portal(server.getURI());
    email = Portal.newEmail();
    portal.signUpAndVerify(email);
    verifier = new CodeVerifier();
    Map<String, String> params = new LinkedHashMap<>(portal.authorizeParams(verifier, "s", "n"));
    params.put("client_id", CONFIDENTIAL);
    params.put("redirect_uri", CONFIDENTIAL_REDIRECT);
    params.put("scope", "openid email");
    code = AuthSteps.code(portal, params, verifier, email);
  }

  Map<String, String> codeExchange(String codeVerifier) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", CONFIDENTIAL_REDIRECT);
    if (codeVerifier != null) {
      form.put("code_verifier", codeVerifier);
    }
    return form;
  }

  Map<String, String> authenticated(Map<String, String> form) {
    form.putAll(ClientAssertion.authentication(anAssertion(CONFIDENTIAL, portal.base()).build()));
    return form;
  }

  Response token(Map<String, String> form) {
    return portal.form("/oauth2/token", form);
  }

  @Nested
  class CodeExchange {
    @Test
    void exchangesTheCodeWithAnAssertion_forAccessIdAndRefreshTokens() {
      Map<String, Object> tokens =
          AuthSteps.tokens(token(authenticated(codeExchange(verifier.getValue()))));

      assertThat(tokens).containsKeys("access_token", "id_token", "refresh_token");
      JWTClaimsSet id = AuthSteps.claims(tokens.get("id_token"));
      assertThat(id.getAudience()).containsExactly(CONFIDENTIAL);
      assertThat(id.getClaim("email")).isEqualTo(email);
      JWTClaimsSet access = AuthSteps.claims(tokens.get("access_token"));
      assertThat(access.getClaim("client_id")).isEqualTo(CONFIDENTIAL);
      // A confidential relying party gets sign-in scopes, never the resident's account API.
      assertThat(portal.get("/api/v1/me", (String) tokens.get("access_token")).status())
          .isEqualTo(403);
      assertThat(portal.get("/oauth2/userinfo", (String) tokens.get("access_token")).json())
          .containsEntry("email", email);
    }

    @Test
    void refusesTheClientIdAlone_with401InvalidClient() {
      Map<String, String> form = codeExchange(verifier.getValue());
      form.put("client_id", CONFIDENTIAL);

      assertOAuthError(token(form), 401, "invalid_client");
      // The refusal did not use the code up.
      assertThat(token(authenticated(codeExchange(verifier.getValue()))).status()).isEqualTo(200);
    }

    @Test
    void stillRequiresThePkceVerifier() {
      assertOAuthError(token(authenticated(codeExchange(null))), 400, "invalid_request");
      assertOAuthError(
          token(authenticated(codeExchange(new CodeVerifier().getValue()))), 400, "invalid_grant");
    }
  }

  @Nested
  class Refresh {
    String refreshToken;

    @BeforeEach
    void tokens() {
      refreshToken =
          (String)
              AuthSteps.tokens(token(authenticated(codeExchange(verifier.getValue()))))
                  .get("refresh_token");
    }

    Map<String, String> refresh(String token) {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "refresh_token");
      form.put("refresh_token", token);
      return form;
    }

    @Test
    void refreshesWithAnAssertion_rotatingTheRefreshToken() {
      Map<String, Object> refreshed = AuthSteps.tokens(token(authenticated(refresh(refreshToken))));

      assertThat(refreshed.get("refresh_token")).isNotNull().isNotEqualTo(refreshToken);
      assertThat(AuthSteps.claims(refreshed.get("access_token")).getClaim("client_id"))
          .isEqualTo(CONFIDENTIAL);
    }

    @Test
    void refusesARefreshWithoutAnAssertion() {
      Map<String, String> form = refresh(refreshToken);
      form.put("client_id", CONFIDENTIAL);

      assertOAuthError(token(form), 401, "invalid_client");
    }

    @Test
    void revokesTheGrantAtTheRevocationEndpointWithAnAssertion() {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("token", refreshToken);

      assertThat(portal.form("/oauth2/revoke", authenticated(form)).status()).isEqualTo(200);
      assertOAuthError(token(authenticated(refresh(refreshToken))), 400, "invalid_grant");
    }

    @Test
    void refusesRevocationWithoutAnAssertion() {
      Response response =
          portal.form("/oauth2/revoke", Map.of("token", refreshToken, "client_id", CONFIDENTIAL));

      assertOAuthError(response, 401, "invalid_client");
    }
  }
}
