package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/**
 * The sign-in page in a real headless browser (Debian's Chromium through playwright-core), with
 * axe-core's accessibility rules: labels, error summary, invalid fields described, and a real sign
 * in that lands back at the client with a code. The checks are in {@code tools/browser-check.mjs};
 * screenshots go to {@code target/screenshots/}.
 */
@MicronautTest(transactional = false)
class SignInPageBrowserTest {
  @Inject EmbeddedServer server;

  @Test
  void signInPageWorksAndIsAccessibleInABrowser() throws Exception {
    Portal portal = new Portal(server.getURI());
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);

    Process node =
        new ProcessBuilder(
                "node",
                "tools/browser-check.mjs",
                portal.base(),
                email,
                Portal.PASSWORD,
                Path.of("target/screenshots").toAbsolutePath().toString())
            .redirectErrorStream(true)
            .start();
    boolean finished = node.waitFor(120, TimeUnit.SECONDS);
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!finished) {
      node.destroyForcibly();
    }
    System.out.println(output);

    assertThat(finished).as("the browser check finished").isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("axe finds no violations on the sign-in page (")
        .contains("axe finds no violations on the sign-in page with errors")
        .contains("signing in sends the browser back to the client with a code");
  }
}
