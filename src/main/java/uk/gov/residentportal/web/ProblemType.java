package uk.gov.residentportal.web;

import io.micronaut.http.HttpStatus;

/**
 * The stable problem types of the API (RFC 9457 {@code type}). Clients may rely on these URIs; add
 * new ones, never rename.
 */
public enum ProblemType {
  VALIDATION("validation", HttpStatus.BAD_REQUEST, "The request has invalid fields"),
  MALFORMED("malformed-request", HttpStatus.BAD_REQUEST, "The request could not be read"),
  INVALID_TOKEN("invalid-token", HttpStatus.BAD_REQUEST, "The token is not valid"),
  UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Authentication is required"),
  FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Not allowed"),
  NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),
  METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
  NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
  CONFLICT("conflict", HttpStatus.CONFLICT, "Conflict"),
  UNPROCESSABLE(
      "unprocessable", HttpStatus.UNPROCESSABLE_ENTITY, "The details do not match our records"),
  PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.REQUEST_ENTITY_TOO_LARGE, "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(
      "unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
  TOO_MANY_REQUESTS("too-many-requests", HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
  UNAVAILABLE("unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable"),
  INTERNAL("internal", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

  // URNs: stable names that promise no web page behind them.
  private static final String BASE = "urn:resident-portal:problem:";

  private final String slug;
  private final HttpStatus status;
  private final String title;

  ProblemType(String slug, HttpStatus status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  public String uri() {
    return BASE + slug;
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The type used when the framework reports an error by status alone. */
  public static ProblemType forStatus(int status) {
    for (ProblemType type : values()) {
      if (type.status.getCode() == status && type != MALFORMED && type != INVALID_TOKEN) {
        return type;
      }
    }
    return status >= 500 ? INTERNAL : VALIDATION;
  }
}
