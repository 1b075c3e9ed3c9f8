package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.shared.SecretTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * RP-Initiated Logout 1.0 at /oauth2/logout and Back-Channel Logout 1.0: who may sign a browser out
 * and how, what ends with the session (single sign-on for every client, their refresh and access
 * tokens), and the logout tokens the session's clients receive.
 */
@MicronautTest(transactional = false)
class LogoutTest {
  static final String LIBRARY = "library-app";
  static final String LIBRARY_REDIRECT = "http://localhost/library/callback";
  static final String BROKEN = "broken-app";
  static final String BROKEN_REDIRECT = "http://localhost/broken/callback";
  static final String COUNCIL_TAX_SIGNED_OUT = "http://localhost/";

  static BackchannelReceiver receiver;

  @Inject EmbeddedServer server;
  @Inject ClientService clients;

  Portal portal;
  Browser browser;
  String email;
  Map<String, Object> councilTax;

  @BeforeAll
  static void startReceiver() {
    receiver = new BackchannelReceiver();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @BeforeEach
  void setUp() {
    // Services with back-channel logout endpoints at the receiver (its port is new every run).
    clients.upsert(registration(LIBRARY, LIBRARY_REDIRECT, receiver.uri("/ok")));
    clients.upsert(registration(BROKEN, BROKEN_REDIRECT, receiver.uri("/slow")));
    portal = new Portal(server.getURI());
    browser = new Browser(portal);
    email = Portal.newEmail();
    portal.signUpAndVerify(email);
    councilTax = browser.signInToCouncilTax(email);
  }

  static ClientRegistration registration(String clientId, String redirect, String backchannel) {
    return new ClientRegistration(
        clientId,
        clientId,
        ClientType.PUBLIC,
        List.of(redirect),
        List.of(),
        backchannel,
        List.of("openid"),
        null,
        null,
        null,
        null);
  }

  String idToken() {
    return (String) councilTax.get("id_token");
  }

  String sessionId() {
    return AuthSteps.claims(idToken()).getClaims().get("sid").toString();
  }

  Response logout(Map<String, String> params) {
    return browser.get("/oauth2/logout?" + Portal.encode(params));
  }

  Map<String, String> withHint() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("id_token_hint", idToken());
    params.put("post_logout_redirect_uri", COUNCIL_TAX_SIGNED_OUT);
    params.put("state", "logout-state");
    return params;
  }

  /** Signs in to a client through single sign-on and returns its tokens. */
  Map<String, Object> ssoTo(String clientId, String redirectUri) {
    CodeVerifier verifier = new CodeVerifier();
    Map<String, String> params =
        new LinkedHashMap<>(AuthSteps.parkingParams(portal, verifier, "s", "n"));
    params.put("client_id", clientId);
    params.put("redirect_uri", redirectUri);
    Response redirect = browser.authorize(params);
    return AuthSteps.tokens(
        AuthSteps.exchange(portal, clientId, redirectUri, Browser.code(redirect), verifier));
  }

  boolean stillSignedIn() {
    return signedIn(browser);
  }

  static boolean signedIn(Browser browser) {
    Portal portal = browser.portal();
    CodeVerifier verifier = new CodeVerifier();
    Map<String, String> params = AuthSteps.parkingParams(portal, verifier, "s", "n");
    params = new LinkedHashMap<>(params);
    params.put("prompt", "none");
    return Portal.redirectParams(browser.authorize(params)).containsKey("code");
  }

