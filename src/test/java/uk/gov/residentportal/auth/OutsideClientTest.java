package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/**
 * The provider tested from outside, by clients nobody here wrote: {@code openid-client} and {@code
 * jose} from npm, with the sign-in form filled in by Debian's Chromium (playwright-core).
 * Discovery, authorization code + PKCE, both tokens verified against our JWKS, userinfo, refresh
 * rotation and replay, code replay and revocation. The checks are in {@code
 * tools/oidc-client-check.mjs}.
 *
 * <p>With its options it also checks SSO ({@code --sso
 * parking-app=http://localhost/parking/callback}: a second client gets a code from the browser
 * session), RP-initiated logout ({@code --logout http://localhost/}, council-tax-web's registered
 * post-logout URI; afterwards prompt=none answers login_required for both clients) and
 * client_credentials with a private_key_jwt assertion signed by openid-client ({@code
 * --client-credentials outside-check=src/test/resources/outside-client-key.jwk.json};
 * test-clients.json registers {@code outside-check} with that key's public half).
 */
@MicronautTest(transactional = false)
class OutsideClientTest {
  @Inject EmbeddedServer server;

  @Test
  void certifiedClientLibrariesSignInVerifyRefreshRevokeSsoLogOutAndUseClientCredentials()
      throws Exception {
    Portal portal = new Portal(server.getURI());
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);

    // Output to a file, not a pipe: nothing can block the script on a full pipe buffer.
    Path log = Path.of("target/oidc-client-check.log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    Process node =
        new ProcessBuilder(
                "node",
                "tools/oidc-client-check.mjs",
                portal.base(),
                email,
                Portal.PASSWORD,
                "--sso",
                "parking-app=http://localhost/parking/callback",
                "--logout",
                "http://localhost/",
                "--client-credentials",
                "outside-check=src/test/resources/outside-client-key.jwk.json",
                "--client-scope",
                "records:write")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = node.waitFor(180, TimeUnit.SECONDS);
    if (!finished) {
      node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(output);

    assertThat(finished).as("the OIDC client check finished").isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("ok  openid-client discovers the provider")
        .contains("ok  openid-client exchanges the code (PKCE, iss, state, nonce and ID token")
        .contains("ok  jose verifies the ID token against jwks_uri")
        .contains("ok  jose verifies the access token as an RFC 9068 at+jwt")
        .contains("ok  jose refuses an ID token whose claims were changed")
        .contains("ok  openid-client fetches userinfo")
        .contains("ok  openid-client refreshes the tokens and the refresh token rotates")
        .contains("ok  a rotated refresh token is refused when presented again")
        .contains("ok  the revoked refresh token is refused")
        .contains("ok  a code is refused the second time it is exchanged")
        .contains("ok  SSO: parking-app gets a code from the browser session, without the sign-in")
        .contains("ok  SSO: parking-app's ID token is about the same resident")
        .contains("ok  SSO: jose verifies parking-app's access token")
        .contains("ok  logout: discovery names end_session_endpoint")
        .contains("ok  logout: the browser is sent to the registered post_logout_redirect_uri")
        .contains("ok  logout: council-tax-web's prompt=none answers login_required")
        .contains("ok  logout: parking-app's prompt=none answers login_required")
        .contains("ok  logout: the refresh token of the signed-out session is refused")
        .contains("ok  client_credentials: discovery offers the grant")
        .contains(
            "ok  client_credentials: openid-client gets an access token with a private_key_jwt"
                + " assertion (outside-check-1)")
        .contains(
            "ok  client_credentials: jose verifies the access token (at+jwt), sub and client_id"
                + " the client, with the scope")
        .contains("ok  client_credentials: an assertion signed with another key is refused");
  }
}
