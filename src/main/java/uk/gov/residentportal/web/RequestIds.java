package uk.gov.residentportal.web;

import io.micronaut.http.context.ServerRequestContext;
import java.util.Optional;

/** The id of the HTTP request being served on this thread, as {@link RequestIdFilter} took it. */
public final class RequestIds {
  private RequestIds() {}

  /** The current request's id; empty outside a request (a command, a scheduled job). */
  public static Optional<String> current() {
    return ServerRequestContext.currentRequest().map(RequestIdFilter::requestId);
  }
}
