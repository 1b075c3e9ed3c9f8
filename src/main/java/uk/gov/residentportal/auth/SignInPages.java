package uk.gov.residentportal.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.views.ModelAndView;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import uk.gov.residentportal.shared.PortalUrls;
import uk.gov.residentportal.shared.SecretTokens;

/**
 * Renders the sign-in and error pages, and guards the sign-in form with a CSRF token: a random
 * value in an HttpOnly, SameSite=Strict cookie that the form must echo (double submit, OWASP CSRF
 * cheat sheet). Pages get a CSP whose {@code form-action} also allows the client's redirect origin,
 * because browsers apply it to the redirect that follows the form.
 */
@Singleton
final class SignInPages {
  static final String CSRF_COOKIE = "portal_csrf";
  static final String CSRF_FIELD = "csrf_token";

  private final SecretTokens secrets;
  private final PortalUrls urls;

  SignInPages(SecretTokens secrets, PortalUrls urls) {
    this.secrets = secrets;
    this.urls = urls;
  }

  /** One message for the whole form (error summary) and optional messages per field. */
  record Errors(String summary, Map<String, String> fields) {
    static Errors none() {
      return new Errors(null, Map.of());
    }
  }

  MutableHttpResponse<?> signIn(
      HttpRequest<?> request,
      AuthorizationRequest authorization,
      HttpStatus status,
      Errors errors,
      String email) {
    String csrf =
        request
            .getCookies()
            .findCookie(CSRF_COOKIE)
            .map(Cookie::getValue)
            .filter(SecretTokens::wellFormed)
            .orElseGet(secrets::generate);
    Map<String, Object> model = new HashMap<>();
    model.put("clientName", authorization.clientName());
    model.put("hidden", authorization.formParameters());
    model.put("csrfField", CSRF_FIELD);
    model.put("csrfToken", csrf);
    model.put("email", email == null ? "" : email);
    model.put("errorSummary", errors.summary());
    model.put("errorFields", errors.fields());
    model.put("errorList", errorList(errors));
    return HttpResponse.status(status)
        .body(new ModelAndView<>("auth/sign-in", model))
        .cookie(csrfCookie(csrf))
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "form-action 'self' "
                + origin(authorization.redirectUri())
                + "; frame-ancestors 'none'; base-uri 'none'");
  }

  MutableHttpResponse<?> error(HttpStatus status, String message) {
    return HttpResponse.status(status)
        .body(new ModelAndView<>("auth/error", Map.of("message", message)));
  }

  /** True when the form's token matches the cookie's (compared in constant time). */
  static boolean csrfMatches(HttpRequest<?> request, String submitted) {
    Optional<String> cookie = request.getCookies().findCookie(CSRF_COOKIE).map(Cookie::getValue);
    return submitted != null
        && cookie.isPresent()
        && MessageDigest.isEqual(
            cookie.get().getBytes(StandardCharsets.UTF_8),
            submitted.getBytes(StandardCharsets.UTF_8));
  }

  private Cookie csrfCookie(String value) {
    return Cookie.of(CSRF_COOKIE, value)
        .httpOnly(true)
        .secure(urls.issuer().startsWith("https:"))
        .sameSite(SameSite.Strict)
        .path("/oauth2/authorize");
  }

  private static List<Map<String, String>> errorList(Errors errors) {
    if (!errors.fields().isEmpty()) {
      return errors.fields().entrySet().stream()
          .map(e -> Map.of("field", e.getKey(), "message", e.getValue()))
          .toList();
    }
    return errors.summary() == null
        ? List.of()
        : List.of(Map.of("field", "email", "message", errors.summary()));
  }

  private static String origin(String uri) {
    URI parsed = URI.create(uri);
    return parsed.getScheme() + "://" + parsed.getRawAuthority();
  }
}
