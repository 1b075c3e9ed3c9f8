package uk.gov.residentportal.notify;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each message to an SMTP relay with Jakarta Mail (the Angus implementation).
 *
 * <p>Not through micronaut-email's {@code JavaxEmailSender}: its session is the JVM-wide {@code
 * Session.getDefaultInstance}, which keeps whatever settings it was first built with, and it logs a
 * refused message with the relay's reply, which quotes the recipient's address. Here the session is
 * this bean's own and failures reach the caller with addresses masked.
 */
@Context // built at start-up: a missing host or half-set credentials stop the service
@Requires(property = EmailConfig.SENDER, value = EmailConfig.SMTP)
final class SmtpEmailSender implements EmailSender {

  private static final Logger LOG = LoggerFactory.getLogger(SmtpEmailSender.class);

  // Jakarta Mail waits for ever by default; a stuck relay must not hold a request thread.
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Session session;
  private final InternetAddress from;
  @Nullable private final String username;
  @Nullable private final String password;
  private final Clock clock;

  @Inject
  SmtpEmailSender(EmailConfig email, SmtpConfig smtp, Optional<Clock> clock) {
    // The application's Clock when it has one (tests fix it); until then the system's, in UTC.
    this(email, smtp, clock.orElseGet(Clock::systemUTC));
  }

  SmtpEmailSender(EmailConfig email, SmtpConfig smtp, Clock clock) {
    if (smtp.username() != null && smtp.password() == null) {
      throw new ConfigurationException(
          "portal.email.smtp.password (PORTAL_SMTP_PASSWORD) must be set with a username");
    }
    this.session = Session.getInstance(sessionProperties(smtp));
    this.from = MimeMessages.fromAddress(email);
    this.username = smtp.username();
    this.password = smtp.password();
    this.clock = clock;
    LOG.info(
        "Emails are sent through the SMTP relay {}:{} (STARTTLS {})",
        smtp.host(),
        smtp.port(),
        smtp.starttls() ? "required" : "off");
  }

  private static Properties sessionProperties(SmtpConfig smtp) {
    Properties properties = new Properties();
    properties.setProperty("mail.transport.protocol", "smtp");
    properties.setProperty("mail.smtp.host", smtp.host());
    properties.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
    properties.setProperty("mail.smtp.auth", Boolean.toString(smtp.username() != null));
    // Enable alone would fall back to plain text when the relay offers no STARTTLS, credentials
    // and all; required refuses to send instead.
    properties.setProperty("mail.smtp.starttls.enable", Boolean.toString(smtp.starttls()));
    properties.setProperty("mail.smtp.starttls.required", Boolean.toString(smtp.starttls()));
    properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
    String timeout = Long.toString(TIMEOUT.toMillis());
    properties.setProperty("mail.smtp.connectiontimeout", timeout);
    properties.setProperty("mail.smtp.timeout", timeout);
    properties.setProperty("mail.smtp.writetimeout", timeout);
    return properties;
  }

  @Override
  public void send(EmailMessage message) {
    MimeMessage mime = MimeMessages.compose(session, from, message, clock.instant());
    String messageId;
    try {
      messageId = mime.getMessageID();
      if (username == null) {
        Transport.send(mime);
      } else {
        Transport.send(mime, username, password);
      }
    } catch (MessagingException e) {
      throw new EmailDeliveryException("the SMTP relay did not take the email", e);
    }
    LOG.info("Email {} sent by SMTP to {}", messageId, EmailMessage.mask(message.to()));
  }
}
