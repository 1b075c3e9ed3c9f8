package uk.gov.residentportal.web;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Locale;

/**
 * Writes every error the framework reports (bad JSON, failed validation, unknown route, wrong
 * content type, body too large, missing token...) as {@code application/problem+json}, so callers
 * see one error model. Exception messages and classes never reach the caller for 5xx.
 */
@Primary
@Singleton
final class ProblemResponseProcessor implements ErrorResponseProcessor<Problem> {

  @Override
  @SuppressWarnings("unchecked")
  public MutableHttpResponse<Problem> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    if (context.getRootCause().map(ProblemResponseProcessor::isDatabaseUnavailable).orElse(false)) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5");
    }
    int status = response.code();
    if (status == 401) {
      BearerChallenge.add(context.getRequest(), response);
    }
    ProblemType type = typeFor(status, context);
    String requestId = RequestIdFilter.requestId(context.getRequest());
    Problem problem;
    if (status >= 500) {
      problem = new Problem(type.uri(), type.title(), status, null, requestId, null);
    } else {
      List<Problem.FieldError> errors =
          context.getErrors().stream().map(ProblemResponseProcessor::fieldError).toList();
      String detail = errors.isEmpty() ? null : errors.get(0).message();
      if (!errors.isEmpty() && errors.get(0).field() != null) {
        detail = errors.get(0).field() + ": " + errors.get(0).message();
      }
      problem =
          new Problem(
              type.uri(),
              type.title(),
              status,
              detail,
              requestId,
              errors.stream().anyMatch(e -> e.field() != null)
                  ? errors.stream().filter(e -> e.field() != null).toList()
                  : null);
    }
    return ((MutableHttpResponse<Problem>) response).body(problem).contentType(Problem.MEDIA_TYPE);
  }

  private static ProblemType typeFor(int status, ErrorContext context) {
    if (status == 400 && context.getErrors().stream().noneMatch(e -> e.getPath().isPresent())) {
      return ProblemType.MALFORMED;
    }
    return ProblemType.forStatus(status);
  }

  /**
   * Validation paths look like {@code create.body.email} or {@code body.email}: the caller knows
   * the field as {@code email}.
   */
  private static Problem.FieldError fieldError(Error error) {
    String message = safeMessage(error.getMessage());
    return error
        .getPath()
        .map(
            path -> {
              String field = path;
              int body = field.indexOf("body.");
              if (body >= 0) {
                field = field.substring(body + "body.".length());
              } else if (field.contains(".")) {
                field = field.substring(field.lastIndexOf('.') + 1);
              }
              return new Problem.FieldError(field, message);
            })
        .orElseGet(() -> new Problem.FieldError(null, message));
  }

  /** Framework messages can quote the raw input; keep only the part that describes the rule. */
  private static String safeMessage(String message) {
    if (message == null) {
      return "is not valid";
    }
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("exception") || lower.contains("jackson") || lower.contains("serde")) {
      return "The request body could not be read.";
    }
    return message.length() > 300 ? message.substring(0, 300) : message;
  }

  private static boolean isDatabaseUnavailable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException) {
        return true;
      }
    }
    return false;
  }
}
