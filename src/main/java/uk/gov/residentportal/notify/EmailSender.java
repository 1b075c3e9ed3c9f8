package uk.gov.residentportal.notify;

/** Sends email; the implementation is chosen by {@code portal.email.sender}. */
public interface EmailSender {
  void send(EmailMessage message);
}
