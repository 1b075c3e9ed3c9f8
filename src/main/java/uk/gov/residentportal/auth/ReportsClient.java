package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.http.uri.UriBuilder;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import uk.gov.residentportal.shared.PortalUrls;
import uk.gov.residentportal.shared.SecretTokens;

/**
 * The portal's own reports pages as an OpenID Connect client of the portal: a public client {@code
 * portal-reports}, registered at every start, whose redirect URI is {@code /reports/callback}. A
 * browser without a session is sent through the ordinary sign-in ({@code /oauth2/authorize}, PKCE
 * S256) and comes back to the report it asked for. What the pages rely on is the browser session
 * the sign-in starts, not the code: the callback checks {@code state} and discards the code, whose
 * PKCE verifier is never kept, so nobody can redeem it (it expires unused, and is deleted with the
 * session).
 *
 * <p>{@code state} and the report URL to return to travel in a short-lived HttpOnly cookie scoped
 * to the callback ({@code state.base64url(path)}); the URL is only ever a {@code /reports/} path of
 * our own origin, checked when it is stored and again when it is used (no open redirect).
 */
@Singleton
final class ReportsClient {
  static final String CLIENT_ID = "portal-reports";
  static final String CALLBACK = "/reports/callback";
  static final String COOKIE = "portal_reports_signin";
  static final String HOME = "/reports/uptake";
  private static final String PREFIX = "/reports/";
  private static final Duration COOKIE_AGE = Duration.ofMinutes(10);
  private static final int MAX_RETURN_LENGTH = 1000;

  private final ClientService clients;
  private final PortalUrls urls;
  private final SecretTokens secrets;

  ReportsClient(ClientService clients, PortalUrls urls, SecretTokens secrets) {
    this.clients = clients;
    this.urls = urls;
    this.secrets = secrets;
  }

  /** Registers (or updates) the client; at every start, as its redirect URI is the issuer's. */
  void register() {
    clients.upsert(
        new ClientRegistration(
            CLIENT_ID,
            "Council account reports",
            ClientType.PUBLIC,
            List.of(redirectUri()),
            List.of(),
            null,
            List.of("openid"),
            null,
            null,
            null,
            null));
  }

  String redirectUri() {
    return urls.issuer() + CALLBACK;
  }

  /**
   * 302 to the authorization endpoint, remembering the request's own path and query to come back to
   * (or the uptake report when that is not a report path).
   */
  MutableHttpResponse<?> signIn(HttpRequest<?> request) {
    String query = request.getUri().getRawQuery();
    String returnTo =
        safeReturn(request.getUri().getRawPath() + (query == null ? "" : "?" + query));
    String state = secrets.generate();
    // RFC 7636 §4.2: S256. The verifier is dropped: the code is never exchanged (see above).
    CodeVerifier verifier = new CodeVerifier();
    String location =
        UriBuilder.of("/oauth2/authorize")
            .queryParam("client_id", CLIENT_ID)
            .queryParam("response_type", "code")
            .queryParam("scope", "openid")
            .queryParam("redirect_uri", redirectUri())
            .queryParam("state", state)
            .queryParam(
                "code_challenge",
                CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue())
            .queryParam("code_challenge_method", "S256")
            .toString();
    String value =
        state
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(returnTo.getBytes(StandardCharsets.US_ASCII));
    return HttpResponse.status(HttpStatus.FOUND)
        .header("Location", location)
        .cookie(cookie(value).maxAge(COOKIE_AGE));
  }

  /**
   * Where the callback sends the browser: the remembered report URL when the cookie's state equals
   * {@code state} (compared in constant time), else empty.
   */
  Optional<String> returnTo(HttpRequest<?> request, @Nullable String state) {
    Optional<String> value = request.getCookies().findCookie(COOKIE).map(Cookie::getValue);
    if (state == null || value.isEmpty()) {
      return Optional.empty();
    }
    int dot = value.get().indexOf('.');
    String expected = dot < 0 ? value.get() : value.get().substring(0, dot);
    if (!SecretTokens.wellFormed(expected)
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    String remembered = null;
    if (dot >= 0) {
      try {
        remembered =
            new String(
                Base64.getUrlDecoder().decode(value.get().substring(dot + 1)),
                StandardCharsets.US_ASCII);
      } catch (IllegalArgumentException notBase64) {
        remembered = null;
      }
    }
    return Optional.of(safeReturn(remembered));
  }

  /** Tells the browser to drop the sign-in cookie. */
  Cookie clearedCookie() {
    return cookie("").maxAge(0);
  }

  private Cookie cookie(String value) {
    return Cookie.of(COOKIE, value)
        .httpOnly(true)
        .secure(urls.issuer().startsWith("https:"))
        // Lax: the browser comes back to the callback by a top-level redirect.
        .sameSite(SameSite.Lax)
        .path(CALLBACK);
  }

  /**
   * {@code candidate} if it is a relative {@code /reports/} URL of our own origin (printable ASCII,
   * no backslash, no scheme or authority, still under {@code /reports/} once dot segments are
   * resolved, not the callback), else the uptake report.
   */
  static String safeReturn(@Nullable String candidate) {
    if (candidate == null
        || candidate.length() > MAX_RETURN_LENGTH
        || !candidate.startsWith(PREFIX)
        || candidate.startsWith(CALLBACK)) {
      return HOME;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '\\') {
        return HOME;
      }
    }
    try {
      URI uri = new URI(candidate);
      String path = uri.normalize().getRawPath();
      if (uri.getScheme() != null
          || uri.getRawAuthority() != null
          || uri.getRawFragment() != null
          || path == null
          || !path.startsWith(PREFIX)
          || path.startsWith(CALLBACK)) {
        return HOME;
      }
    } catch (URISyntaxException e) {
      return HOME;
    }
    return candidate;
  }
}
