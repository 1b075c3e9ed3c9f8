package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.auth.AuthSteps.OTHER_REDIRECT;
import static uk.gov.residentportal.auth.AuthSteps.PARKING_REDIRECT;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * The authorization endpoint as browsers and council services meet it: which requests get the
 * sign-in page, which are refused on our own error page (never redirected: no open redirect), which
 * go back to the client with an RFC 6749 error, and what the sign-in form does.
 */
@MicronautTest(transactional = false)
class AuthorizeEndpointTest {
  private static final String ERROR_PAGE_HEADING = "Sorry, there is a problem";
  private static final Pattern ERROR_SUMMARY =
      Pattern.compile("<div class=\"govuk-error-summary\".*?</div>", Pattern.DOTALL);

  @Inject EmbeddedServer server;

  Portal portal;
  CodeVerifier verifier;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    verifier = new CodeVerifier();
  }

  /** A valid request of council-tax-web, to be spoilt one parameter at a time. */
  Map<String, String> request() {
    return new LinkedHashMap<>(portal.authorizeParams(verifier, "state-abc", "nonce-xyz"));
  }

  Map<String, String> request(String name, String value) {
    Map<String, String> params = request();
    if (value == null) {
      params.remove(name);
    } else {
      params.put(name, value);
    }
    return params;
  }

  Map<String, String> request(Map<String, String> overrides) {
    Map<String, String> params = request();
    params.putAll(overrides);
    return params;
  }

  /** Our own error page: 400, HTML, the reason, and no way out to the given address. */
  static void assertErrorPageWithoutRedirect(Response response, String reason) {
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("location")).isNull();
    assertThat(response.contentType()).startsWith("text/html");
    assertThat(response.body()).contains(ERROR_PAGE_HEADING).contains(reason);
  }

  /** An RFC 6749 section 4.1.2.1 error sent back to the registered redirect URI. */
  Map<String, String> assertRedirectedWithError(
      Response response, String redirectUri, String error) {
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.header("location")).startsWith(redirectUri + "?");
    Map<String, String> params = Portal.redirectParams(response);
    assertThat(params)
        .containsEntry("error", error)
        .containsEntry("iss", portal.base())
        .doesNotContainKey("code");
    return params;
  }

  @Nested
  class ShowingTheSignInPage {

    @Test
    void refusesUnknownClient_onAnErrorPageWithoutRedirecting() {
      Response response = portal.authorize(request("client_id", "no-such-client"));

      assertErrorPageWithoutRedirect(
          response, "The service that sent you here is not registered with us.");
    }

    @Test
    void refusesMissingClientId_onAnErrorPageWithoutRedirecting() {
      Response response = portal.authorize(request("client_id", null));

      assertErrorPageWithoutRedirect(response, "did not say who it is (client_id)");
    }

    @Test
    void refusesEmptyClientId_onAnErrorPageWithoutRedirecting() {
      Response response = portal.authorize(request("client_id", ""));

      assertErrorPageWithoutRedirect(response, "did not say who it is (client_id)");
    }

    @Test
    void refusesUnregisteredRedirectUri_onAnErrorPageWithoutRedirecting() {
      Response response =
          portal.authorize(request("redirect_uri", "https://attacker.example/callback"));

      assertErrorPageWithoutRedirect(
          response, "gave an address to return to that is not registered");
    }

    @Test
    void refusesMissingRedirectUri_onAnErrorPageWithoutRedirecting() {
      Response response = portal.authorize(request("redirect_uri", null));

      assertErrorPageWithoutRedirect(
          response, "gave an address to return to that is not registered");
    }

    @Test
    void refusesRedirectUriRegisteredForAnotherClient() {
      Response response = portal.authorize(request("redirect_uri", PARKING_REDIRECT));

      assertErrorPageWithoutRedirect(
          response, "gave an address to return to that is not registered");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://localhost/callback/",
          "http://localhost/callback?next=https://attacker.example",
          "http://localhost/callback?",
          "http://localhost/callback#x",
          "http://localhost/Callback",
          "HTTP://LOCALHOST/callback",
          "http://localhost:80/callback",
          "http://localhost/callback/../callback",
          "http://localhost.attacker.example/callback"
        })
    void refusesRedirectUriThatOnlyNearlyMatchesTheRegisteredOne(String nearly) {
      Response response = portal.authorize(request("redirect_uri", nearly));

      assertErrorPageWithoutRedirect(
          response, "gave an address to return to that is not registered");
    }

    @Test
    void answersMissingResponseType_withInvalidRequestAtTheRedirectUri() {
      // RFC 6749 section 4.1.2.1: a missing required parameter is invalid_request.
      Response response = portal.authorize(request("response_type", null));

      assertThat(assertRedirectedWithError(response, Portal.REDIRECT, "invalid_request"))
          .containsEntry("state", "state-abc")
          .containsEntry("error_description", "response_type is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "id_token", "code id_token", "code token", "none"})
    void answersOtherResponseTypes_withUnsupportedResponseTypeAndTheOriginalState(String type) {
      Response response = portal.authorize(request("response_type", type));

      assertThat(assertRedirectedWithError(response, Portal.REDIRECT, "unsupported_response_type"))
          .containsEntry("state", "state-abc");
    }

    @Test
    void requiresPkce_missingCodeChallengeIsInvalidRequest() {
      Response response = portal.authorize(request("code_challenge", null));

      assertThat(assertRedirectedWithError(response, Portal.REDIRECT, "invalid_request"))
          .containsEntry("state", "state-abc")
          .containsEntry("error_description", "code_challenge is required (PKCE)");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"plain", "s256", "S512", ""})
    void acceptsOnlyS256_otherOrMissingCodeChallengeMethodIsInvalidRequest(String method) {
      // RFC 7636 section 4.3: a missing method means plain, which we never accept.
      Response response = portal.authorize(request("code_challenge_method", method));

      assertThat(assertRedirectedWithError(response, Portal.REDIRECT, "invalid_request"))
          .containsEntry("state", "state-abc")
          .containsEntry("error_description", "code_challenge_method must be S256");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "too-short",
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM0", // 44 characters
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c=", // padding
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM", // base64, not base64url
          ""
        })
    void refusesMalformedCodeChallenge_withInvalidRequest(String challenge) {
      Response response = portal.authorize(request("code_challenge", challenge));

      assertThat(assertRedirectedWithError(response, Portal.REDIRECT, "invalid_request"))
          .containsEntry("state", "state-abc");
    }

    @Test
    void refusesScopeTheClientMayNotHave_withInvalidScope() {
      // parking-app is registered for openid only.
      Map<String, String> params = AuthSteps.parkingParams(portal, verifier, "park-1", "n");
      params.put("scope", "openid email");

      Response response = portal.authorize(params);

      assertThat(assertRedirectedWithError(response, PARKING_REDIRECT, "invalid_scope"))
          .containsEntry("state", "park-1");
    }

    @Test
    void refusesUnknownScope_withInvalidScope() {
      Response response = portal.authorize(request("scope", "openid records:write"));

      assertThat(assertRedirectedWithError(response, Portal.REDIRECT, "invalid_scope"))
          .containsEntry("state", "state-abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"scope=openid", "state=other", "code_challenge_method=S256"})
    void refusesRepeatedParameter_withInvalidRequest(String repeated) {
      // RFC 6749 section 3.1: request parameters must not be included more than once.
      Response response =
          portal.get("/oauth2/authorize?" + Portal.encode(request()) + "&" + repeated, null);

      Map<String, String> params =
          assertRedirectedWithError(response, Portal.REDIRECT, "invalid_request");
      assertThat(params.get("error_description"))
          .isEqualTo(repeated.substring(0, repeated.indexOf('=')) + " is repeated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"request", "request_uri"})
    void refusesRequestObjects_withRequestNotSupported(String parameter) {
      Response response =
          portal.authorize(request(parameter, "eyJhbGciOiJub25lIn0.e30.")); // any value

      assertThat(assertRedirectedWithError(response, Portal.REDIRECT, "request_not_supported"))
          .containsEntry("state", "state-abc");
    }

    @Test
    void answersPromptNone_withLoginRequired_whenNobodyIsSignedIn() {
      Response response = portal.authorize(request("prompt", "none"));

      assertThat(assertRedirectedWithError(response, Portal.REDIRECT, "login_required"))
          .containsEntry("state", "state-abc");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "s t+a&b=c/d?e#f%g{h}i|\u00e9\"'<>",
          "a b+c%20d",
          "==base64/+==",
          "\u263a \u4e2d\u6587",
          "semi;colon,comma"
        })
    void returnsStateExactlyAsSent(String state) {
      Response response = portal.authorize(request(Map.of("state", state, "prompt", "none")));

      assertThat(assertRedirectedWithError(response, Portal.REDIRECT, "login_required"))
          .containsEntry("state", state);
    }

    @Test
    void sendsNoStateBack_whenNoneWasSent() {
      Map<String, String> params = request("state", null);
      params.put("prompt", "none");

      Response response = portal.authorize(params);

      assertThat(assertRedirectedWithError(response, Portal.REDIRECT, "login_required"))
          .doesNotContainKey("state");
    }

    @Test
    void refusesOverlongState_withInvalidRequest() {
      Response response = portal.authorize(request("state", "s".repeat(513)));

      assertThat(assertRedirectedWithError(response, Portal.REDIRECT, "invalid_request"))
          .containsEntry("error_description", "state is too long");
    }

    @Test
    void showsTheSignInForm_withLabelledEmailAndPasswordFieldsAndAHiddenCsrfToken() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);
      String html = page.page().body();

      assertThat(page.page().status()).isEqualTo(200);
      assertThat(page.page().contentType()).startsWith("text/html");
      assertThat(html)
          .contains("<form method=\"post\" action=\"/oauth2/authorize\"")
          .contains("<label class=\"govuk-label\" for=\"email\">Email address</label>")
          .contains("<label class=\"govuk-label\" for=\"password\">Password</label>")
          .containsPattern("<input [^>]*id=\"email\" name=\"email\" type=\"email\"")
          .containsPattern("<input [^>]*id=\"password\" name=\"password\" type=\"password\"")
          .contains("<input type=\"hidden\" name=\"csrf_token\" value=\"" + page.csrfToken())
          .contains("<button type=\"submit\" class=\"govuk-button\">Sign in</button>")
          .contains("to continue to <strong>Council Tax online</strong>");
      assertThat(page.csrfToken()).isEqualTo(page.csrfCookie()).hasSize(43);
    }

    @Test
    void carriesTheAuthorizationRequestThroughTheFormAsHiddenFields() {
      String html = portal.authorize(request()).body();

      assertThat(html)
          .contains("<input type=\"hidden\" name=\"client_id\" value=\"council-tax-web\">")
          .contains(
              "<input type=\"hidden\" name=\"redirect_uri\" value=\"http://localhost/callback\">")
          .contains("<input type=\"hidden\" name=\"state\" value=\"state-abc\">")
          .contains("<input type=\"hidden\" name=\"nonce\" value=\"nonce-xyz\">")
          .contains(
              "<input type=\"hidden\" name=\"code_challenge\" value=\""
                  + request().get("code_challenge")
                  + "\">");
    }

    @Test
    void escapesTheStateInThePage() {
      String html = portal.authorize(request("state", "\"><script>alert(1)</script>")).body();

      assertThat(html)
          .doesNotContain("<script>alert(1)</script>")
          .contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void protectsThePage_againstFramingCachingAndFormsPostedElsewhere() {
      Response response = portal.authorize(request("redirect_uri", OTHER_REDIRECT));

      assertThat(response.status()).isEqualTo(200);
      String csp = response.header("content-security-policy");
      assertThat(csp)
          .contains("frame-ancestors 'none'")
          .contains("default-src 'none'")
          // Browsers apply form-action to the redirect after the form: the client's origin.
          .containsPattern("form-action 'self' https://counciltax\\.example\\.gov\\.uk;");
      assertThat(response.header("x-frame-options")).isEqualTo("DENY");
      assertThat(response.header("cache-control")).isEqualTo("no-store");
      assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
    }

    @Test
    void setsTheCsrfCookie_httpOnlyAndSameSiteStrict_forTheAuthorizeEndpointOnly() {
      Response response = portal.authorize(request());

      List<String> cookies = response.headers().allValues("set-cookie");
      assertThat(cookies).hasSize(1);
      String cookie = cookies.get(0);
      assertThat(cookie).startsWith("portal_csrf=");
      assertThat(cookie.toLowerCase(java.util.Locale.ROOT))
          .contains("; httponly")
          .contains("; samesite=strict")
          .contains("; path=/oauth2/authorize");
    }
  }

  @Nested
  class SubmittingTheSignInForm {
    String email;
    String accountId;

    @BeforeEach
    void aVerifiedResident() {
      email = Portal.newEmail();
      accountId = portal.signUpAndVerify(email);
    }

    long codesIssuedToTheResident() {
      return AuthSteps.count(
          "SELECT COUNT(*) FROM authorization_codes WHERE account_id = ?", accountId);
    }

    Response submit(Map<String, String> form, String cookie) {
      return cookie == null
          ? portal.form("/oauth2/authorize", form)
          : portal.form("/oauth2/authorize", form, "Cookie", "portal_csrf=" + cookie);
    }

    Map<String, String> filledIn(Portal.SignInPage page) {
      Map<String, String> form = new LinkedHashMap<>(page.hidden());
      form.put("csrf_token", page.csrfToken());
      form.put("email", email);
      form.put("password", Portal.PASSWORD);
      return form;
    }

    String errorSummary(Response response) {
      Matcher m = ERROR_SUMMARY.matcher(response.body());
      assertThat(m.find()).as("an error summary in the page").isTrue();
      return m.group();
    }

    @Test
    void redirectsToTheExactRedirectUri_withCodeStateAndIss() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);

      Response response = portal.submitSignIn(page, email, Portal.PASSWORD);

      assertThat(response.status()).isEqualTo(302);
      URI location = URI.create(response.header("location"));
      assertThat(location.getScheme() + "://" + location.getRawAuthority() + location.getRawPath())
          .isEqualTo(Portal.REDIRECT);
      assertThat(location.getRawFragment()).isNull();
      Map<String, String> params = Portal.redirectParams(response);
      assertThat(params).containsOnlyKeys("code", "state", "iss");
      assertThat(params).containsEntry("state", "state-abc").containsEntry("iss", portal.base());
      assertThat(params.get("code")).matches("[A-Za-z0-9_-]{43}");
      assertThat(codesIssuedToTheResident()).isEqualTo(1);
    }

    @Test
    void redirectsToTheOtherRegisteredRedirectUri_whenThatWasAskedFor() {
      Portal.SignInPage page = portal.openSignIn(request("redirect_uri", OTHER_REDIRECT), verifier);

      Response response = portal.submitSignIn(page, email, Portal.PASSWORD);

      assertThat(response.status()).isEqualTo(302);
      assertThat(response.header("location")).startsWith(OTHER_REDIRECT + "?code=");
    }

    @Test
    void returnsStateWithSpecialCharactersExactly() {
      String state = "s t+a&b=c/d?e#f%g{h}i|\u00e9\"'<>";
      Portal.SignInPage page = portal.openSignIn(request("state", state), verifier);

      Response response = portal.submitSignIn(page, email, Portal.PASSWORD);

      assertThat(response.status()).isEqualTo(302);
      assertThat(Portal.redirectParams(response)).containsEntry("state", state);
    }

    @Test
    void acceptsTheEmailAddressInAnyCaseWithSurroundingSpaces() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);

      Response response =
          portal.submitSignIn(
              page, "  " + email.toUpperCase(java.util.Locale.ROOT) + " ", Portal.PASSWORD);

      assertThat(response.status()).isEqualTo(302);
      assertThat(Portal.redirectParams(response)).containsKey("code");
    }

    @Test
    void refusesFormWithoutTheCsrfCookie_with403AndNoCode() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);

      Response response = submit(filledIn(page), null);

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.header("location")).isNull();
      assertThat(response.contentType()).startsWith("text/html");
      assertThat(errorSummary(response)).contains("This page had expired. Sign in again.");
      assertThat(codesIssuedToTheResident()).isZero();
    }

    @Test
    void refusesFormWhoseCsrfTokenDiffersFromTheCookie_with403AndNoCode() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);
      Portal.SignInPage otherVisit = portal.openSignIn(request(), new CodeVerifier());
      Map<String, String> form = filledIn(page);
      form.put("csrf_token", otherVisit.csrfToken());

      Response response = submit(form, page.csrfCookie());

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.header("location")).isNull();
      assertThat(errorSummary(response)).contains("This page had expired. Sign in again.");
      assertThat(codesIssuedToTheResident()).isZero();
    }

    @Test
    void refusesFormWithoutTheCsrfField_with403AndNoCode() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);
      Map<String, String> form = filledIn(page);
      form.remove("csrf_token");

      Response response = submit(form, page.csrfCookie());

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.header("location")).isNull();
      assertThat(codesIssuedToTheResident()).isZero();
    }

    @Test
    void asksForTheEmailAddress_whenItIsEmpty() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);

      Response response = portal.submitSignIn(page, "   ", Portal.PASSWORD);

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("location")).isNull();
      assertThat(response.body()).contains("<title>Error: Sign in - Council account</title>");
      assertThat(errorSummary(response))
          .contains("There is a problem")
          .contains("<a href=\"#email\">Enter your email address</a>")
          .doesNotContain("#password");
      assertThat(response.body())
          .containsPattern("id=\"email\" name=\"email\"[^>]*aria-invalid=\"true\"")
          .doesNotContainPattern("id=\"password\" name=\"password\"[^>]*aria-invalid");
      assertThat(codesIssuedToTheResident()).isZero();
    }

    @Test
    void asksForThePassword_whenItIsEmpty_keepingTheEmailTyped() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);

      Response response = portal.submitSignIn(page, email, "");

      assertThat(response.status()).isEqualTo(400);
      assertThat(errorSummary(response))
          .contains("<a href=\"#password\">Enter your password</a>")
          .doesNotContain("#email");
      assertThat(response.body())
          .containsPattern("id=\"password\" name=\"password\"[^>]*aria-invalid=\"true\"")
          .doesNotContainPattern("id=\"email\" name=\"email\"[^>]*aria-invalid")
          .contains("value=\"" + email + "\"");
      assertThat(codesIssuedToTheResident()).isZero();
    }

    @Test
    void refusesOverlongPassword_beforeCheckingIt() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);

      Response response = portal.submitSignIn(page, email, "p".repeat(1025));

      assertThat(response.status()).isEqualTo(400);
      assertThat(errorSummary(response)).contains("<a href=\"#password\">Password must be");
      assertThat(response.body())
          .containsPattern("id=\"password\" name=\"password\"[^>]*aria-invalid=\"true\"");
    }

    @Test
    void answersWrongPasswordAndUnknownEmail_alikeWith401() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);

      Response wrongPassword = portal.submitSignIn(page, email, "not the password at all");
      Response unknownEmail = portal.submitSignIn(page, Portal.newEmail(), Portal.PASSWORD);

      assertThat(wrongPassword.status()).isEqualTo(401);
      assertThat(unknownEmail.status()).isEqualTo(401);
      assertThat(wrongPassword.header("location")).isNull();
      assertThat(unknownEmail.header("location")).isNull();
      assertThat(errorSummary(wrongPassword))
          .contains("Enter the email address and password of your account")
          .isEqualTo(errorSummary(unknownEmail));
      assertThat(codesIssuedToTheResident()).isZero();
    }

    @Test
    void refusesAnUnverifiedAccount_with403_onlyWhenThePasswordIsRight() {
      String unverified = Portal.newEmail();
      assertThat(portal.signUp(unverified, Portal.PASSWORD).status()).isEqualTo(201);
      Portal.SignInPage page = portal.openSignIn(request(), verifier);

      Response rightPassword = portal.submitSignIn(page, unverified, Portal.PASSWORD);
      Response wrongPassword = portal.submitSignIn(page, unverified, "not the password at all");

      assertThat(rightPassword.status()).isEqualTo(403);
      assertThat(errorSummary(rightPassword)).contains("Confirm your email address first");
      assertThat(wrongPassword.status()).isEqualTo(401);
      assertThat(errorSummary(wrongPassword))
          .contains("Enter the email address and password of your account");
    }

    @Test
    void showsAnErrorPageAndDoesNotRedirect_whenTheHiddenRedirectUriWasChanged() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);
      Map<String, String> form = filledIn(page);
      form.put("redirect_uri", "https://attacker.example/callback");

      Response response = submit(form, page.csrfCookie());

      assertErrorPageWithoutRedirect(
          response, "gave an address to return to that is not registered");
      assertThat(codesIssuedToTheResident()).isZero();
    }

    @Test
    void showsAnErrorPageAndDoesNotRedirect_whenTheHiddenClientIdWasChanged() {
      Portal.SignInPage page = portal.openSignIn(request(), verifier);
      Map<String, String> form = filledIn(page);
      form.put("client_id", "no-such-client");

      Response response = submit(form, page.csrfCookie());

      assertErrorPageWithoutRedirect(
          response, "The service that sent you here is not registered with us.");
      assertThat(codesIssuedToTheResident()).isZero();
    }

    @Test
    void issuesNoCode_whenTheHiddenScopeWasWidened() {
      Portal.SignInPage page =
          portal.openSignIn(AuthSteps.parkingParams(portal, verifier, "park-2", "n"), verifier);
      Map<String, String> form = filledIn(page);
      form.put("scope", "openid email");

      Response response = submit(form, page.csrfCookie());

      assertThat(assertRedirectedWithError(response, PARKING_REDIRECT, "invalid_scope"))
          .containsEntry("state", "park-2");
      assertThat(codesIssuedToTheResident()).isZero();
    }

    @Test
    void answersMalformedFormEncoding_with400_not500() {
      // DESIGN.md section 5: never a 500 for bad input.
      Response response =
          portal.post(
              "/oauth2/authorize",
              "application/x-www-form-urlencoded",
              "client_id=council-tax-web&state=%zz");

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("location")).isNull();
    }
  }
}
