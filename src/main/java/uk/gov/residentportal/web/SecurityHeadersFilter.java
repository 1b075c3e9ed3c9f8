package uk.gov.residentportal.web;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Security headers on every response (OWASP ASVS V14.4). Pages may set a stricter or wider
 * Content-Security-Policy themselves (the sign-in page adds the client's redirect origin to {@code
 * form-action}); this filter only fills in what is missing. Anything under {@code /oauth2} or
 * {@code /api} or {@code /fhir} may carry tokens or personal data and is never cached; GOV.UK
 * Frontend's fonts, whose names change with their content, are cached for a year.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class SecurityHeadersFilter implements Ordered {
  public static final String DEFAULT_CSP =
      "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  /** Before the security filter, so answers it gives (401, 403) get the headers too. */
  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.after();
  }

  @ResponseFilter
  void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
    HttpHeaders headers = response.getHeaders();
    setIfAbsent(response, "X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: under no-referrer browsers send "Origin: null" with our own
    // form posts, which origin checks (Micronaut's localhost guard among them) must refuse. Nothing
    // is ever sent to another site, so the authorization request never leaks to one.
    setIfAbsent(response, "Referrer-Policy", "same-origin");
    setIfAbsent(response, "X-Frame-Options", "DENY");
    setIfAbsent(response, "Content-Security-Policy", DEFAULT_CSP);
    setIfAbsent(response, "Cross-Origin-Opener-Policy", "same-origin");
    if ("https".equalsIgnoreCase(request.getUri().getScheme())
        || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"))) {
      setIfAbsent(response, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    String path = request.getPath();
    // GOV.UK Frontend's font files carry a hash of their content in their names
    // (bold-b542beb274-v2.woff2): another version is another URL, so browsers may keep them.
    if (path.startsWith("/assets/fonts/")
        && response.code() == 200
        && !headers.contains(HttpHeaders.CACHE_CONTROL)) {
      response.header(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable");
    }
    boolean sensitive =
        path.startsWith("/api/")
            || path.startsWith("/oauth2/")
            || path.startsWith("/account/")
            || path.startsWith("/fhir/");
    boolean html =
        response.getContentType().map(t -> t.matches(MediaType.TEXT_HTML_TYPE)).orElse(false);
    if ((sensitive || html) && !headers.contains(HttpHeaders.CACHE_CONTROL)) {
      response.header(HttpHeaders.CACHE_CONTROL, "no-store");
      response.header(HttpHeaders.PRAGMA, "no-cache");
    }
  }

  private static void setIfAbsent(MutableHttpResponse<?> response, String name, String value) {
    if (!response.getHeaders().contains(name)) {
      response.header(name, value);
    }
  }
}
