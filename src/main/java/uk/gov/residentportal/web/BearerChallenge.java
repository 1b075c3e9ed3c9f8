package uk.gov.residentportal.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;

/**
 * RFC 6750 section 3: a 401 from a bearer-protected resource says so, and says the token was bad
 * when one was sent (so a client knows to refresh rather than to sign in afresh).
 */
final class BearerChallenge {
  private BearerChallenge() {}

  static void add(HttpRequest<?> request, MutableHttpResponse<?> response) {
    if (response.getHeaders().contains(HttpHeaders.WWW_AUTHENTICATE)) {
      return;
    }
    boolean tokenSent =
        request
            .getHeaders()
            .getAuthorization()
            .map(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
            .orElse(false);
    response.header(
        HttpHeaders.WWW_AUTHENTICATE,
        tokenSent ? "Bearer realm=\"portal\", error=\"invalid_token\"" : "Bearer realm=\"portal\"");
  }
}
