package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/** RFC 7009 token revocation, and grants ended elsewhere, refuse access tokens at once. */
@MicronautTest(transactional = false)
class RevocationTest {
  @Inject EmbeddedServer server;

  private Portal portal;
  private String email;

  @BeforeEach
  void resident() {
    portal = new Portal(server.getURI());
    email = Portal.newEmail();
    portal.signUpAndVerify(email);
  }

  private Portal.Response revoke(String token, String clientId) {
    return portal.form("/oauth2/revoke", Map.of("token", token, "client_id", clientId));
  }

  private int me(String accessToken) {
    return portal.get("/api/v1/me", accessToken).status();
  }

  @Nested
  class RevokingTokens {
    @Test
    void revokesAnAccessTokenAtOnce_leavingOtherGrantsAlone() {
      Portal.Tokens first = portal.signIn(email);
      Portal.Tokens second = portal.signIn(email);

      Portal.Response response = revoke(first.accessToken(), Portal.CLIENT);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("cache-control")).isEqualTo("no-store");
      Portal.Response refused = portal.get("/api/v1/me", first.accessToken());
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("www-authenticate")).contains("invalid_token");
      assertThat(refused.json()).containsEntry("type", "urn:resident-portal:problem:unauthorized");
      assertThat(me(second.accessToken())).isEqualTo(200);
    }

    @Test
    void revokingARefreshTokenEndsTheWholeGrant() {
      Portal.Tokens tokens = portal.signIn(email);

      assertThat(revoke(tokens.refreshToken(), Portal.CLIENT).status()).isEqualTo(200);

      assertThat(portal.refresh(tokens.refreshToken()).json())
          .containsEntry("error", "invalid_grant");
      assertThat(me(tokens.accessToken())).isEqualTo(401);
    }

    @Test
    void answers200ForATokenItDoesNotKnow() {
      assertThat(revoke("not-a-token-we-issued", Portal.CLIENT).status()).isEqualTo(200);
      assertThat(revoke("a.b.c", Portal.CLIENT).status()).isEqualTo(200);
    }

    @Test
    void isIdempotent() {
      Portal.Tokens tokens = portal.signIn(email);
      assertThat(revoke(tokens.accessToken(), Portal.CLIENT).status()).isEqualTo(200);
      assertThat(revoke(tokens.accessToken(), Portal.CLIENT).status()).isEqualTo(200);
      assertThat(me(tokens.accessToken())).isEqualTo(401);
    }
  }

  @Nested
  class RefusedCallers {
    @Test
    void refusesAnotherClientsToken_andLeavesItWorking() {
      Portal.Tokens tokens = portal.signIn(email);

      Portal.Response response = revoke(tokens.refreshToken(), AuthSteps.PARKING);

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.json()).containsEntry("error", "unauthorized_client");
      assertThat(revoke(tokens.accessToken(), AuthSteps.PARKING).json())
          .containsEntry("error", "unauthorized_client");
      assertThat(me(tokens.accessToken())).isEqualTo(200);
      assertThat(portal.refresh(tokens.refreshToken()).status()).isEqualTo(200);
    }

    @Test
    void refusesAnUnknownOrMissingClient() {
      Portal.Response unknown = revoke("anything", "no-such-client");
      assertThat(unknown.status()).isEqualTo(401);
      assertThat(unknown.json()).containsEntry("error", "invalid_client");
      Portal.Response missing = portal.form("/oauth2/revoke", Map.of("token", "anything"));
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.json()).containsEntry("error", "invalid_client");
    }

    @Test
    void refusesARequestWithoutAToken() {
      Portal.Response response = portal.form("/oauth2/revoke", Map.of("client_id", Portal.CLIENT));
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.json()).containsEntry("error", "invalid_request");
    }
  }

  @Nested
  class GrantsEndedElsewhere {
    @Test
    void aReplayedCodeRevokesTheAccessTokenItIssued() {
      CodeVerifier verifier = new CodeVerifier();
      String code = portal.code(email, verifier);
      String accessToken = (String) portal.exchange(code, verifier).json().get("access_token");
      assertThat(me(accessToken)).isEqualTo(200);

      assertThat(portal.exchange(code, verifier).json()).containsEntry("error", "invalid_grant");

      assertThat(me(accessToken)).isEqualTo(401);
    }

    @Test
    void aReusedRefreshTokenRevokesTheAccessTokensOfItsGrant() {
      Portal.Tokens tokens = portal.signIn(email);
      String newer = (String) portal.refresh(tokens.refreshToken()).json().get("access_token");

      portal.refresh(tokens.refreshToken());

      assertThat(me(tokens.accessToken())).isEqualTo(401);
      assertThat(me(newer)).isEqualTo(401);
    }

    @Test
    void aPasswordResetRevokesEveryAccessToken() {
      Portal.Tokens tokens = portal.signIn(email);
      portal.json("POST", "/api/v1/accounts/password-reset", "{\"email\":\"" + email + "\"}", null);
      String token = portal.outbox().latest(email).token();

      assertThat(
              portal
                  .json(
                      "POST",
                      "/api/v1/accounts/password-reset/confirm",
                      "{\"token\":\""
                          + token
                          + "\",\"newPassword\":\"violet tractor summer lantern\"}",
                      null)
                  .status())
          .isEqualTo(204);

      assertThat(me(tokens.accessToken())).isEqualTo(401);
    }
  }
}
