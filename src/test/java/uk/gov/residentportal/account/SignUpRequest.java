package uk.gov.residentportal.account;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import uk.gov.residentportal.support.Portal;

/**
 * Test data builder for the body of {@code POST /api/v1/accounts}: a valid sign-up unless a step
 * changes or removes a field. Serialised with a real JSON writer, so any character survives.
 */
final class SignUpRequest {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  private SignUpRequest(String email) {
    fields.put("email", email);
    fields.put("password", Portal.PASSWORD);
    fields.put("givenName", "Ada");
    fields.put("familyName", "Lovelace");
    fields.put("postcode", "le1 6zg");
  }

  /** A valid sign-up for a fresh address. */
  static SignUpRequest aSignUp() {
    return new SignUpRequest(Portal.newEmail());
  }

  static SignUpRequest aSignUpFor(String email) {
    return new SignUpRequest(email);
  }

  SignUpRequest with(String field, Object value) {
    fields.put(field, value);
    return this;
  }

  SignUpRequest withPassword(String password) {
    return with("password", password);
  }

  SignUpRequest without(String field) {
    fields.remove(field);
    return this;
  }

  String email() {
    return (String) fields.get("email");
  }

  String json() {
    return JSONObjectUtils.toJSONString(fields);
  }

  /** Any JSON object, for the other endpoints' bodies. */
  static String json(Map<String, ?> body) {
    return JSONObjectUtils.toJSONString(new LinkedHashMap<>(body));
  }
}
