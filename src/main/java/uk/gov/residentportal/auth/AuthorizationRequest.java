package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import java.util.LinkedHashMap;
import java.util.Map;

/** A validated authorization request (RFC 6749 section 4.1.1, OIDC Core 3.1.2.1, RFC 7636). */
record AuthorizationRequest(
    String clientId,
    String clientName,
    String redirectUri,
    String scope,
    @Nullable String state,
    @Nullable String nonce,
    String codeChallenge) {

  /** The parameters to carry through the sign-in form, as hidden fields. */
  Map<String, String> formParameters() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("client_id", clientId);
    params.put("redirect_uri", redirectUri);
    params.put("response_type", "code");
    params.put("scope", scope);
    params.put("code_challenge", codeChallenge);
    params.put("code_challenge_method", "S256");
    if (state != null) {
      params.put("state", state);
    }
    if (nonce != null) {
      params.put("nonce", nonce);
    }
    return params;
  }
}
