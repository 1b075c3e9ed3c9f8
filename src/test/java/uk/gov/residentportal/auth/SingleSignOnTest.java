package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.shared.SecretTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * Single sign-on: a resident signed in for one council service is sent straight back with a code
 * when a second service asks, unless that service asks for a fresh sign-in (prompt=login, max_age);
 * the browser session behind it, its cookie and its limits.
 */
@MicronautTest(transactional = false)
class SingleSignOnTest {
  @Inject EmbeddedServer server;

  Portal portal;
  Browser browser;
  String email;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    browser = new Browser(portal);
    email = Portal.newEmail();
    portal.signUpAndVerify(email);
  }

  /** Signs in to council-tax-web through the form; returns the ID token's claims. */
  JWTClaimsSet signInToCouncilTax() {
    return AuthSteps.claims(browser.signInToCouncilTax(email).get("id_token"));
  }

  Map<String, String> parking(CodeVerifier verifier) {
    return new LinkedHashMap<>(
        AuthSteps.parkingParams(portal, verifier, "parking-state", "parking-nonce"));
  }

  Map<String, String> parking(CodeVerifier verifier, String name, String value) {
    Map<String, String> params = parking(verifier);
    params.put(name, value);
    return params;
  }

  JWTClaimsSet parkingIdToken(Response redirect, CodeVerifier verifier) {
    return AuthSteps.claims(
        AuthSteps.tokens(
                AuthSteps.exchange(
                    portal,
                    AuthSteps.PARKING,
                    AuthSteps.PARKING_REDIRECT,
                    Browser.code(redirect),
                    verifier))
            .get("id_token"));
  }

  String sessionCookie() {
    return browser.cookie(BrowserSessions.COOKIE);
  }

  static String sessionIdOf(String cookieValue) {
    return AuthSteps.string(
        "SELECT id FROM browser_sessions WHERE secret_hash = ?", SecretTokens.hash(cookieValue));
  }

  static void assertSignInPage(Response response) {
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).contains("name=\"password\"");
  }

  static Timestamp at(Instant instant) {
    return Timestamp.from(instant);
  }

  @Nested
  class SecondService {
    @Test
    void getsACodeWithoutAPasswordPrompt_forTheSameSessionAndSignIn() throws Exception {
      JWTClaimsSet councilTax = signInToCouncilTax();
      CodeVerifier verifier = new CodeVerifier();

      Response redirect = browser.authorize(parking(verifier));

      assertThat(redirect.status()).isEqualTo(302);
      assertThat(redirect.header("location")).startsWith(AuthSteps.PARKING_REDIRECT + "?");
      assertThat(Portal.redirectParams(redirect))
          .containsEntry("state", "parking-state")
          .containsEntry("iss", portal.base())
          .containsKey("code");
      JWTClaimsSet parking = parkingIdToken(redirect, verifier);
      assertThat(parking.getSubject()).isEqualTo(councilTax.getSubject());
      assertThat(parking.getAudience()).containsExactly(AuthSteps.PARKING);
      assertThat(parking.getStringClaim("nonce")).isEqualTo("parking-nonce");
      assertThat(parking.getStringClaim("sid"))
          .isEqualTo(councilTax.getStringClaim("sid"))
          .isEqualTo(sessionIdOf(sessionCookie()));
      // The sign-in it rests on is the first one (OIDC Core 2: auth_time).
      assertThat(parking.getLongClaim("auth_time")).isEqualTo(councilTax.getLongClaim("auth_time"));
    }

    @Test
    void getsACodeForPromptNone_whenSignedIn() {
      signInToCouncilTax();

      Response redirect = browser.authorize(parking(new CodeVerifier(), "prompt", "none"));

      assertThat(Portal.redirectParams(redirect)).containsKey("code").doesNotContainKey("error");
    }

    @Test
    void getsLoginRequiredForPromptNone_withoutASession() {
      Response redirect = browser.authorize(parking(new CodeVerifier(), "prompt", "none"));

      assertThat(Portal.redirectParams(redirect))
          .containsEntry("error", "login_required")
          .containsEntry("state", "parking-state")
          .doesNotContainKey("code");
    }

    @Test
    void seesTheSignInPage_forPromptLogin() {
      signInToCouncilTax();

      assertSignInPage(browser.authorize(parking(new CodeVerifier(), "prompt", "login")));
    }

    @Test
    void seesTheSignInPage_whenTheSignInIsOlderThanMaxAge() {
      signInToCouncilTax();

      assertSignInPage(browser.authorize(parking(new CodeVerifier(), "max_age", "0")));
    }

    @Test
    void getsACode_whenTheSignInIsWithinMaxAge() {
      signInToCouncilTax();

      Response redirect = browser.authorize(parking(new CodeVerifier(), "max_age", "3600"));

      assertThat(Portal.redirectParams(redirect)).containsKey("code");
    }

    @Test
    void getsLoginRequired_forPromptNoneWithAMaxAgeExceeded() {
      signInToCouncilTax();
      Map<String, String> params = parking(new CodeVerifier(), "prompt", "none");
      params.put("max_age", "0");

      assertThat(Portal.redirectParams(browser.authorize(params)))
          .containsEntry("error", "login_required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none login", "sideways"})
    void refusesAPromptThatCannotBeHonoured(String prompt) {
      signInToCouncilTax();

      assertThat(
              Portal.redirectParams(
                  browser.authorize(parking(new CodeVerifier(), "prompt", prompt))))
          .containsEntry("error", "invalid_request")
          .doesNotContainKey("code");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "ten", "1e3", "12345678901"})
    void refusesAMalformedMaxAge(String maxAge) {
      assertThat(
              Portal.redirectParams(
                  browser.authorize(parking(new CodeVerifier(), "max_age", maxAge))))
          .containsEntry("error", "invalid_request")
          .containsEntry("error_description", "max_age must be a number of seconds");
    }

    @Test
    void seesTheSignInPage_withACookieThatIsNotASession() {
      browser.setCookie(
          BrowserSessions.COOKIE, new SecretTokens(new java.security.SecureRandom()).generate());

      assertSignInPage(browser.authorize(parking(new CodeVerifier())));
    }
  }

  @Nested
  class SessionLimits {
    @Test
    void endsAfterTheIdleTimeout() {
      signInToCouncilTax();
      AuthSteps.update(
          "UPDATE browser_sessions SET idle_expires_at = ? WHERE id = ?",
          at(Instant.now().minusSeconds(1)),
          sessionIdOf(sessionCookie()));

      assertSignInPage(browser.authorize(parking(new CodeVerifier())));
      assertThat(
              Portal.redirectParams(
                  browser.authorize(parking(new CodeVerifier(), "prompt", "none"))))
          .containsEntry("error", "login_required");
    }

    @Test
    void endsAtTheAbsoluteLimit_howeverMuchItIsUsed() {
      signInToCouncilTax();
      AuthSteps.update(
          "UPDATE browser_sessions SET expires_at = ? WHERE id = ?",
          at(Instant.now().minusSeconds(1)),
          sessionIdOf(sessionCookie()));

      assertSignInPage(browser.authorize(parking(new CodeVerifier())));
    }

    @Test
    void slidesTheIdleExpiryOn_whenUsedAfterAMinute() {
      signInToCouncilTax();
      String id = sessionIdOf(sessionCookie());
      Instant soon = Instant.now().plusSeconds(20);
      AuthSteps.update(
          "UPDATE browser_sessions SET last_seen_at = ?, idle_expires_at = ? WHERE id = ?",
          at(Instant.now().minus(Duration.ofMinutes(5))),
          at(soon),
          id);

      assertThat(Portal.redirectParams(browser.authorize(parking(new CodeVerifier()))))
          .containsKey("code");

      // The default idle timeout is 30 minutes from now.
      assertThat(
              AuthSteps.count(
                  "SELECT COUNT(*) FROM browser_sessions WHERE id = ? AND idle_expires_at > ?",
                  id,
                  at(Instant.now().plus(Duration.ofMinutes(29)))))
          .isEqualTo(1);
    }

    @Test
    void neverSlidesPastTheAbsoluteLimit() {
      signInToCouncilTax();
      String id = sessionIdOf(sessionCookie());
      Instant absolute = Instant.now().plus(Duration.ofMinutes(3));
      AuthSteps.update(
          "UPDATE browser_sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?",
          at(Instant.now().minus(Duration.ofMinutes(5))),
          at(absolute),
          id);

      browser.authorize(parking(new CodeVerifier()));

      assertThat(
              AuthSteps.count(
                  "SELECT COUNT(*) FROM browser_sessions WHERE id = ? AND idle_expires_at <= ?",
                  id,
                  at(absolute)))
          .isEqualTo(1);
    }
  }

  @Nested
  class SessionCookie {
    @Test
    void isSecureHttpOnlyLaxForTheWholeSite_andHoldsAnOpaqueValue() {
      signInToCouncilTax();

      String header = browser.setCookieHeader(BrowserSessions.COOKIE);
      assertThat(header)
          .startsWith("portal_session=")
          .containsIgnoringCase("; HttpOnly")
          .containsIgnoringCase("; Secure")
          .containsIgnoringCase("; SameSite=Lax")
          .contains("; Path=/");
      assertThat(sessionCookie()).hasSize(43);
      // Only the hash is stored: the value itself is nowhere in the table.
      assertThat(sessionIdOf(sessionCookie())).isNotNull();
      assertThat(
              AuthSteps.count(
                  "SELECT COUNT(*) FROM browser_sessions WHERE secret_hash = ? OR id = ?",
                  sessionCookie(),
                  sessionCookie()))
          .isZero();
    }

    @Test
    void isNotSetByASingleSignOnAnswer() {
      signInToCouncilTax();

      Response redirect = browser.authorize(parking(new CodeVerifier()));

      assertThat(redirect.headers().allValues("set-cookie"))
          .noneMatch(c -> c.startsWith("portal_session="));
    }

    @Test
    void isNewAtEverySignIn_andTheOldSessionEnds() {
      signInToCouncilTax();
      String before = sessionCookie();
      String oldId = sessionIdOf(before);

      CodeVerifier verifier = new CodeVerifier();
      Response redirect = browser.signIn(parking(verifier, "prompt", "login"), email);
      assertThat(redirect.status()).isEqualTo(302);

      assertThat(sessionCookie()).isNotNull().isNotEqualTo(before);
      assertThat(sessionIdOf(sessionCookie())).isNotEqualTo(oldId);
      assertThat(
              AuthSteps.count(
                  "SELECT COUNT(*) FROM browser_sessions WHERE id = ? AND ended_at IS NOT NULL",
                  oldId))
          .isEqualTo(1);
      Browser withOldCookie = new Browser(portal);
      withOldCookie.setCookie(BrowserSessions.COOKIE, before);
      assertSignInPage(withOldCookie.authorize(parking(new CodeVerifier())));
    }

    @Test
    void replacesAPlantedCookie_atSignIn() {
      String planted = new SecretTokens(new java.security.SecureRandom()).generate();
      browser.setCookie(BrowserSessions.COOKIE, planted);

      signInToCouncilTax();

      assertThat(sessionCookie()).isNotEqualTo(planted);
      assertThat(sessionIdOf(planted)).isNull();
    }
  }
}
