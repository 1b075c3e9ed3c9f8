package uk.gov.residentportal.support;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Drives the running service over real HTTP the way residents' browsers and council services do. No
 * redirects are followed and no cookies kept unless a step says so.
 */
public final class Portal {
  public static final String CLIENT = "council-tax-web";
  public static final String REDIRECT = "http://localhost/callback";
  public static final String PASSWORD = "correct horse battery staple 42";

  private static final Pattern CSRF =
      Pattern.compile("name=\"csrf_token\" value=\"([A-Za-z0-9_-]+)\"");

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Outbox outbox;

  /** The service as its issuer names it: {@code http://localhost:<port>} by default. */
  public Portal(URI base) {
    this(URI.create("http://localhost:" + base.getPort()), Path.of("target/test-outbox"));
  }

  public Portal(URI base, Path outbox) {
    String url = base.toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.outbox = new Outbox(outbox);
  }

  public String base() {
    return base;
  }

  public Outbox outbox() {
    return outbox;
  }

  /** An HTTP answer with its body as text. */
  public record Response(int status, HttpHeaders headers, String body) {
    public Map<String, Object> json() {
      try {
        return JSONObjectUtils.parse(body);
      } catch (com.nimbusds.oauth2.sdk.ParseException e) {
        throw new AssertionError("not a JSON object: " + body, e);
      }
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("content-type");
    }
  }

  /** Tokens from the token endpoint. */
  public record Tokens(String accessToken, String refreshToken, String idToken, String scope) {}

  public static String newEmail() {
    return "resident-" + UUID.randomUUID().toString().substring(0, 12) + "@example.org";
  }

  // ---- raw HTTP ----

  public Response get(String path, String bearer, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  public Response json(String method, String path, String body, String bearer) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request);
  }

  public Response post(String path, String contentType, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", contentType);
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  public Response form(String path, Map<String, String> fields, String... headers) {
    return post(path, "application/x-www-form-urlencoded", encode(fields), headers);
  }

  public Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  // ---- account steps ----

  public Response signUp(String email, String password) {
    return json(
        "POST",
        "/api/v1/accounts",
        "{\"email\":\""
            + email
            + "\",\"password\":\""
            + password
            + "\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\",\"postcode\":\"le1 6zg\"}",
        null);
  }

  /** Signs up and verifies the email through the link in the outbox; returns the account id. */
  public String signUpAndVerify(String email) {
    Response signUp = signUp(email, PASSWORD);
    if (signUp.status() != 201) {
      throw new AssertionError("sign-up failed: " + signUp);
    }
    Response verify =
        json(
            "POST",
            "/api/v1/accounts/email-verification",
            "{\"token\":\"" + outbox.latest(email).token() + "\"}",
            null);
    if (verify.status() != 204) {
      throw new AssertionError("verification failed: " + verify);
    }
    return (String) signUp.json().get("id");
  }

  // ---- the browser sign-in flow ----

  /** A browser's visit to the authorization endpoint: its sign-in page, cookie and PKCE pair. */
  public record SignInPage(
      Response page,
      String csrfCookie,
      String csrfToken,
      Map<String, String> hidden,
      CodeVerifier verifier) {}

  public Map<String, String> authorizeParams(CodeVerifier verifier, String state, String nonce) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("client_id", CLIENT);
    params.put("redirect_uri", REDIRECT);
    params.put("response_type", "code");
    params.put("scope", "openid profile email account");
    params.put("state", state);
    params.put("nonce", nonce);
    params.put(
        "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue());
    params.put("code_challenge_method", "S256");
    return params;
  }

  public Response authorize(Map<String, String> params) {
    return get("/oauth2/authorize?" + encode(params), null);
  }

  public SignInPage openSignIn(Map<String, String> params, CodeVerifier verifier) {
    Response page = authorize(params);
    if (page.status() != 200) {
      throw new AssertionError("no sign-in page: " + page.status() + " " + page.body());
    }
    String cookie =
        page.headers().allValues("set-cookie").stream()
            .filter(c -> c.startsWith("portal_csrf="))
            .findFirst()
            .map(c -> c.substring("portal_csrf=".length(), c.indexOf(';')))
            .orElseThrow(() -> new AssertionError("no CSRF cookie"));
    Matcher m = CSRF.matcher(page.body());
    if (!m.find()) {
      throw new AssertionError("no CSRF field in the page");
    }
    return new SignInPage(page, cookie, m.group(1), params, verifier);
  }

  /** Submits the sign-in form as a browser would (cookie included). */
  public Response submitSignIn(SignInPage page, String email, String password) {
    Map<String, String> form = new LinkedHashMap<>(page.hidden());
    form.put("csrf_token", page.csrfToken());
    form.put("email", email);
    form.put("password", password);
    return form("/oauth2/authorize", form, "Cookie", "portal_csrf=" + page.csrfCookie());
  }

  /** The query parameters of a redirect's Location. */
  public static Map<String, String> redirectParams(Response redirect) {
    String location = redirect.header("location");
    if (location == null) {
      throw new AssertionError("not a redirect: " + redirect.status() + " " + redirect.body());
    }
    URI uri = URI.create(location);
    return URLUtils.parseParameters(uri.getRawQuery()).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
  }

  /** Signs in through the real form and returns the authorization code. */
  public String code(String email, CodeVerifier verifier) {
    SignInPage page = openSignIn(authorizeParams(verifier, "st-1", "n-1"), verifier);
    Response redirect = submitSignIn(page, email, PASSWORD);
    if (redirect.status() != 302) {
      throw new AssertionError("sign-in failed: " + redirect.status() + " " + redirect.body());
    }
    return redirectParams(redirect).get("code");
  }

  public Response exchange(String code, CodeVerifier verifier) {
    return form(
        "/oauth2/token",
        Map.of(
            "grant_type", "authorization_code",
            "code", code,
            "redirect_uri", REDIRECT,
            "client_id", CLIENT,
            "code_verifier", verifier.getValue()));
  }

  public Response refresh(String refreshToken) {
    return form(
        "/oauth2/token",
        Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", CLIENT));
  }

  /** The whole browser flow for a verified account: returns its tokens. */
  public Tokens signIn(String email) {
    CodeVerifier verifier = new CodeVerifier();
    Response tokens = exchange(code(email, verifier), verifier);
    if (tokens.status() != 200) {
      throw new AssertionError("token exchange failed: " + tokens.body());
    }
    Map<String, Object> json = tokens.json();
    return new Tokens(
        (String) json.get("access_token"),
        (String) json.get("refresh_token"),
        (String) json.get("id_token"),
        (String) json.get("scope"));
  }

  /** A verified resident, signed in. */
  public Tokens newResident(String email) {
    signUpAndVerify(email);
    return signIn(email);
  }

  public static String encode(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  public static List<String> list(Object value) {
    @SuppressWarnings("unchecked")
    List<String> list = (List<String>) value;
    return list;
  }
}
