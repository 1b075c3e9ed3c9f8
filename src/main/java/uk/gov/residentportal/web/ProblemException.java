package uk.gov.residentportal.web;

import io.micronaut.http.HttpStatus;
import java.util.List;

/**
 * The domain errors a caller may see. Each kind carries a stable problem {@code type} and status;
 * {@link ProblemHandler} is the one place that turns them into {@code application/problem+json}.
 * Messages are written for the caller and never hold secrets or personal data.
 */
public abstract sealed class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem.FieldError> errors;

  ProblemException(String detail, List<Problem.FieldError> errors) {
    super(detail, null, false, false);
    this.errors = List.copyOf(errors);
  }

  public abstract ProblemType problemType();

  public HttpStatus status() {
    return problemType().status();
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }

  /** A request field is missing or wrong (400), naming the field. */
  public static final class InvalidField extends ProblemException {
    private static final long serialVersionUID = 1L;

    public InvalidField(String field, String message) {
      super(message, List.of(new Problem.FieldError(field, message)));
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.VALIDATION;
    }
  }

  /** The thing asked for does not exist, or is not the caller's to see (404 either way). */
  public static final class NotFound extends ProblemException {
    private static final long serialVersionUID = 1L;

    public NotFound() {
      super("Not found.", List.of());
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.NOT_FOUND;
    }
  }

  /** The caller's credentials are missing or wrong for this operation (401). */
  public static final class Unauthorized extends ProblemException {
    private static final long serialVersionUID = 1L;

    public Unauthorized(String detail) {
      super(detail, List.of());
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.UNAUTHORIZED;
    }
  }

  /** A one-time token is unknown, used or expired (400, without saying which). */
  public static final class InvalidToken extends ProblemException {
    private static final long serialVersionUID = 1L;

    public InvalidToken() {
      super(
          "The link or token is not valid: it may have expired or been used already.",
          List.of(new Problem.FieldError("token", "is not valid")));
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.INVALID_TOKEN;
    }
  }

  /** The request conflicts with the current state (409). */
  public static final class Conflict extends ProblemException {
    private static final long serialVersionUID = 1L;

    public Conflict(String detail) {
      super(detail, List.of());
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.CONFLICT;
    }
  }

  /** The caller is known but may not do this (403). */
  public static final class Forbidden extends ProblemException {
    private static final long serialVersionUID = 1L;

    public Forbidden(String detail) {
      super(detail, List.of());
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.FORBIDDEN;
    }
  }

  /** The service is too busy for this now; the caller may retry (503 with Retry-After). */
  public static final class Busy extends ProblemException {
    private static final long serialVersionUID = 1L;

    public Busy(String detail) {
      super(detail, List.of());
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.UNAVAILABLE;
    }
  }

  /** The access token lacks the scope this needs (403, RFC 6750 insufficient_scope). */
  public static final class InsufficientScope extends ProblemException {
    private static final long serialVersionUID = 1L;

    private final String scope;

    public InsufficientScope(String scope) {
      super("The access token was not issued with scope " + scope + ".", List.of());
      this.scope = scope;
    }

    public String scope() {
      return scope;
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.FORBIDDEN;
    }
  }

  /** The body (or one part of it) is bigger than allowed (413). */
  public static final class PayloadTooLarge extends ProblemException {
    private static final long serialVersionUID = 1L;

    public PayloadTooLarge(String detail) {
      super(detail, List.of());
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.PAYLOAD_TOO_LARGE;
    }
  }

  /** The content is not of a type this operation takes (415). */
  public static final class UnsupportedMediaType extends ProblemException {
    private static final long serialVersionUID = 1L;

    public UnsupportedMediaType(String detail) {
      super(detail, List.of());
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.UNSUPPORTED_MEDIA_TYPE;
    }
  }

  /**
   * Well-formed details that do not match what is held (422), without saying which part was wrong.
   */
  public static final class Unprocessable extends ProblemException {
    private static final long serialVersionUID = 1L;

    public Unprocessable(String detail) {
      super(detail, List.of());
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.UNPROCESSABLE;
    }
  }

  /** Too many attempts; the caller may try again after {@code retryAfterSeconds} (429). */
  public static final class TooManyRequests extends ProblemException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public TooManyRequests(String detail, long retryAfterSeconds) {
      super(detail, List.of());
      this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }

    @Override
    public ProblemType problemType() {
      return ProblemType.TOO_MANY_REQUESTS;
    }
  }
}
