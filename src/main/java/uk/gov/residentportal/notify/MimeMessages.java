package uk.gov.residentportal.notify;

import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.regex.Pattern;

/** Builds the RFC 5322 message that the outbox stores and the SMTP sender relays: the same one. */
final class MimeMessages {

  private static final String UTF_8 = "UTF-8";
  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

  private MimeMessages() {}

  /**
   * Parses {@code portal.email.from} at start-up.
   *
   * @throws ConfigurationException when it is not one address
   */
  static InternetAddress fromAddress(EmailConfig config) {
    try {
      InternetAddress from = new InternetAddress(config.from(), true);
      from.validate();
      return from;
    } catch (AddressException e) {
      throw new ConfigurationException(
          "portal.email.from (PORTAL_EMAIL_FROM) is not a valid email address", e);
    }
  }

  /**
   * A text/plain UTF-8 message with From, To, Subject, Date and Message-ID, ready to write or send.
   *
   * @throws EmailDeliveryException when the recipient is not one valid address
   */
  // Jakarta Mail's API takes java.util.Date for the Date header.
  @SuppressWarnings("JavaUtilDate")
  static MimeMessage compose(
      Session session, InternetAddress from, EmailMessage message, Instant sentAt) {
    InternetAddress to;
    try {
      to = new InternetAddress(message.to(), true);
      to.validate();
    } catch (AddressException e) {
      throw new EmailDeliveryException("the recipient is not a valid email address", e);
    }
    try {
      MimeMessage mime = new PortalMimeMessage(session, domainOf(from));
      mime.setFrom(from);
      mime.setRecipient(Message.RecipientType.TO, to);
      mime.setSubject(message.subject(), UTF_8);
      mime.setSentDate(Date.from(sentAt));
      // RFC 3834 §5: tells autoresponders (out-of-office) not to answer a machine.
      mime.setHeader("Auto-Submitted", "auto-generated");
      // RFC 5322 §2.3 and RFC 2046 §4.1.1: lines end in CRLF, in the body as in the headers.
      mime.setText(LINE_BREAK.matcher(message.textBody()).replaceAll("\r\n"), UTF_8);
      mime.saveChanges();
      return mime;
    } catch (MessagingException e) {
      throw new EmailDeliveryException("the email could not be composed", e);
    }
  }

  private static String domainOf(InternetAddress address) {
    String addrSpec = address.getAddress();
    return addrSpec.substring(addrSpec.lastIndexOf('@') + 1);
  }

  private static final class PortalMimeMessage extends MimeMessage {
    private final String domain;

    PortalMimeMessage(Session session, String domain) {
      super(session);
      this.domain = domain;
    }

    // RFC 5322 §3.6.4: a globally unique id with a domain on the right. Jakarta Mail's own puts
    // the operating-system user and host name there; a random id at our From domain tells nothing.
    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", "<" + UUID.randomUUID() + "@" + domain + ">");
    }
  }
}
