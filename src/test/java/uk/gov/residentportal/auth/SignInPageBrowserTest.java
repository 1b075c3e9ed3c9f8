package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.account.TotpTestCodes;
import uk.gov.residentportal.support.Portal;

/**
 * Every page a resident sees, in a real headless browser (Debian's Chromium through
 * playwright-core): each renders without JavaScript, styled by GOV.UK Frontend's CSS and fonts from
 * our own origin under our CSP, and passes axe-core's WCAG 2.2 AA and best-practice rules with zero
 * violations; the sign-in form's labels, error summary and described invalid fields; a real sign in
 * that lands back at the client with a code, and one with the password and then the authenticator
 * app's current code (computed by the script as the app would). The checks are in {@code
 * tools/browser-check.mjs}; screenshots go to {@code target/screenshots/} (copies of them are in
 * {@code docs/screenshots/}).
 */
@MicronautTest(transactional = false)
// The demo client's callback page is one of the pages a person sees.
@Property(name = "portal.demo-client", value = "true")
class SignInPageBrowserTest {
  private static final List<String> PAGES =
      List.of(
          "the sign-in page",
          "the sign-in page with errors",
          "the sign-up page",
          "the sign-up page with errors",
          "the sign-up result page",
          "the password reset request page",
          "the password reset request page with errors",
          "the password reset sent page",
          "the new password page",
          "the email confirmation page",
          "the security code page",
          "the security code page with errors",
          "the security code page with a wrong code",
          "the sign-out confirmation page",
          "the signed-out page",
          "the signed-out page after confirming",
          "the error page",
          "the demo service page");

  @Inject EmbeddedServer server;

  @Test
  void everyPageWorksWithoutJavaScriptAndIsAccessibleInABrowser() throws Exception {
    Portal portal = new Portal(server.getURI());
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);
    // Real links, as the emails carry them: a reset of this account, a sign-up not yet confirmed.
    portal.json("POST", "/api/v1/accounts/password-reset", "{\"email\":\"" + email + "\"}", null);
    String resetToken = portal.outbox().latest(email).token();
    String unconfirmed = Portal.newEmail();
    portal.signUp(unconfirmed, Portal.PASSWORD);
    String verifyToken = portal.outbox().latest(unconfirmed).token();
    String totpEmail = Portal.newEmail();
    String totpSecret = withAuthenticatorApp(portal, totpEmail);

    Process node =
        new ProcessBuilder(
                "node",
                "tools/browser-check.mjs",
                portal.base(),
                email,
                Portal.PASSWORD,
                Path.of("target/screenshots").toAbsolutePath().toString(),
                resetToken,
                verifyToken,
                totpEmail,
                totpSecret)
            .redirectErrorStream(true)
            .start();
    boolean finished = node.waitFor(300, TimeUnit.SECONDS);
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!finished) {
      node.destroyForcibly();
    }
    System.out.println(output);

    assertThat(finished).as("the browser check finished").isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    for (String page : PAGES) {
      assertThat(output)
          .contains("axe finds no violations on " + page + " (")
          .contains(page + " answers ")
          .contains(page + " loads the GDS Transport font from our own origin");
    }
    assertThat(output)
        .contains("the sign-in page (375 px) does not scroll sideways")
        .contains("signing in sends the browser back to the client with a code")
        .contains(
            "signing in with a security code sends the browser back to the client with a code");
    assertThat(Path.of("target/screenshots/sign-in-desktop.png")).exists();
    assertThat(Path.of("target/screenshots/sign-in-mobile.png")).exists();
    assertThat(Path.of("target/screenshots/security-code.png")).exists();
  }

  /**
   * A verified account (password {@link Portal#PASSWORD}) with a confirmed authenticator app;
   * returns the app's secret (base32). Confirmed with the previous step's code (accepted for clock
   * drift), so that the current step's code is still unused when the browser signs in.
   */
  private static String withAuthenticatorApp(Portal portal, String email) {
    portal.signUpAndVerify(email);
    return TotpTestCodes.enrol(portal, portal.signIn(email).accessToken()).secret();
  }
}
