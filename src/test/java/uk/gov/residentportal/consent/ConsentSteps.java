package uk.gov.residentportal.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/**
 * Steps of the consent tests: residents signed up and in over HTTP, partner organisations
 * registered straight in the test database (their administration is another feature's), consents
 * granted, listed and withdrawn over HTTP.
 */
final class ConsentSteps {
  static final String CONSENTS = "/api/v1/me/consents";
  static final String VALIDATION = "urn:resident-portal:problem:validation";
  static final String MALFORMED = "urn:resident-portal:problem:malformed-request";
  static final String UNAUTHORIZED = "urn:resident-portal:problem:unauthorized";
  static final String FORBIDDEN = "urn:resident-portal:problem:forbidden";
  static final String NOT_FOUND = "urn:resident-portal:problem:not-found";
  static final String CONFLICT = "urn:resident-portal:problem:conflict";
  static final String UNSUPPORTED = "urn:resident-portal:problem:unsupported-media-type";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";

  private final Portal portal;

  ConsentSteps(Portal portal) {
    this.portal = portal;
  }

  /** A verified, signed-in resident: the account id and an access token with scope account. */
  record Resident(String id, String email, String token) {}

  Resident resident() {
    String email = Portal.newEmail();
    String id = portal.signUpAndVerify(email);
    return new Resident(id, email, portal.signIn(email).accessToken());
  }

  /** A fresh ODS-shaped code no other test uses, e.g. ZQK4821. */
  static String newOdsCode() {
    StringBuilder code = new StringBuilder("Z");
    for (int i = 0; i < 2; i++) {
      code.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
    }
    return code.append(String.format("%04d", RANDOM.nextInt(10_000))).toString();
  }

  /** A registered partner organisation, active or not; returns its ODS code. */
  static String organisation(String name, boolean active) {
    return organisation(name, "NHS_TRUST", active);
  }

  static String organisation(String name, String type, boolean active) {
    String ods = newOdsCode();
    Sql.update(
        "INSERT INTO partner_organisations (ods_code, name, org_type, active, created_at,"
            + " updated_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
        ods,
        name,
        type,
        active);
    return ods;
  }

  static String body(String organisation, List<String> categories, String purpose) {
    return "{\"organisation\":\""
        + organisation
        + "\",\"categories\":["
        + String.join(",", categories.stream().map(c -> "\"" + c + "\"").toList())
        + "],\"purpose\":\""
        + purpose
        + "\"}";
  }

  Portal.Response grant(String token, String organisation, String... categories) {
    return grantRaw(token, body(organisation, List.of(categories), "DIRECT_CARE"));
  }

  Portal.Response grantRaw(String token, String body) {
    return portal.json("POST", CONSENTS, body, token);
  }

  /** Grants and asserts 201; returns the consent. */
  Map<String, Object> granted(String token, String organisation, String... categories) {
    Portal.Response response = grant(token, organisation, categories);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json();
  }

  Portal.Response withdraw(String token, String id) {
    return portal.json("DELETE", CONSENTS + "/" + id, null, token);
  }

  @SuppressWarnings("unchecked")
  List<Map<String, Object>> consents(String token) {
    Portal.Response response = portal.get(CONSENTS, token);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return (List<Map<String, Object>>) response.json().get("consents");
  }

  /** An access token without scope account: parking-app signs residents in with openid only. */
  String tokenWithoutAccountScope(String email) {
    CodeVerifier verifier = new CodeVerifier();
    Map<String, String> params = new LinkedHashMap<>(portal.authorizeParams(verifier, "s", "n"));
    params.put("client_id", "parking-app");
    params.put("redirect_uri", "http://localhost/parking/callback");
    params.put("scope", "openid");
    Portal.Response redirect =
        portal.submitSignIn(portal.openSignIn(params, verifier), email, Portal.PASSWORD);
    assertThat(redirect.status()).as("sign-in redirect").isEqualTo(302);
    Portal.Response tokens =
        portal.form(
            "/oauth2/token",
            Map.of(
                "grant_type", "authorization_code",
                "code", Portal.redirectParams(redirect).get("code"),
                "redirect_uri", "http://localhost/parking/callback",
                "client_id", "parking-app",
                "code_verifier", verifier.getValue()));
    assertThat(tokens.status()).as("token exchange %s", tokens.body()).isEqualTo(200);
    assertThat((String) tokens.json().get("scope")).doesNotContain("account");
    return (String) tokens.json().get("access_token");
  }

  // ---- the test database ----

  static long consentRows(String accountId) {
    return Sql.count("SELECT COUNT(*) FROM consents WHERE account_id = ?", accountId);
  }

  static long auditEvents(String accountId, String action) {
    return Sql.count(
        "SELECT COUNT(*) FROM audit_events WHERE subject = ? AND action = ?", accountId, action);
  }

  // ---- reading answers ----

  /** Asserts a problem answer of that status and type; returns the problem document. */
  static Map<String, Object> assertProblem(Portal.Response response, int status, String type) {
    assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    Map<String, Object> problem = response.json();
    assertThat(problem).as(response.body()).containsEntry("type", type);
    return problem;
  }

  /** A 400 validation problem naming {@code field}; returns its message for that field. */
  @SuppressWarnings("unchecked")
  static String assertInvalidField(Portal.Response response, String field) {
    Map<String, Object> problem = assertProblem(response, 400, VALIDATION);
    List<Map<String, Object>> errors = (List<Map<String, Object>>) problem.get("errors");
    assertThat(errors).extracting(e -> e.get("field")).as(response.body()).contains(field);
    return errors.stream()
        .filter(e -> field.equals(e.get("field")))
        .map(e -> (String) e.get("message"))
        .findFirst()
        .orElseThrow();
  }

  /** A 404 problem without its per-request id: what must not differ between two 404s. */
  static Map<String, Object> notFoundBody(Portal.Response response) {
    Map<String, Object> problem = new LinkedHashMap<>(assertProblem(response, 404, NOT_FOUND));
    problem.remove("requestId");
    return problem;
  }
}
