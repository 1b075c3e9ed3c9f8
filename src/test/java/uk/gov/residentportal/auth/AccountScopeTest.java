package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.Portal;

/**
 * A council service that signs residents in (scope openid) gets no access to their account API:
 * only tokens issued with scope {@code account} reach /api/v1/me.
 */
@MicronautTest(transactional = false)
class AccountScopeTest {
  @Inject EmbeddedServer server;

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/me", "/api/v1/me/export"})
  void refusesASignInTokenWithoutTheAccountScope(String path) {
    Portal portal = new Portal(server.getURI());
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);
    CodeVerifier verifier = new CodeVerifier();
    String code =
        AuthSteps.code(
            portal, AuthSteps.parkingParams(portal, verifier, "s", "n"), verifier, email);
    Map<String, Object> tokens =
        AuthSteps.tokens(
            AuthSteps.exchange(
                portal, AuthSteps.PARKING, AuthSteps.PARKING_REDIRECT, code, verifier));

    Portal.Response response = portal.get(path, (String) tokens.get("access_token"));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.json()).containsEntry("type", "urn:resident-portal:problem:forbidden");
    assertThat(response.header("www-authenticate"))
        .contains("error=\"insufficient_scope\"")
        .contains("scope=\"account\"");
    // The same resident's userinfo (scope openid) still answers.
    assertThat(portal.get("/oauth2/userinfo", (String) tokens.get("access_token")).status())
        .isEqualTo(200);
  }
}
