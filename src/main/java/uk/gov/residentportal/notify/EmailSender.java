package uk.gov.residentportal.notify;

/**
 * Sends one email. The only thing other features need from this package.
 *
 * <p>Blocks on disk or network I/O: call it from a blocking thread ({@code
 * TaskExecutors.BLOCKING}), never from the event loop.
 */
public interface EmailSender {

  /**
   * Sends (or, for the outbox, durably stores) the message before returning.
   *
   * @throws EmailDeliveryException when the message was not handed over; nothing is retried or
   *     dropped silently, so the caller decides whether to retry, tell the resident or give up
   */
  void send(EmailMessage message);
}
