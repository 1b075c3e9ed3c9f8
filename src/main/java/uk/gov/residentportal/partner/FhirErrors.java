package uk.gov.residentportal.partner;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import uk.gov.residentportal.partner.Fhir.OperationOutcome;
import uk.gov.residentportal.partner.Fhir.SpineCode;
import uk.gov.residentportal.web.ErrorFormat;
import uk.gov.residentportal.web.Problem;

/**
 * Errors under {@code /fhir/} as FHIR {@code OperationOutcome}s with the NHS Spine error codes,
 * whatever raised them: the security layer (401, 403), the partner gate (400 for X-Request-ID, 403,
 * 429 with its Retry-After), the router (404, 405) or the FHIR search itself ({@link
 * FhirException}). Status and headers stay as the problem handling set them.
 */
@Singleton
@Produces(Fhir.JSON)
final class FhirErrors implements ErrorFormat, ExceptionHandler<FhirException, HttpResponse<?>> {
  static final String PATH = "/fhir/";

  private final JsonMapper json;

  FhirErrors(JsonMapper json) {
    this.json = json;
  }

  @Override
  public boolean appliesTo(HttpRequest<?> request) {
    return request.getPath().startsWith(PATH);
  }

  @Override
  public MutableHttpResponse<?> write(
      HttpRequest<?> request, MutableHttpResponse<?> response, Problem problem) {
    return body(response, outcomeOf(problem));
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, FhirException exception) {
    return body(
        HttpResponse.status(exception.status()),
        OperationOutcome.error(
            exception.issueCode(), exception.spineCode(), exception.getMessage()));
  }

  /** The issue type (FHIR IssueType) and Spine code for a problem, by status. */
  static OperationOutcome outcomeOf(Problem problem) {
    String diagnostics = problem.detail();
    return switch (problem.status()) {
      case 400 -> {
        List<Problem.FieldError> errors = problem.errors() == null ? List.of() : problem.errors();
        boolean missing =
            !errors.isEmpty() && errors.get(0).message().startsWith(PartnerSearch.REQUIRED);
        if (!errors.isEmpty()) {
          diagnostics = errors.get(0).field() + " " + errors.get(0).message();
        }
        yield missing
            ? OperationOutcome.error("required", SpineCode.MISSING_VALUE, diagnostics)
            : OperationOutcome.error("invalid", SpineCode.INVALID_VALUE, diagnostics);
      }
      case 401 -> OperationOutcome.error("login", SpineCode.ACCESS_DENIED, diagnostics);
      case 403 -> OperationOutcome.error("forbidden", SpineCode.ACCESS_DENIED, diagnostics);
      case 404 -> OperationOutcome.error("not-found", SpineCode.RESOURCE_NOT_FOUND, diagnostics);
      case 429 -> OperationOutcome.error("throttled", SpineCode.TOO_MANY_REQUESTS, diagnostics);
      case 405, 406, 415 -> OperationOutcome.error("not-supported", null, diagnostics);
      case 413 -> OperationOutcome.error("too-long", null, diagnostics);
      case 503 -> OperationOutcome.error("transient", null, null);
      default ->
          problem.status() >= 500
              ? OperationOutcome.error("exception", null, null)
              : OperationOutcome.error("processing", null, diagnostics);
    };
  }

  @SuppressWarnings("unchecked")
  private MutableHttpResponse<?> body(MutableHttpResponse<?> response, OperationOutcome outcome) {
    try {
      return ((MutableHttpResponse<Object>) response)
          .body(json.writeValueAsBytes(outcome))
          .contentType(Fhir.MEDIA_TYPE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
