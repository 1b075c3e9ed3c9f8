package uk.gov.residentportal.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.gov.residentportal.notify.TestEmails.FIXED_CLOCK;
import static uk.gov.residentportal.notify.TestEmails.NOW;
import static uk.gov.residentportal.notify.TestEmails.aConfig;
import static uk.gov.residentportal.notify.TestEmails.anEmail;

import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxEmailSenderTest {

  @TempDir Path temp;

  private OutboxEmailSender senderInto(Path folder) {
    return new OutboxEmailSender(aConfig().withOutbox(folder).build(), FIXED_CLOCK);
  }

  @Nested
  class Send {
    @Test
    void writesARealEmailWithTheRightHeaders() throws Exception {
      Path outbox = temp.resolve("outbox");

      senderInto(outbox).send(anEmail().to("jo.bloggs@example.org").build());

      MimeMessage parsed = parse(single(outbox));
      assertThat(parsed.getFrom())
          .containsExactly(new InternetAddress("Anytown Council <no-reply@portal.test>"));
      assertThat(parsed.getRecipients(Message.RecipientType.TO))
          .containsExactly(new InternetAddress("jo.bloggs@example.org"));
      assertThat(parsed.getSubject()).isEqualTo("Confirm your email address");
      assertThat(parsed.getSentDate().toInstant()).isEqualTo(NOW.minusMillis(123));
      assertThat(parsed.getMessageID()).matches("<[0-9a-f-]{36}@portal\\.test>");
      assertThat(parsed.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
      assertThat(parsed.getContentType()).isEqualToIgnoringCase("text/plain; charset=UTF-8");
      // RFC 2046 §4.1.1: text is stored with CRLF line breaks, whatever the caller used.
      assertThat(parsed.getContent())
          .isEqualTo("Hello Jo,\r\n\r\nUse this link to confirm your address.\r\n");
    }

    @Test
    void keepsNonAsciiTextIntactInSubjectAndBody() throws Exception {
      Path outbox = temp.resolve("outbox");
      String subject = "Cadarnhewch eich cyfeiriad e-bost – Dŵr Cymru";
      String body = "Helô Siân,\nYour balance is £12.50 — café, naïve, Zoë, ✓ 日本\n";

      senderInto(outbox).send(anEmail().withSubject(subject).withTextBody(body).build());

      MimeMessage parsed = parse(single(outbox));
      assertThat(parsed.getSubject()).isEqualTo(subject);
      assertThat(parsed.getContent()).isEqualTo(body.replace("\n", "\r\n"));
    }

    @Test
    void endsEveryLineWithCrlfAsRfc5322Requires() throws Exception {
      Path outbox = temp.resolve("outbox");

      senderInto(outbox).send(anEmail().withTextBody("one\ntwo\rthree\r\n").build());

      String raw = Files.readString(single(outbox), StandardCharsets.US_ASCII);
      assertThat(raw).doesNotContainPattern("[^\r]\n").doesNotContainPattern("\r[^\n]");
      assertThat(raw).endsWith("one\r\ntwo\r\nthree\r\n");
    }

    @Test
    void writesOneFilePerMessage() throws Exception {
      Path outbox = temp.resolve("outbox");
      OutboxEmailSender sender = senderInto(outbox);

      sender.send(anEmail().to("first@example.org").build());
      sender.send(anEmail().to("second@example.org").build());

      List<Path> files = emlFiles(outbox);
      assertThat(files).hasSize(2);
      assertThat(files.stream().map(f -> recipientOf(f)))
          .containsExactlyInAnyOrder("first@example.org", "second@example.org");
    }

    @Test
    void namesFilesByUtcTimeSoTheySortAndByRandomSoTheyNeverClash() throws Exception {
      Path outbox = temp.resolve("outbox");

      senderInto(outbox).send(anEmail().build());

      assertThat(single(outbox).getFileName().toString())
          .matches("20261122T132501\\.123Z-[0-9a-f-]{36}\\.eml");
    }

    @Test
    void leavesNoTemporaryFileBehind() throws Exception {
      Path outbox = temp.resolve("outbox");

      senderInto(outbox).send(anEmail().build());

      try (Stream<Path> all = Files.list(outbox)) {
        assertThat(all).allMatch(f -> f.getFileName().toString().endsWith(".eml"));
      }
    }

    @Test
    void logsTheFileNameAndTheMaskedRecipientOnly() throws Exception {
      Path outbox = temp.resolve("outbox");
      OutboxEmailSender sender = senderInto(outbox);

      try (LogCapture log = LogCapture.of(OutboxEmailSender.class)) {
        sender.send(anEmail().to("jo.bloggs@example.org").withTextBody("secret text").build());

        assertThat(log.lines())
            .singleElement()
            .asString()
            .contains(single(outbox).getFileName().toString(), "j***@example.org")
            .doesNotContain("jo.bloggs", "secret text", "Confirm your");
      }
    }

    @Test
    void refusesAnInvalidRecipientWithoutNamingIt() {
      Path outbox = temp.resolve("outbox");

      assertThatThrownBy(() -> senderInto(outbox).send(anEmail().to("jo.bloggs@").build()))
          .isInstanceOf(EmailDeliveryException.class)
          .hasMessage("the recipient is not a valid email address")
          .hasStackTraceContaining("AddressException")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("jo.bloggs"));
    }

    @Test
    void failsLoudlyWhenTheFolderHasGone() throws Exception {
      Path outbox = temp.resolve("outbox");
      OutboxEmailSender sender = senderInto(outbox);
      Files.delete(outbox);
      Files.writeString(outbox, "a file where the folder was");

      assertThatThrownBy(() -> sender.send(anEmail().build()))
          .isInstanceOf(EmailDeliveryException.class)
          .hasMessage("the email could not be written to the outbox");
    }
  }

  @Nested
  class StartUp {
    @Test
    void createsTheFolderWithItsParents() {
      Path outbox = temp.resolve("data").resolve("mail").resolve("outbox");

      senderInto(outbox);

      assertThat(outbox).isDirectory();
    }

    @Test
    void stopsWhenTheFolderCannotBeCreated() throws Exception {
      Path notAFolder = Files.writeString(temp.resolve("outbox"), "a file");

      assertThatThrownBy(() -> senderInto(notAFolder))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("PORTAL_EMAIL_OUTBOX");
    }

    @Test
    void stopsWhenTheFromAddressIsInvalid() {
      assertThatThrownBy(
              () ->
                  new OutboxEmailSender(
                      aConfig().withOutbox(temp).withFrom("not an address").build(), FIXED_CLOCK))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("PORTAL_EMAIL_FROM");
    }
  }

  private static List<Path> emlFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().toList();
    }
  }

  private static Path single(Path folder) throws IOException {
    List<Path> files = emlFiles(folder);
    assertThat(files).hasSize(1);
    return files.get(0);
  }

  private static MimeMessage parse(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
      // Read the body now, while the stream is open.
      message.getContent();
      return message;
    }
  }

  private static String recipientOf(Path file) {
    try {
      return ((InternetAddress) parse(file).getRecipients(Message.RecipientType.TO)[0])
          .getAddress();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
