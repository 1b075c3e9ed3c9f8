package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import java.util.List;
import java.util.Map;

/**
 * The form parameters of a token or revocation request, parsed by Nimbus. RFC 6749 section 3.2: a
 * parameter sent twice makes the request invalid.
 */
final class TokenRequestParams {
  private final Map<String, List<String>> params;

  private TokenRequestParams(Map<String, List<String>> params) {
    this.params = params;
  }

  static TokenRequestParams parse(String body) {
    Map<String, List<String>> params = URLUtils.parseParameters(body == null ? "" : body);
    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      if (param.getValue().size() > 1) {
        String name = param.getKey().length() <= 64 ? param.getKey() : "A parameter";
        throw new OAuthException(OAuth2Error.INVALID_REQUEST, name + " is repeated");
      }
    }
    return new TokenRequestParams(params);
  }

  String optional(String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  String required(String name) {
    String value = optional(name);
    if (value == null) {
      throw new OAuthException(OAuth2Error.INVALID_REQUEST, name + " is required");
    }
    return value;
  }
}
