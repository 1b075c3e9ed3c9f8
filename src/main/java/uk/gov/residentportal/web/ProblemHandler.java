package uk.gov.residentportal.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;

/** The one handler that answers every {@link ProblemException} with problem+json. */
@Produces(Problem.CONTENT_TYPE)
@Singleton
@Requires(classes = {ProblemException.class, ExceptionHandler.class})
final class ProblemHandler implements ExceptionHandler<ProblemException, HttpResponse<?>> {
  private final List<ErrorFormat> formats;

  ProblemHandler(List<ErrorFormat> formats) {
    this.formats = formats;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, ProblemException exception) {
    MutableHttpResponse<Problem> response = toResponse(request, exception);
    for (ErrorFormat format : formats) {
      if (format.appliesTo(request)) {
        return format.write(request, response, response.body());
      }
    }
    return response;
  }

  static MutableHttpResponse<Problem> toResponse(
      HttpRequest<?> request, ProblemException exception) {
    ProblemType type = exception.problemType();
    Problem problem =
        new Problem(
            type.uri(),
            type.title(),
            type.status().getCode(),
            exception.getMessage(),
            RequestIdFilter.requestId(request),
            exception.errors().isEmpty() ? null : exception.errors());
    MutableHttpResponse<Problem> response =
        HttpResponse.<Problem>status(type.status()).body(problem).contentType(Problem.MEDIA_TYPE);
    if (type == ProblemType.UNAUTHORIZED) {
      BearerChallenge.add(request, response);
    }
    if (exception instanceof ProblemException.InsufficientScope insufficient) {
      response.header(
          HttpHeaders.WWW_AUTHENTICATE,
          "Bearer realm=\"portal\", error=\"insufficient_scope\", scope=\""
              + insufficient.scope()
              + "\"");
    }
    if (exception instanceof ProblemException.TooManyRequests tooMany) {
      response.header(HttpHeaders.RETRY_AFTER, String.valueOf(tooMany.retryAfterSeconds()));
    }
    if (type == ProblemType.UNAVAILABLE) {
      response.header(HttpHeaders.RETRY_AFTER, "5");
    }
    return response;
  }
}
