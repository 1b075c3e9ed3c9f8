package uk.gov.residentportal.web;

import io.micronaut.context.annotation.Primary;
import io.micronaut.core.bind.exceptions.UnsatisfiedArgumentException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.sql.SQLTransientConnectionException;
import java.util.Comparator;
import java.util.List;
import uk.gov.residentportal.notify.EmailDeliveryException;

/**
 * Writes every error the framework reports (bad JSON, failed validation, unknown route, wrong
 * content type, body too large, missing token...) as {@code application/problem+json}, so callers
 * see one error model. Exception messages and classes never reach the caller for 5xx.
 */
@Primary
@Singleton
final class ProblemResponseProcessor implements ErrorResponseProcessor<Object> {
  private final List<ErrorFormat> formats;

  ProblemResponseProcessor(List<ErrorFormat> formats) {
    this.formats = formats;
  }

  @Override
  @SuppressWarnings("unchecked")
  public MutableHttpResponse<Object> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    if (context
        .getRootCause()
        .map(ProblemResponseProcessor::isDependencyUnavailable)
        .orElse(false)) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5");
    }
    int status = response.code();
    if (status == 401) {
      BearerChallenge.add(context.getRequest(), response);
    }
    String requestId = RequestIdFilter.requestId(context.getRequest());
    Throwable root = context.getRootCause().orElse(null);
    Problem problem;
    if (status >= 500) {
      ProblemType type = ProblemType.forStatus(status);
      problem = new Problem(type.uri(), type.title(), status, null, requestId, null);
    } else if (status == 400) {
      problem = badRequest(root, requestId);
    } else {
      ProblemType type = ProblemType.forStatus(status);
      // Framework messages for these (unknown route, wrong method or content type, body too
      // large) describe the request's shape, never its content.
      String detail =
          context.getErrors().isEmpty() ? null : context.getErrors().get(0).getMessage();
      problem = new Problem(type.uri(), type.title(), status, detail, requestId, null);
    }
    for (ErrorFormat format : formats) {
      if (format.appliesTo(context.getRequest())) {
        return (MutableHttpResponse<Object>) format.write(context.getRequest(), response, problem);
      }
    }
    MutableHttpResponse<?> written = response.body(problem).contentType(Problem.MEDIA_TYPE);
    return (MutableHttpResponse<Object>) written;
  }

  /**
   * A 400 is either failed validation, naming every bad field as the caller sent it, or a body that
   * could not be read at all, described without quoting the parser (which would echo input).
   */
  private static Problem badRequest(Throwable root, String requestId) {
    List<Problem.FieldError> errors = List.of();
    if (root instanceof ConstraintViolationException violations) {
      errors =
          violations.getConstraintViolations().stream()
              .map(v -> new Problem.FieldError(leaf(v.getPropertyPath()), v.getMessage()))
              .sorted(Comparator.comparing(Problem.FieldError::field))
              .toList();
    } else if (root instanceof UnsatisfiedArgumentException missing) {
      errors = List.of(new Problem.FieldError(missing.getArgument().getName(), "is required"));
    }
    if (errors.isEmpty()) {
      ProblemType type = ProblemType.MALFORMED;
      return new Problem(
          type.uri(),
          type.title(),
          400,
          "The request could not be read: check its encoding, and that any body is JSON of the documented shape.",
          requestId,
          null);
    }
    ProblemType type = ProblemType.VALIDATION;
    Problem.FieldError first = errors.get(0);
    return new Problem(
        type.uri(), type.title(), 400, first.field() + ": " + first.message(), requestId, errors);
  }

  /** {@code signUp.body.email} is the field {@code email} to the caller. */
  private static String leaf(Path path) {
    String name = null;
    for (Path.Node node : path) {
      name = node.getName();
    }
    return name == null ? "body" : name;
  }

  /**
   * The database or the email service is out of reach (no connection within the pool's timeout, a
   * connection lost mid-query, refused on connecting), the database gave up on a deadlock, or every
   * worker thread is busy and the queue is full (shared/BlockingExecutor): a 503 the caller may
   * retry.
   */
  static boolean isDependencyUnavailable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException
          // Connector/J's CommunicationsException: the server went away under a connection.
          || t instanceof java.sql.SQLRecoverableException
          || t instanceof java.sql.SQLTransactionRollbackException
          || (t instanceof java.sql.SQLException sql && isConnectionLost(sql))
          // Micronaut Data could not get or set up a connection (read-only flag, isolation).
          // (Not NoConnectionException, "no current connection": a programming error, a 500.)
          || (t instanceof io.micronaut.data.connection.exceptions.ConnectionException
              && !(t instanceof io.micronaut.data.connection.exceptions.NoConnectionException))
          || t instanceof java.util.concurrent.RejectedExecutionException
          || t instanceof EmailDeliveryException) {
        return true;
      }
    }
    return false;
  }

  /**
   * SQL state class 08 (connection exception), or the server's own word that it is going away:
   * shutdown in progress (1053), the connection killed by the shutdown (1927), gone away or lost
   * (2006, 2013). Drivers and the pool report these as a plain SQLException.
   */
  private static boolean isConnectionLost(java.sql.SQLException error) {
    String state = error.getSQLState();
    int code = error.getErrorCode();
    return (state != null && state.startsWith("08"))
        // Hikari's stand-in for a connection it has already evicted as broken (no SQL state).
        || "Connection is closed".equals(error.getMessage())
        || code == 1053
        || code == 1927
        || code == 2006
        || code == 2013;
  }
}
