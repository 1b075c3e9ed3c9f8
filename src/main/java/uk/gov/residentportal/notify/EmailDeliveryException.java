package uk.gov.residentportal.notify;

/**
 * An email was not handed over to the outbox, the SMTP relay or GOV.UK Notify.
 *
 * <p>Unchecked so that callers catch it where they can do something (retry, tell the resident), not
 * everywhere. Its message never holds an address, and the cause it carries is a copy of the
 * library's exception chain with every address masked: SMTP relays quote the recipient in their
 * replies, and whoever catches this will log it.
 */
public final class EmailDeliveryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  // Deep enough for any real chain (Jakarta Mail nests one or two), bounded against cycles.
  private static final int MAX_CAUSES = 8;

  /**
   * @param message what failed, without addresses or message text
   */
  public EmailDeliveryException(String message) {
    super(message);
  }

  /**
   * @param message what failed, without addresses or message text
   * @param cause the library's exception; kept with its stack traces but addresses masked
   */
  public EmailDeliveryException(String message, Throwable cause) {
    super(message, redacted(cause, 0));
  }

  private static Throwable redacted(Throwable original, int depth) {
    if (original == null) {
      return null;
    }
    Throwable next = original.getCause();
    RedactedCause copy =
        new RedactedCause(
            original.getClass().getName()
                + (original.getMessage() == null
                    ? ""
                    : ": " + EmailMessage.maskAddressesIn(original.getMessage())),
            next == null || next == original || depth >= MAX_CAUSES
                ? null
                : redacted(next, depth + 1));
    copy.setStackTrace(original.getStackTrace());
    return copy;
  }

  /** Stands in for a library exception; its message starts with the original class name. */
  static final class RedactedCause extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RedactedCause(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
