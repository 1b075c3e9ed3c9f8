package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.ErrorObject;

/**
 * An OAuth 2.0 error for the token and revocation endpoints (RFC 6749 section 5.2), answered as
 * that RFC's JSON, not problem+json. Codes come from Nimbus's {@code OAuth2Error}.
 */
final class OAuthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ErrorObject error;

  OAuthException(ErrorObject error, String description) {
    super(description, null, false, false);
    // RFC 6749 section 5.2 allows only printable ASCII without " and \ in error_description.
    this.error = error.setDescription(ErrorObject.removeIllegalChars(description));
  }

  ErrorObject error() {
    return error;
  }
}
