package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.account.TotpTestCodes;
import uk.gov.residentportal.support.Portal;

/**
 * Sign-in for a resident with an authenticator app: the password, then the security code page; the
 * tokens say so (amr pwd+otp, a higher acr). Wrong, replayed or late codes are refused.
 */
@MicronautTest(transactional = false)
class SecondFactorSignInTest {
  private static final Pattern CSRF =
      Pattern.compile("name=\"csrf_token\" value=\"([A-Za-z0-9_-]+)\"");

  @Inject EmbeddedServer server;

  private Portal portal;
  private String email;
  private String accountId;
  private String secret;
  private List<String> recoveryCodes;

  @BeforeEach
  void residentWithAnAuthenticatorApp() {
    portal = new Portal(server.getURI());
    email = Portal.newEmail();
    accountId = portal.signUpAndVerify(email);
    TotpTestCodes.Enrolled enrolled =
        TotpTestCodes.enrol(portal, portal.signIn(email).accessToken());
    secret = enrolled.secret();
    recoveryCodes = enrolled.recoveryCodes();
  }

  /** The security code page a right password leads to, with its cookies. */
  private record CodePage(
      Portal.SignInPage signIn, Portal.Response page, String challengeCookie, String csrfToken) {}

  private CodePage password(CodeVerifier verifier) {
    Portal.SignInPage signIn =
        portal.openSignIn(portal.authorizeParams(verifier, "st", "nonce-2fa"), verifier);
    Portal.Response page = portal.submitSignIn(signIn, email, Portal.PASSWORD);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    String challenge =
        page.headers().allValues("set-cookie").stream()
            .filter(c -> c.startsWith("portal_challenge="))
            .findFirst()
            .map(c -> c.substring("portal_challenge=".length(), c.indexOf(';')))
            .orElseThrow(() -> new AssertionError("no challenge cookie"));
    Matcher csrf = CSRF.matcher(page.body());
    assertThat(csrf.find()).isTrue();
    return new CodePage(signIn, page, challenge, csrf.group(1));
  }

  private Portal.Response submitCode(CodePage page, String code, String challengeCookie) {
    Map<String, String> form = new LinkedHashMap<>(page.signIn().hidden());
    form.put("csrf_token", page.csrfToken());
    form.put("code", code);
    String cookies =
        "portal_csrf="
            + page.signIn().csrfCookie()
            + (challengeCookie == null ? "" : "; portal_challenge=" + challengeCookie);
    return portal.form("/oauth2/authorize", form, "Cookie", cookies);
  }

  private Portal.Response submitCode(CodePage page, String code) {
    return submitCode(page, code, page.challengeCookie());
  }

  @Nested
  class WithTheAuthenticatorApp {
    @Test
    void asksForTheSecurityCodeAfterTheRightPassword_withoutSigningInYet() {
      CodePage page = password(new CodeVerifier());

      assertThat(page.page().body())
          .contains("Security code")
          .contains("name=\"code\"")
          .contains("autocomplete=\"one-time-code\"");
      assertThat(page.page().body()).contains("<title>Enter your security code");
      assertThat(page.page().headers().allValues("set-cookie"))
          .noneMatch(c -> c.startsWith("portal_session="))
          .anyMatch(
              c ->
                  c.startsWith("portal_challenge=")
                      && c.toLowerCase(java.util.Locale.ROOT).contains("httponly")
                      && c.contains("Secure")
                      && c.contains("SameSite=Strict"));
      assertThat(page.page().header("location")).isNull();
    }

    @Test
    void signsInWithTheAppsCode_andTheTokensSaySo() throws Exception {
      CodeVerifier verifier = new CodeVerifier();
      CodePage page = password(verifier);

      Portal.Response redirect = submitCode(page, TotpTestCodes.now(secret));

      assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
      assertThat(redirect.headers().allValues("set-cookie"))
          .anyMatch(c -> c.startsWith("portal_session="))
          .anyMatch(
              c -> c.startsWith("portal_challenge=;") || c.startsWith("portal_challenge=\"\""));
      Map<String, Object> tokens =
          portal.exchange(Portal.redirectParams(redirect).get("code"), verifier).json();
      var id = AuthSteps.claims(tokens.get("id_token"));
      assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp");
      assertThat(id.getStringClaim("acr")).isEqualTo("P0.Cl.Cm");
      assertThat(id.getSubject()).isEqualTo(accountId);
      assertThat(AuthSteps.claims(tokens.get("access_token")).getStringClaim("acr"))
          .isEqualTo("P0.Cl.Cm");
      // The refreshed tokens keep how the resident signed in.
      Map<String, Object> refreshed = portal.refresh((String) tokens.get("refresh_token")).json();
      assertThat(AuthSteps.claims(refreshed.get("id_token")).getStringListClaim("amr"))
          .containsExactly("pwd", "otp");
    }

    @Test
    void signsInWithARecoveryCode_once() {
      CodePage first = password(new CodeVerifier());
      assertThat(submitCode(first, recoveryCodes.get(0)).status()).isEqualTo(302);

      CodePage second = password(new CodeVerifier());
      Portal.Response again = submitCode(second, recoveryCodes.get(0));

      assertThat(again.status()).isEqualTo(401);
      assertThat(again.body()).contains("Enter the security code your authenticator app shows now");
    }

