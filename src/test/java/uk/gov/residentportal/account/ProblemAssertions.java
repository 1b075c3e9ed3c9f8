package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import uk.gov.residentportal.support.Portal;

/**
 * What every error answer of the API must look like (RFC 9457): the status, {@code
 * application/problem+json}, a stable {@code type} URN and, for invalid fields, the field named as
 * the caller sent it. The URNs are written out here rather than taken from the main code: clients
 * rely on the literal values.
 */
final class ProblemAssertions {
  static final String VALIDATION = "urn:resident-portal:problem:validation";
  static final String MALFORMED = "urn:resident-portal:problem:malformed-request";
  static final String INVALID_TOKEN = "urn:resident-portal:problem:invalid-token";
  static final String UNAUTHORIZED = "urn:resident-portal:problem:unauthorized";
  static final String FORBIDDEN = "urn:resident-portal:problem:forbidden";
  static final String UNSUPPORTED_MEDIA_TYPE = "urn:resident-portal:problem:unsupported-media-type";
  static final String PAYLOAD_TOO_LARGE = "urn:resident-portal:problem:payload-too-large";

  private ProblemAssertions() {}

  /** Asserts the answer is a problem of that status and type; returns the problem document. */
  static Map<String, Object> assertProblem(Portal.Response response, int status, String type) {
    assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    Map<String, Object> problem = response.json();
    assertThat(problem).containsEntry("type", type).containsKey("title");
    assertThat(((Number) problem.get("status")).intValue()).isEqualTo(status);
    return problem;
  }

  /** A 400 validation problem naming {@code field}; returns that field's message. */
  static String assertInvalidField(Portal.Response response, String field) {
    Map<String, Object> problem = assertProblem(response, 400, VALIDATION);
    List<Map<String, Object>> errors = errors(problem);
    assertThat(errors).extracting(e -> e.get("field")).as("fields named").contains(field);
    return errors.stream()
        .filter(e -> field.equals(e.get("field")))
        .map(e -> (String) e.get("message"))
        .findFirst()
        .orElseThrow();
  }

  /** A 400 invalid-token problem naming the {@code token} field. */
  static void assertInvalidToken(Portal.Response response) {
    Map<String, Object> problem = assertProblem(response, 400, INVALID_TOKEN);
    assertThat(errors(problem)).extracting(e -> e.get("field")).containsExactly("token");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> errors(Map<String, Object> problem) {
    Object errors = problem.get("errors");
    assertThat(errors).as("errors[] of %s", problem).isInstanceOf(List.class);
    return (List<Map<String, Object>>) errors;
  }
}
