package uk.gov.residentportal.notify;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Placeholder outbox until the notify package lands. */
@Singleton
final class OutboxEmailSender implements EmailSender {
  private final Path outbox;

  OutboxEmailSender(@Value("${portal.email.outbox:./data/outbox}") String outbox) {
    this.outbox = Path.of(outbox);
  }

  @Override
  public void send(EmailMessage message) {
    try {
      Files.createDirectories(outbox);
      Files.writeString(
          outbox.resolve(System.currentTimeMillis() + "-" + UUID.randomUUID() + ".eml"),
          "To: "
              + message.to()
              + "\r\nSubject: "
              + message.subject()
              + "\r\n\r\n"
              + message.textBody(),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
