package uk.gov.residentportal.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;

/**
 * An error format other than problem+json, for the paths of a protocol that has its own (FHIR
 * answers {@code OperationOutcome}). {@link ProblemHandler} and {@link ProblemResponseProcessor}
 * build the problem as always, then let the format that claims the request rewrite the body, so
 * errors raised before a controller runs (no token, an unknown route, a refused filter) are in the
 * protocol's format too.
 */
public interface ErrorFormat {

  /** Whether this format answers errors of {@code request}. */
  boolean appliesTo(HttpRequest<?> request);

  /**
   * Replaces the body (and content type) of {@code response}, whose status and headers are set,
   * with this format's rendering of {@code problem}.
   */
  MutableHttpResponse<?> write(
      HttpRequest<?> request, MutableHttpResponse<?> response, Problem problem);
}
