package uk.gov.residentportal.cluster;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * One resident's browser against the balancer: keeps the cookies the service sets (by name, the
 * Secure ones too, as a browser does for a trusted origin) and sends them back on every request,
 * whichever replica answers it. Follows no redirects.
 */
final class CookieJar {
  private static final Pattern CSRF =
      Pattern.compile("name=\"csrf_token\" value=\"([A-Za-z0-9_-]+)\"");

  private final Portal portal;
  private final Map<String, String> cookies = new LinkedHashMap<>();

  CookieJar(Portal portal) {
    this.portal = portal;
  }

  String cookie(String name) {
    return cookies.get(name);
  }

  Response get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(portal.base() + pathAndQuery)).GET());
  }

  Response form(String path, Map<String, String> fields) {
    return send(
        HttpRequest.newBuilder(URI.create(portal.base() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(Portal.encode(fields))));
  }

  /** Submits the sign-in form of {@code page} (its CSRF token, the request's parameters). */
  Response signIn(Response page, Map<String, String> params, String email, String password) {
    Matcher m = CSRF.matcher(page.body());
    if (!m.find()) {
      throw new AssertionError("no CSRF field in the page: " + page.body());
    }
    Map<String, String> form = new LinkedHashMap<>(params);
    form.put("csrf_token", m.group(1));
    form.put("email", email);
    form.put("password", password);
    return form("/oauth2/authorize", form);
  }

  private Response send(HttpRequest.Builder request) {
    if (!cookies.isEmpty()) {
      request.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    Response response = portal.send(request);
    for (String header : response.headers().allValues("set-cookie")) {
      String pair = header.split(";", 2)[0];
      String name = pair.substring(0, pair.indexOf('='));
      String value = pair.substring(pair.indexOf('=') + 1);
      if (value.isEmpty() || header.toLowerCase(Locale.ROOT).contains("max-age=0")) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    return response;
  }
}