    @Test
    void refusesAWrongCode_onTheSamePage() {
      CodePage page = password(new CodeVerifier());

      Portal.Response wrong = submitCode(page, TotpTestCodes.wrong(secret));

      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.body())
          .contains("<title>Error: Enter your security code")
          .contains("aria-invalid=\"true\"")
          .contains("There is a problem");
      assertThat(wrong.headers().allValues("set-cookie"))
          .noneMatch(c -> c.startsWith("portal_session="));
      // The right code still works on the same challenge.
      assertThat(submitCode(page, TotpTestCodes.now(secret)).status()).isEqualTo(302);
    }

    @Test
    void refusesAnEmptyCode() {
      CodePage page = password(new CodeVerifier());

      Portal.Response empty = submitCode(page, "");

      assertThat(empty.status()).isEqualTo(400);
      assertThat(empty.body()).contains("Enter the security code");
    }

    @Test
    void endsTheChallengeAfterFiveWrongCodes_evenForTheRightOne() {
      CodePage page = password(new CodeVerifier());
      for (int i = 0; i < 4; i++) {
        assertThat(submitCode(page, TotpTestCodes.wrong(secret)).status()).isEqualTo(401);
      }
      Portal.Response fifth = submitCode(page, TotpTestCodes.wrong(secret));
      assertThat(fifth.status()).isEqualTo(401);
      assertThat(fifth.body()).contains("wrong security code too many times").contains("Password");

      Portal.Response late = submitCode(page, TotpTestCodes.now(secret));

      assertThat(late.status()).isEqualTo(403);
      assertThat(late.body()).contains("Sign in again").contains("name=\"password\"");
    }

    @Test
    void refusesACodeWithoutTheChallengeCookie_orAfterTheChallengeExpired() {
      CodePage page = password(new CodeVerifier());
      assertThat(submitCode(page, TotpTestCodes.now(secret), null).status()).isEqualTo(403);
      assertThat(submitCode(page, TotpTestCodes.now(secret), "x".repeat(43)).status())
          .isEqualTo(403);

      AuthSteps.update(
          "UPDATE sign_in_challenges SET expires_at = ? WHERE account_id = ?",
          java.sql.Timestamp.from(Instant.now().minusSeconds(1)),
          accountId);

      Portal.Response expired = submitCode(page, TotpTestCodes.now(secret));
      assertThat(expired.status()).isEqualTo(403);
      assertThat(expired.body()).contains("Your sign-in timed out. Sign in again.");
    }

    @Test
    void acceptsEachCodeOnce_acrossSignIns() {
      String code = TotpTestCodes.now(secret);
      assertThat(submitCode(password(new CodeVerifier()), code).status()).isEqualTo(302);

      Portal.Response replay = submitCode(password(new CodeVerifier()), code);

      assertThat(replay.status()).isEqualTo(401);
    }

    @Test
    void spendsAChallengeOnce() {
      CodePage page = password(new CodeVerifier());
      assertThat(submitCode(page, recoveryCodes.get(1)).status()).isEqualTo(302);

      assertThat(submitCode(page, recoveryCodes.get(2)).status()).isEqualTo(403);
    }

    @Test
    void aWrongPasswordNeverReachesTheCodePage() {
      CodeVerifier verifier = new CodeVerifier();
      Portal.SignInPage signIn =
          portal.openSignIn(portal.authorizeParams(verifier, "s", "n"), verifier);

      Portal.Response refused = portal.submitSignIn(signIn, email, "not the password at all");

      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.body()).doesNotContain("Security code");
      assertThat(refused.headers().allValues("set-cookie"))
          .noneMatch(c -> c.startsWith("portal_challenge="));
    }

    @Test
    void wrongCodesCountTowardTheBruteForceCounters() {
      long before =
          AuthSteps.count(
              "SELECT COALESCE(SUM(failures), 0) FROM sign_in_throttle WHERE kind = 'ACCOUNT'");
      CodePage page = password(new CodeVerifier());
      submitCode(page, TotpTestCodes.wrong(secret));
      submitCode(page, TotpTestCodes.wrong(secret));

      long after =
          AuthSteps.count(
              "SELECT COALESCE(SUM(failures), 0) FROM sign_in_throttle WHERE kind = 'ACCOUNT'");
      assertThat(after - before).isEqualTo(2);
    }
  }

  @Nested
  class WithoutTheApp {
    @Test
    void signsInWithThePasswordAlone_asBefore() throws Exception {
      Portal other = new Portal(server.getURI());
      String plain = Portal.newEmail();
      other.signUpAndVerify(plain);

      Portal.Tokens tokens = other.signIn(plain);

      var id = AuthSteps.claims(tokens.idToken());
      assertThat(id.getStringListClaim("amr")).containsExactly("pwd");
      assertThat(id.getStringClaim("acr")).isEqualTo("P0");
    }
  }
}
