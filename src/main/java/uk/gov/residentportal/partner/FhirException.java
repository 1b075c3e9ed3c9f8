package uk.gov.residentportal.partner;

import io.micronaut.http.HttpStatus;

/**
 * A FHIR request the service refuses with a specific FHIR issue type and Spine error code (a search
 * parameter in the wrong system or shape). Answered as an OperationOutcome by {@link FhirErrors}.
 * The message is written for the caller and holds no personal data.
 */
final class FhirException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String issueCode;
  private final Fhir.SpineCode spineCode;

  FhirException(HttpStatus status, String issueCode, Fhir.SpineCode spineCode, String diagnostics) {
    super(diagnostics, null, false, false);
    this.status = status;
    this.issueCode = issueCode;
    this.spineCode = spineCode;
  }

  static FhirException badRequest(String issueCode, Fhir.SpineCode spineCode, String diagnostics) {
    return new FhirException(HttpStatus.BAD_REQUEST, issueCode, spineCode, diagnostics);
  }

  HttpStatus status() {
    return status;
  }

  String issueCode() {
    return issueCode;
  }

  Fhir.SpineCode spineCode() {
    return spineCode;
  }
}
