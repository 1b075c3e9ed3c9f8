package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/** The pages that the links in our emails open, driven as a browser without JavaScript would. */
@MicronautTest(transactional = false)
class AccountPagesTest {
  private static final Pattern CSRF =
      Pattern.compile("name=\"csrf_token\" value=\"([A-Za-z0-9_-]+)\"");

  @Inject EmbeddedServer server;

  private Portal portal() {
    return new Portal(server.getURI());
  }

  /** Opens a page and submits its form with the CSRF cookie and field, as a browser would. */
  private Portal.Response submit(String pagePath, String action, Map<String, String> fields) {
    Portal portal = portal();
    Portal.Response page = portal.get(pagePath, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-security-policy")).contains("frame-ancestors 'none'");
    String cookie =
        page.headers().allValues("set-cookie").stream()
            .filter(c -> c.startsWith("portal_csrf="))
            .findFirst()
            .orElseThrow();
    assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
    Matcher m = CSRF.matcher(page.body());
    assertThat(m.find()).isTrue();
    Map<String, String> form = new LinkedHashMap<>(fields);
    form.put("csrf_token", m.group(1));
    return portal.form(action, form, "Cookie", cookie.substring(0, cookie.indexOf(';')));
  }

  @Nested
  class VerifyEmail {
    @Test
    void confirmsTheAddressWithTheLinkFromTheEmail() {
      Portal portal = portal();
      String email = Portal.newEmail();
      portal.signUp(email, Portal.PASSWORD);
      String token = portal.outbox().latest(email).token();

      Portal.Response page = portal.get("/account/verify-email?token=" + token, null);
      assertThat(page.body()).contains("Confirm email address").contains(token);
      Portal.Response wrong =
          submit(
              "/account/verify-email?token=" + token,
              "/account/verify-email",
              Map.of("token", token, "password", "not the password at all"));
      assertThat(wrong.status()).isEqualTo(400);
      assertThat(wrong.body())
          .contains("Enter the password you chose")
          .contains("aria-invalid=\"true\"");

      Portal.Response done =
          submit(
              "/account/verify-email?token=" + token,
              "/account/verify-email",
              Map.of("token", token, "password", Portal.PASSWORD));

      assertThat(done.status()).isEqualTo(200);
      assertThat(done.body()).contains("Email address confirmed");
      assertThat(portal.signIn(email).accessToken()).isNotBlank();
    }

    @Test
    void visitingTheLinkAloneDoesNotConfirm() {
      Portal portal = portal();
      String email = Portal.newEmail();
      portal.signUp(email, Portal.PASSWORD);
      String token = portal.outbox().latest(email).token();

      portal.get("/account/verify-email?token=" + token, null);

      // The token is still unused: the API can still verify with it.
      assertThat(
              portal
                  .json(
                      "POST",
                      "/api/v1/accounts/email-verification",
                      "{\"token\":\"" + token + "\"}",
                      null)
                  .status())
          .isEqualTo(204);
    }

    @Test
    void refusesAFormWithoutTheCsrfCookie() {
      Portal portal = portal();
      Portal.Response refused =
          portal.form("/account/verify-email", Map.of("token", "x", "csrf_token", "y"));
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body()).contains("This page had expired");
    }

    @Test
    void saysTheLinkExpiredForAnUnknownToken() {
      Portal.Response done =
          submit(
              "/account/verify-email?token=abc",
              "/account/verify-email",
              Map.of("token", "abc", "password", Portal.PASSWORD));
      assertThat(done.status()).isEqualTo(400);
      assertThat(done.body()).contains("This link has expired");
    }
  }

  @Nested
  class AccountPreHijacking {
    @Test
    void theOwnersSignUpReplacesAStrangersUnverifiedOne() {
      Portal portal = portal();
      String email = Portal.newEmail();
      portal.signUp(email, "stranger chose this password 77");
      String strangersLink = portal.outbox().latest(email).token();

      portal.signUp(email, Portal.PASSWORD);
      String ownersLink = portal.outbox().latest(email).token();

      // The stranger's link is void, and so is the stranger's password.
      assertThat(
              portal
                  .json(
                      "POST",
                      "/api/v1/accounts/email-verification",
                      "{\"token\":\"" + strangersLink + "\"}",
                      null)
                  .status())
          .isEqualTo(400);
      assertThat(
              portal
                  .json(
                      "POST",
                      "/api/v1/accounts/email-verification",
                      "{\"token\":\""
                          + ownersLink
                          + "\",\"password\":\"stranger chose this password 77\"}",
                      null)
                  .json())
          .containsEntry("type", "urn:resident-portal:problem:validation");
      assertThat(
              portal
                  .json(
                      "POST",
                      "/api/v1/accounts/email-verification",
                      "{\"token\":\"" + ownersLink + "\",\"password\":\"" + Portal.PASSWORD + "\"}",
                      null)
                  .status())
          .isEqualTo(204);
      assertThat(portal.signIn(email).accessToken()).isNotBlank();
    }
  }

  @Nested
  class ResetPassword {
    @Test
    void resetsThePasswordThroughTheEmailedLink() {
      Portal portal = portal();
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);

      Portal.Response asked =
          submit("/account/reset-password", "/account/reset-password", Map.of("email", email));
      assertThat(asked.status()).isEqualTo(200);
      assertThat(asked.body()).contains("Check your email");
      String token = portal.outbox().latest(email).token();

