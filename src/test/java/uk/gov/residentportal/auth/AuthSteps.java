package uk.gov.residentportal.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;
import uk.gov.residentportal.support.Sql;

/**
 * Steps of the sign-in flow for any registered client (the support {@link Portal} speaks only as
 * council-tax-web), and direct looks at the test database for what HTTP cannot show: expiring a
 * code, counting the codes an account was issued.
 */
final class AuthSteps {
  /** The second registered client: scope openid only, its own redirect URI. */
  static final String PARKING = "parking-app";

  static final String PARKING_REDIRECT = "http://localhost/parking/callback";

  /** council-tax-web's other registered redirect URI. */
  static final String OTHER_REDIRECT = "https://counciltax.example.gov.uk/callback";

  private AuthSteps() {}

  /** An authorization request of parking-app (scope openid). */
  static Map<String, String> parkingParams(
      Portal portal, CodeVerifier verifier, String state, String nonce) {
    Map<String, String> params =
        new LinkedHashMap<>(portal.authorizeParams(verifier, state, nonce));
    params.put("client_id", PARKING);
    params.put("redirect_uri", PARKING_REDIRECT);
    params.put("scope", "openid");
    return params;
  }

  /** Signs in through the real form for the given request and returns the code. */
  static String code(
      Portal portal, Map<String, String> params, CodeVerifier verifier, String email) {
    Portal.SignInPage page = portal.openSignIn(params, verifier);
    Response redirect = portal.submitSignIn(page, email, Portal.PASSWORD);
    if (redirect.status() != 302) {
      throw new AssertionError("sign-in failed: " + redirect.status() + " " + redirect.body());
    }
    return Portal.redirectParams(redirect).get("code");
  }

  /** Redeems a code as the given client. */
  static Response exchange(
      Portal portal, String clientId, String redirectUri, String code, CodeVerifier verifier) {
    return portal.form(
        "/oauth2/token",
        Map.of(
            "grant_type", "authorization_code",
            "code", code,
            "redirect_uri", redirectUri,
            "client_id", clientId,
            "code_verifier", verifier.getValue()));
  }

  /** The token response of a successful code exchange, as JSON. */
  static Map<String, Object> tokens(Response response) {
    if (response.status() != 200) {
      throw new AssertionError(
          "token request failed: " + response.status() + " " + response.body());
    }
    return response.json();
  }

  /** A refresh as the given client, optionally asking for a scope. */
  static Response refresh(Portal portal, String clientId, String refreshToken, String scope) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("client_id", clientId);
    if (scope != null) {
      form.put("scope", scope);
    }
    return portal.form("/oauth2/token", form);
  }

  static SignedJWT jwt(Object token) {
    try {
      return SignedJWT.parse((String) token);
    } catch (ParseException e) {
      throw new AssertionError("not a signed JWT: " + token, e);
    }
  }

  static JWTClaimsSet claims(Object token) {
    try {
      return jwt(token).getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AssertionError("no claims in " + token, e);
    }
  }

  // ---- the test database (support/TestDatabase points every context at it) ----

  static int update(String sql, Object... args) {
    return Sql.update(sql, args);
  }

  static long count(String sql, Object... args) {
    return Sql.count(sql, args);
  }

  /** The first column of the first row, or null when there is no row. */
  static String string(String sql, Object... args) {
    return Sql.stringOrNull(sql, args);
  }
}
