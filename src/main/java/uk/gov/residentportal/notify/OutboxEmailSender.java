package uk.gov.residentportal.notify;

import static java.nio.file.StandardOpenOption.WRITE;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each message as an RFC 5322 .eml file in {@code portal.email.outbox} instead of sending
 * it: for development, demos and machines without a relay. Any mail client opens the files.
 *
 * <p>Names are {@code <UTC time>-<random>.eml}, so a directory listing sorts by time. Each file is
 * written under a temporary name and then renamed, so a reader that lists {@code *.eml} never sees
 * half a message; files are readable by the service's user only, since they hold personal data.
 */
@Context // built at start-up: an outbox folder that cannot be created stops the service
@Requires(
    property = EmailConfig.SENDER,
    value = EmailConfig.OUTBOX,
    defaultValue = EmailConfig.OUTBOX)
final class OutboxEmailSender implements EmailSender {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxEmailSender.class);

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path folder;
  private final InternetAddress from;
  private final Clock clock;
  // No transport is ever opened: the session only carries MIME settings (none: the defaults).
  private final Session session = Session.getInstance(new Properties());

  @Inject
  OutboxEmailSender(EmailConfig config, Optional<Clock> clock) {
    // The application's Clock when it has one (tests fix it); until then the system's, in UTC.
    this(config, clock.orElseGet(Clock::systemUTC));
  }

  OutboxEmailSender(EmailConfig config, Clock clock) {
    this.folder = Path.of(config.outbox()).toAbsolutePath().normalize();
    this.from = MimeMessages.fromAddress(config);
    this.clock = clock;
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new ConfigurationException(
          "portal.email.outbox (PORTAL_EMAIL_OUTBOX): cannot create folder " + folder, e);
    }
    LOG.info("Emails are written to the outbox folder {}, not sent", folder);
  }

  @Override
  public void send(EmailMessage message) {
    Instant now = clock.instant();
    MimeMessage mime = MimeMessages.compose(session, from, message, now);
    // Time first so names sort; the random part keeps two messages in one millisecond apart.
    String name = FILE_TIME.format(now) + "-" + UUID.randomUUID() + ".eml";
    Path temporary = null;
    try {
      Files.createDirectories(folder);
      // Same folder, so the rename below cannot cross file systems; created with mode 0600.
      temporary = Files.createTempFile(folder, ".", ".eml.part");
      try (FileChannel channel = FileChannel.open(temporary, WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel))) {
        mime.writeTo(out);
        out.flush();
        // On disk before it has its final name: a crash leaves a .part file, never a short .eml.
        channel.force(true);
      }
      Files.move(temporary, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | MessagingException e) {
      deleteIfPresent(temporary);
      throw new EmailDeliveryException("the email could not be written to the outbox", e);
    }
    LOG.info("Email written to outbox file {} for {}", name, EmailMessage.mask(message.to()));
  }

  private static void deleteIfPresent(Path temporary) {
    if (temporary == null) {
      return;
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      LOG.warn("Could not delete the unfinished outbox file {}", temporary, e);
    }
  }
}