      Portal.Response weak =
          submit(
              "/account/reset-password?token=" + token,
              "/account/reset-password/confirm",
              Map.of("token", token, "newPassword", "password1234"));
      assertThat(weak.status()).isEqualTo(400);
      assertThat(weak.body()).contains("Your new password is too easy to guess");

      Portal.Response changed =
          submit(
              "/account/reset-password?token=" + token,
              "/account/reset-password/confirm",
              Map.of("token", token, "newPassword", "violet tractor summer lantern"));
      assertThat(changed.status()).isEqualTo(200);
      assertThat(changed.body()).contains("Password changed");
      assertThat(portal.outbox().latest(email).subject())
          .isEqualTo("Your password has been changed");
    }

    @Test
    void answersTheSameForAnUnknownAddress() {
      Portal.Response asked =
          submit(
              "/account/reset-password",
              "/account/reset-password",
              Map.of("email", Portal.newEmail()));
      assertThat(asked.status()).isEqualTo(200);
      assertThat(asked.body()).contains("Check your email");
    }

    @Test
    void asksForAnAddressInTheRightFormat() {
      Portal.Response asked =
          submit("/account/reset-password", "/account/reset-password", Map.of("email", "nope"));
      assertThat(asked.status()).isEqualTo(400);
      assertThat(asked.body()).contains("aria-invalid=\"true\"").contains("correct format");
    }
  }

  @Nested
  class SignUp {
    private Map<String, String> fields(String email, String password) {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("givenName", "Mary");
      fields.put("familyName", "Seacole");
      fields.put("email", email);
      fields.put("password", password);
      return fields;
    }

    @Test
    void createsAnUnverifiedAccountAndSaysCheckYourEmail() {
      Portal portal = portal();
      String email = Portal.newEmail();

      Portal.Response done =
          submit("/account/sign-up", "/account/sign-up", fields(email, Portal.PASSWORD));

      assertThat(done.status()).isEqualTo(200);
      assertThat(done.body())
          .contains("<title>Check your email - Council account</title>")
          .contains("We have sent an email to " + email);
      assertThat(TestSql.accountsWithEmail(email)).isEqualTo(1);
      String token = portal.outbox().latest(email).token();
      Portal.Response confirmed =
          submit(
              "/account/verify-email?token=" + token,
              "/account/verify-email",
              Map.of("token", token, "password", Portal.PASSWORD));
      assertThat(confirmed.body()).contains("Email address confirmed");
      assertThat(portal.signIn(email).accessToken()).isNotBlank();
    }

    @Test
    void answersARegisteredAddressExactlyAsANewOne_andEmailsItsOwner() {
      Portal portal = portal();
      String registered = Portal.newEmail();
      portal.signUpAndVerify(registered);
      String fresh = Portal.newEmail();

      Portal.Response forRegistered =
          submit("/account/sign-up", "/account/sign-up", fields(registered, Portal.PASSWORD));
      Portal.Response forFresh =
          submit("/account/sign-up", "/account/sign-up", fields(fresh, Portal.PASSWORD));

      assertThat(forRegistered.status()).isEqualTo(forFresh.status()).isEqualTo(200);
      assertThat(forRegistered.body().replace(registered, "ADDRESS"))
          .isEqualTo(forFresh.body().replace(fresh, "ADDRESS"));
      assertThat(TestSql.accountsWithEmail(registered)).isEqualTo(1);
      assertThat(portal.outbox().latest(registered).subject())
          .isNotEqualTo(portal.outbox().latest(fresh).subject());
    }

    @Test
    void showsEveryInvalidFieldAtOnce_keepingWhatWasTypedButThePassword() {
      Map<String, String> fields = fields("not-an-address", "short pw");
      fields.put("familyName", "");

      Portal.Response refused = submit("/account/sign-up", "/account/sign-up", fields);

      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body())
          .contains("<title>Error: Create an account - Council account</title>")
          .contains("<a href=\"#familyName\">Enter your last name</a>")
          .contains(
              "<a href=\"#email\">Enter an email address in the correct format, like"
                  + " name@example.com</a>")
          .contains("<a href=\"#password\">Your password must be at least 12 characters long</a>")
          .doesNotContain("href=\"#givenName\"")
          .containsPattern("id=\"givenName\" name=\"givenName\" type=\"text\"\\s+value=\"Mary\"")
          .containsPattern("id=\"email\" name=\"email\" type=\"email\"\\s+value=\"not-an-address\"")
          .containsPattern("id=\"email\"[^>]*aria-describedby=\"email-hint email-error\"")
          .doesNotContain("short pw");
      assertThat(TestSql.accountsWithEmail("not-an-address")).isZero();
    }

    @Test
    void refusesAPasswordMadeOfTheResidentsOwnName_withThePolicyMessage() {
      String email = Portal.newEmail();

      Portal.Response refused =
          submit("/account/sign-up", "/account/sign-up", fields(email, "MarySeacole1"));

      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body())
          .contains("<a href=\"#password\">Your password is too easy to guess");
      assertThat(TestSql.accountsWithEmail(email)).isZero();
    }

    @Test
    void refusesAFormWithoutTheCsrfCookie_andCreatesNothing() {
      Portal portal = portal();
      String email = Portal.newEmail();
      Map<String, String> fields = fields(email, Portal.PASSWORD);
      fields.put("csrf_token", "forged");

      Portal.Response refused = portal.form("/account/sign-up", fields);

      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body()).contains("This page had expired");
      assertThat(TestSql.accountsWithEmail(email)).isZero();
    }
  }
}
