package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * One resident's browser: keeps the cookies the service sets (by name, as the flows here need) and
 * sends them back, follows no redirects. Each test makes its own, so no test sees another's
 * session.
 */
final class Browser {
  private static final Pattern CSRF =
      Pattern.compile("name=\"csrf_token\" value=\"([A-Za-z0-9_-]+)\"");
  private static final Pattern HIDDEN =
      Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">");

  private final Portal portal;
  private final Map<String, String> cookies = new LinkedHashMap<>();
  private final Map<String, String> setCookieHeaders = new LinkedHashMap<>();
  private String userAgent;

  Browser(Portal portal) {
    this.portal = portal;
  }

  Portal portal() {
    return portal;
  }

  /** Sends this User-Agent from now on. */
  Browser userAgent(String value) {
    this.userAgent = value;
    return this;
  }

  /** The value of a cookie the browser holds, or null. */
  String cookie(String name) {
    return cookies.get(name);
  }

  /** The last Set-Cookie header the service sent for a cookie, attributes included. */
  String setCookieHeader(String name) {
    return setCookieHeaders.get(name);
  }

  void setCookie(String name, String value) {
    cookies.put(name, value);
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

  Response authorize(Map<String, String> params) {
    return get("/oauth2/authorize?" + Portal.encode(params));
  }

  /** Opens the sign-in page for the request and signs in with the password: the redirect. */
  Response signIn(Map<String, String> params, String email) {
    Response page = authorize(params);
    if (page.status() != 200) {
      throw new AssertionError("no sign-in page: " + page.status() + " " + page.body());
    }
    Map<String, String> form = new LinkedHashMap<>(params);
    form.put("csrf_token", csrfToken(page));
    form.put("email", email);
    form.put("password", Portal.PASSWORD);
    return form("/oauth2/authorize", form);
  }

  /** Signs in as council-tax-web (scope account included) and returns its tokens. */
  Map<String, Object> signInToCouncilTax(String email) {
    CodeVerifier verifier = new CodeVerifier();
    Response redirect = signIn(portal.authorizeParams(verifier, "st", "n"), email);
    return AuthSteps.tokens(
        AuthSteps.exchange(portal, Portal.CLIENT, Portal.REDIRECT, code(redirect), verifier));
  }

  /** Submits the form of a page (the logout confirmation) with its hidden fields. */
  Response submitHiddenForm(Response page, String action) {
    Map<String, String> form = new LinkedHashMap<>();
    Matcher m = HIDDEN.matcher(page.body());
    while (m.find()) {
      form.put(m.group(1), unescape(m.group(2)));
    }
    return form(action, form);
  }

  static String csrfToken(Response page) {
    Matcher m = CSRF.matcher(page.body());
    if (!m.find()) {
      throw new AssertionError("no CSRF field in the page: " + page.body());
    }
    return m.group(1);
  }

  /** The code of a successful authorization redirect. */
  static String code(Response redirect) {
    if (redirect.status() != 302) {
      throw new AssertionError("not a redirect: " + redirect.status() + " " + redirect.body());
    }
    String code = Portal.redirectParams(redirect).get("code");
    if (code == null) {
      throw new AssertionError("no code in " + redirect.header("location"));
    }
    return code;
  }

  private Response send(HttpRequest.Builder request) {
    if (userAgent != null) {
      request.header("User-Agent", userAgent);
    }
    if (!cookies.isEmpty()) {
      request.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    Response response = portal.send(request);
    List<String> setCookies = response.headers().allValues("set-cookie");
    for (String header : setCookies) {
      String pair = header.split(";", 2)[0];
      String name = pair.substring(0, pair.indexOf('='));
      String value = pair.substring(pair.indexOf('=') + 1);
      setCookieHeaders.put(name, header);
      if (value.isEmpty() || header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    return response;
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }
}
