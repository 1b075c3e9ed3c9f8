package uk.gov.residentportal.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import uk.gov.residentportal.shared.PortalUrls;
import uk.gov.residentportal.shared.SecretTokens;

/**
 * CSRF protection for our HTML forms (OWASP CSRF cheat sheet, double submit): a random value in an
 * HttpOnly, SameSite=Strict cookie that the form must echo in a hidden field.
 */
@Singleton
public final class CsrfCookie {
  public static final String COOKIE = "portal_csrf";
  public static final String FIELD = "csrf_token";

  private final SecretTokens secrets;
  private final PortalUrls urls;

  CsrfCookie(SecretTokens secrets, PortalUrls urls) {
    this.secrets = secrets;
    this.urls = urls;
  }

  /** The value the page's form carries: the browser's current one, or a new one. */
  public String valueFor(HttpRequest<?> request) {
    return request
        .getCookies()
        .findCookie(COOKIE)
        .map(Cookie::getValue)
        .filter(SecretTokens::wellFormed)
        .orElseGet(secrets::generate);
  }

  /** The cookie to set with a page whose form carries {@code value}, scoped to {@code path}. */
  public Cookie cookie(String value, String path) {
    return Cookie.of(COOKIE, value)
        .httpOnly(true)
        .secure(urls.issuer().startsWith("https:"))
        .sameSite(SameSite.Strict)
        .path(path);
  }

  /** True when the submitted field matches the cookie (compared in constant time). */
  public static boolean matches(HttpRequest<?> request, String submitted) {
    Optional<String> cookie = request.getCookies().findCookie(COOKIE).map(Cookie::getValue);
    return submitted != null
        && cookie.isPresent()
        && MessageDigest.isEqual(
            cookie.get().getBytes(StandardCharsets.UTF_8),
            submitted.getBytes(StandardCharsets.UTF_8));
  }
}
