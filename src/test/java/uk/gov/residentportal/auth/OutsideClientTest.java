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
 * <p>Its options add the steps for SSO ({@code --sso
 * parking-app=http://localhost/parking/callback}), RP-initiated logout ({@code --logout
 * http://localhost/}, council-tax-web's registered post-logout URI) and client_credentials with a
 * private_key_jwt assertion ({@code --client-credentials
 * ID=src/test/resources/outside-client-key.jwk.json --client-scope SCOPE}, for a client registered
 * with that key's public half). They are passed here once the provider has those features: each
 * step fails against a provider without its feature.
 */
@MicronautTest(transactional = false)
class OutsideClientTest {
  @Inject EmbeddedServer server;

  @Test
  void certifiedClientLibrariesSignInVerifyRefreshAndRevokeAgainstTheRunningProvider()
      throws Exception {
    Portal portal = new Portal(server.getURI());
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);

    // Output to a file, not a pipe: nothing can block the script on a full pipe buffer.
    Path log = Path.of("target/oidc-client-check.log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    Process node =
        new ProcessBuilder(
                "node", "tools/oidc-client-check.mjs", portal.base(), email, Portal.PASSWORD)
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
        .contains("ok  a code is refused the second time it is exchanged");
  }
}