  static void assertRefusedOnOurErrorPage(Response response) {
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("location")).isNull();
    assertThat(response.body()).contains("Sorry, there is a problem");
  }

  @Nested
  class WithAHintForTheSignedInResident {
    @Test
    void signsOutAndReturnsToTheRegisteredUriWithState() {
      Response response = logout(withHint());

      assertThat(response.status()).isEqualTo(302);
      assertThat(response.header("location")).isEqualTo("http://localhost/?state=logout-state");
      assertThat(browser.setCookieHeader(BrowserSessions.COOKIE))
          .startsWith("portal_session=;")
          .containsIgnoringCase("Max-Age=0");
      assertThat(browser.cookie(BrowserSessions.COOKIE)).isNull();
      assertThat(
              AuthSteps.count(
                  "SELECT COUNT(*) FROM browser_sessions WHERE id = ? AND ended_at IS NOT NULL",
                  sessionId()))
          .isEqualTo(1);
    }

    @Test
    void endsSingleSignOnAndTheTokensOfEveryClientOfTheSession() {
      Map<String, Object> parking = ssoTo(AuthSteps.PARKING, AuthSteps.PARKING_REDIRECT);
      // The browser keeps its cookie value to show the session itself is over, not just forgotten.
      String cookie = browser.cookie(BrowserSessions.COOKIE);

      assertThat(logout(withHint()).status()).isEqualTo(302);

      Browser sameCookie = new Browser(portal);
      sameCookie.setCookie(BrowserSessions.COOKIE, cookie);
      Map<String, String> silent =
          new LinkedHashMap<>(AuthSteps.parkingParams(portal, new CodeVerifier(), "s", "n"));
      silent.put("prompt", "none");
      assertThat(Portal.redirectParams(sameCookie.authorize(silent)))
          .containsEntry("error", "login_required");
      Map<String, String> councilTaxSilent =
          new LinkedHashMap<>(portal.authorizeParams(new CodeVerifier(), "s", "n"));
      councilTaxSilent.put("prompt", "none");
      assertThat(Portal.redirectParams(sameCookie.authorize(councilTaxSilent)))
          .containsEntry("error", "login_required");
      assertThat(
              AuthSteps.refresh(
                      portal, Portal.CLIENT, (String) councilTax.get("refresh_token"), null)
                  .json())
          .containsEntry("error", "invalid_grant");
      assertThat(
              AuthSteps.refresh(
                      portal, AuthSteps.PARKING, (String) parking.get("refresh_token"), null)
                  .json())
          .containsEntry("error", "invalid_grant");
      // Access tokens of the session's grants are refused from now on.
      assertThat(portal.get("/api/v1/me", (String) councilTax.get("access_token")).status())
          .isEqualTo(401);
      assertThat(portal.get("/oauth2/userinfo", (String) parking.get("access_token")).status())
          .isEqualTo(401);
    }

    @Test
    void showsTheSignedOutPage_withoutAPostLogoutUri() {
      Response response = logout(Map.of("id_token_hint", idToken()));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).contains("You have signed out");
      assertThat(stillSignedIn()).isFalse();
    }

    @Test
    void acceptsAnExpiredHint() {
      String expired = forge(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(3600))));

      Map<String, String> params = withHint();
      params.put("id_token_hint", expired);

      assertThat(logout(params).status()).isEqualTo(302);
      assertThat(stillSignedIn()).isFalse();
    }

    @Test
    void acceptsTheRequestAsAForm() {
      Response response = browser.form("/oauth2/logout", withHint());

      assertThat(response.status()).isEqualTo(302);
      assertThat(response.header("location")).isEqualTo("http://localhost/?state=logout-state");
      assertThat(stillSignedIn()).isFalse();
    }

    @Test
    void acceptsAMatchingClientId() {
      Map<String, String> params = withHint();
      params.put("client_id", Portal.CLIENT);

      assertThat(logout(params).status()).isEqualTo(302);
    }
  }

  @Nested
  class Refused {
    @Test
    void aPostLogoutUriThatIsNotRegistered() {
      Map<String, String> params = withHint();
      params.put("post_logout_redirect_uri", "https://evil.example/");

      assertRefusedOnOurErrorPage(logout(params));
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void aPostLogoutUriRegisteredForAnotherClient() {
      Map<String, String> params = withHint();
      params.put("post_logout_redirect_uri", "http://localhost/parking/signed-out");

      assertRefusedOnOurErrorPage(logout(params));
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void aPostLogoutUriWithoutAnyClient() {
      assertRefusedOnOurErrorPage(
          logout(Map.of("post_logout_redirect_uri", COUNCIL_TAX_SIGNED_OUT)));
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void aClientIdThatIsNotTheHintsAudience() {
      Map<String, String> params = withHint();
      params.put("client_id", AuthSteps.PARKING);

      assertRefusedOnOurErrorPage(logout(params));
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void aHintSignedByAStrangerUnderOurKid() throws Exception {
      ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(ourKey().getKeyID()).generate();
      Map<String, String> params = withHint();
      params.put("id_token_hint", sign(stranger, JOSEObjectType.JWT, claims().build()));

      assertRefusedOnOurErrorPage(logout(params));
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void aHintFromAnotherIssuer() {
      Map<String, String> params = withHint();
      params.put("id_token_hint", forge(c -> c.issuer("https://other.example")));

      assertRefusedOnOurErrorPage(logout(params));
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void anAccessTokenAsHint() {
      Map<String, String> params = withHint();
      params.put("id_token_hint", (String) councilTax.get("access_token"));

      assertRefusedOnOurErrorPage(logout(params));
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void aHintThatIsNotAToken() {
      Map<String, String> params = withHint();
      params.put("id_token_hint", "not-a-token");

      assertRefusedOnOurErrorPage(logout(params));
      assertThat(stillSignedIn()).isTrue();
    }
  }

  @Nested
  class Confirmation {
    @Test
    void isAskedFor_whenThereIsNoHint_andSignsOutOnlyOnceConfirmed() {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("client_id", Portal.CLIENT);
      params.put("post_logout_redirect_uri", COUNCIL_TAX_SIGNED_OUT);
      params.put("state", "st");

      Response page = logout(params);

      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body())
          .contains("Do you want to sign out?")
          .contains("<form method=\"post\" action=\"/oauth2/logout\"")
          .contains("name=\"csrf_token\"");
      assertThat(page.header("content-security-policy"))
          .contains("form-action 'self' http://localhost");
      assertThat(stillSignedIn()).isTrue();

      Response confirmed = browser.submitHiddenForm(page, "/oauth2/logout");

      assertThat(confirmed.status()).isEqualTo(302);
      assertThat(confirmed.header("location")).isEqualTo("http://localhost/?state=st");
      assertThat(stillSignedIn()).isFalse();
    }

    @Test
    void isAskedFor_whenTheHintNamesAnotherResident() {
      Browser other = new Browser(portal);
      String otherEmail = Portal.newEmail();
      portal.signUpAndVerify(otherEmail);
      String othersIdToken = (String) other.signInToCouncilTax(otherEmail).get("id_token");
      Map<String, String> params = withHint();
      params.put("id_token_hint", othersIdToken);

      Response page = logout(params);

      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body()).contains("Do you want to sign out?");
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void refusesAConfirmationWithoutTheCsrfCookie() {
      Response page = logout(Map.of());
      Browser attacker = new Browser(portal);
      attacker.setCookie(BrowserSessions.COOKIE, browser.cookie(BrowserSessions.COOKIE));

      Response response =
          attacker.form("/oauth2/logout", Map.of("csrf_token", Browser.csrfToken(page)));

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.body()).contains("This page had expired");
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void isNotNeeded_whenNoSessionExists() {
      Response response = new Browser(portal).get("/oauth2/logout");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).contains("You have signed out");
      assertThat(stillSignedIn()).isTrue();
    }
  }

  /**
   * A client's cross-site form POST does not carry the SameSite=Lax cookie: the hint's sid names
   * the session to end.
   */
  @Nested
  class ByFormWithoutTheSessionCookie {
    /** A browser without the session cookie, as a cross-site POST arrives. */
    Response postElsewhere(Map<String, String> params) {
      return new Browser(portal).form("/oauth2/logout", params);
    }

    long ended(String sessionId) {
      return AuthSteps.count(
          "SELECT COUNT(*) FROM browser_sessions WHERE id = ? AND ended_at IS NOT NULL", sessionId);
    }

    @Test
    void endsTheSessionTheHintNames_andEverythingIssuedInIt() throws Exception {
      while (receiver.next(0) != null) {
        // Drop deliveries an earlier test caused.
      }
      Map<String, Object> library = ssoTo(LIBRARY, LIBRARY_REDIRECT);

      Response response = postElsewhere(withHint());

      assertThat(response.status()).isEqualTo(302);
      assertThat(response.header("location")).isEqualTo("http://localhost/?state=logout-state");
      assertThat(ended(sessionId())).isEqualTo(1);
      // The browser that still holds the old cookie gets no single sign-on.
      assertThat(stillSignedIn()).isFalse();
      assertThat(
              AuthSteps.refresh(
                      portal, Portal.CLIENT, (String) councilTax.get("refresh_token"), null)
                  .json())
          .containsEntry("error", "invalid_grant");
      assertThat(
              AuthSteps.refresh(portal, LIBRARY, (String) library.get("refresh_token"), null)
                  .json())
          .containsEntry("error", "invalid_grant");
      BackchannelReceiver.Delivery delivery = receiver.next();
      assertThat(delivery).as("a logout token was delivered").isNotNull();
      JWTClaimsSet logoutToken = SignedJWT.parse(delivery.logoutToken()).getJWTClaimsSet();
      assertThat(logoutToken.getAudience()).containsExactly(LIBRARY);
      assertThat(logoutToken.getStringClaim("sid")).isEqualTo(sessionId());
    }

    @Test
    void endsTheHintedSession_whenTheBrowserHasAnotherSessionOfTheSameResident() {
      Browser secondDevice = new Browser(portal);
      String secondSid =
          AuthSteps.claims(secondDevice.signInToCouncilTax(email).get("id_token"))
              .getClaims()
              .get("sid")
              .toString();

      Response response = secondDevice.form("/oauth2/logout", withHint());

      assertThat(response.status()).isEqualTo(302);
      assertThat(ended(sessionId())).isEqualTo(1);
      assertThat(ended(secondSid)).isEqualTo(1);
      assertThat(stillSignedIn()).isFalse();
      assertThat(signedIn(secondDevice)).isFalse();
    }

    @Test
    void endsNothing_whenTheSidIsAnotherResidentsSession() {
      Browser other = new Browser(portal);
      String otherEmail = Portal.newEmail();
      portal.signUpAndVerify(otherEmail);
      Object othersSid =
          AuthSteps.claims(other.signInToCouncilTax(otherEmail).get("id_token"))
              .getClaims()
              .get("sid");
      Map<String, String> params = withHint();
      params.put("id_token_hint", forge(c -> c.claim("sid", othersSid)));

      Response response = postElsewhere(params);

      assertThat(response.status()).isEqualTo(302);
      assertThat(signedIn(other)).isTrue();
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void endsNothing_whenTheSidIsUnknown() {
      Map<String, String> params = withHint();
      params.put("id_token_hint", forge(c -> c.claim("sid", UUID.randomUUID().toString())));

      assertThat(postElsewhere(params).status()).isEqualTo(302);
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void endsNothing_whenTheHintIsForAClientWeDoNotKnow() {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("id_token_hint", forge(c -> c.audience("no-such-app")));

      assertThat(postElsewhere(params).status()).isEqualTo(200);
      assertThat(stillSignedIn()).isTrue();
    }

    @Test
    void endsNothing_withAForgedHint() throws Exception {
      ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(ourKey().getKeyID()).generate();
      Map<String, String> params = withHint();
      params.put("id_token_hint", sign(stranger, JOSEObjectType.JWT, claims().build()));

      assertRefusedOnOurErrorPage(postElsewhere(params));
      assertThat(ended(sessionId())).isZero();
      assertThat(stillSignedIn()).isTrue();
    }
  }

  @Nested
  class BackChannel {
    @Test
    void sendsEachClientOfTheSessionAValidLogoutToken() throws Exception {
      while (receiver.next(0) != null) {
        // Drop deliveries an earlier test caused.
      }
      Map<String, Object> library = ssoTo(LIBRARY, LIBRARY_REDIRECT);
      String sid = AuthSteps.claims(library.get("id_token")).getStringClaim("sid");

      assertThat(logout(withHint()).status()).isEqualTo(302);

      BackchannelReceiver.Delivery delivery = receiver.next();
      assertThat(delivery).as("a logout token was delivered").isNotNull();
      assertThat(delivery.contentType()).startsWith("application/x-www-form-urlencoded");
      SignedJWT token = SignedJWT.parse(delivery.logoutToken());
      JWKSet jwks = JWKSet.parse(portal.get("/oauth2/jwks", null).body());
      JWK key = jwks.getKeyByKeyId(token.getHeader().getKeyID());
      assertThat(token.verify(new ECDSAVerifier(key.toECKey()))).isTrue();
      assertThat(token.getHeader().getType()).isEqualTo(new JOSEObjectType("logout+jwt"));
      JWTClaimsSet claims = token.getJWTClaimsSet();
      assertThat(claims.getIssuer()).isEqualTo(portal.base());
      assertThat(claims.getAudience()).containsExactly(LIBRARY);
      assertThat(claims.getSubject()).isEqualTo(AuthSteps.claims(idToken()).getSubject());
      assertThat(claims.getStringClaim("sid")).isEqualTo(sid).isEqualTo(sessionId());
      assertThat(claims.getJWTID()).isNotBlank();
      assertThat(claims.getIssueTime()).isNotNull();
      assertThat(
              Duration.between(
                  claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
          .isPositive()
          .isLessThanOrEqualTo(Duration.ofMinutes(2));
      assertThat(claims.getJSONObjectClaim("events"))
          .containsOnlyKeys("http://schemas.openid.net/event/backchannel-logout");
      assertThat(claims.getJSONObjectClaim("events").get(BackchannelLogout.EVENT))
          .isEqualTo(Map.of());
      assertThat(claims.getClaims()).doesNotContainKey("nonce");
    }

    @Test
    void aFailingClientNeitherDelaysNorBreaksTheLogout() throws Exception {
      while (receiver.next(0) != null) {
        // Drop deliveries an earlier test caused.
      }
      ssoTo(BROKEN, BROKEN_REDIRECT);
      ssoTo(LIBRARY, LIBRARY_REDIRECT);

      long started = System.nanoTime();
      Response response = logout(withHint());
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(response.status()).isEqualTo(302);
      assertThat(took).isLessThan(Duration.ofSeconds(3));
      assertThat(stillSignedIn()).isFalse();
      assertThat(receiver.next()).as("the working client still heard").isNotNull();
    }

    @Test
    void tellsNoClient_whenTheSessionHadNone() throws Exception {
      while (receiver.next(0) != null) {
        // Drop deliveries an earlier test caused.
      }

      assertThat(logout(withHint()).status()).isEqualTo(302);

      assertThat(receiver.next(1500)).isNull();
    }
  }

  // ---- ID tokens made the way an attacker or a confused client might ----

  JWTClaimsSet.Builder claims() {
    try {
      return new JWTClaimsSet.Builder(SignedJWT.parse(idToken()).getJWTClaimsSet());
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }

  /** The genuine ID token's claims, changed, signed with our real key. */
  String forge(UnaryOperator<JWTClaimsSet.Builder> change) {
    return sign(ourKey(), JOSEObjectType.JWT, change.apply(claims()).build());
  }

  static String sign(ECKey key, JOSEObjectType type, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).type(type).keyID(key.getKeyID()).build(),
              claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  ECKey ourKey() {
    String kid = AuthSteps.jwt(idToken()).getHeader().getKeyID();
    return uk.gov.residentportal.support.TestKeys.privateKey(kid).toECKey();
  }

  static String hash(String value) {
    return SecretTokens.hash(value);
  }
}
