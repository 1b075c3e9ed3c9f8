package uk.gov.residentportal.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.gov.residentportal.notify.TestEmails.FIXED_CLOCK;
import static uk.gov.residentportal.notify.TestEmails.aConfig;
import static uk.gov.residentportal.notify.TestEmails.anEmail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmtpEmailSenderTest {

  // A real SMTP server in this JVM, on a free port of the loopback interface, fresh per test.
  @RegisterExtension
  static final GreenMailExtension RELAY =
      new GreenMailExtension(ServerSetupTest.SMTP.createCopy("127.0.0.1").dynamicPort())
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("portal", "relay-secret"));

  private static SmtpEmailSender senderWith(SmtpConfig smtp) {
    return new SmtpEmailSender(aConfig().withSender("smtp").build(), smtp, FIXED_CLOCK);
  }

  private static SmtpConfig relay(String username, String password, boolean starttls) {
    return new SmtpConfig("127.0.0.1", RELAY.getSmtp().getPort(), username, password, starttls);
  }

  @Nested
  class Send {
    @Test
    void deliversSubjectRecipientAndBody() throws Exception {
      String body = "Helô Siân,\nYour balance is £12.50 ✓";

      senderWith(relay(null, null, false))
          .send(anEmail().to("jo.bloggs@example.org").withTextBody(body).build());

      MimeMessage[] received = RELAY.getReceivedMessages();
      assertThat(received).hasSize(1);
      assertThat(received[0].getSubject()).isEqualTo("Confirm your email address");
      assertThat(received[0].getRecipients(Message.RecipientType.TO))
          .containsExactly(new InternetAddress("jo.bloggs@example.org"));
      assertThat(received[0].getFrom())
          .containsExactly(new InternetAddress("Anytown Council <no-reply@portal.test>"));
      // RFC 2046 §4.1.1: text travels with CRLF line breaks.
      assertThat(received[0].getContent()).isEqualTo(body.replace("\n", "\r\n"));
    }

    @Test
    void logsTheMessageIdAndTheMaskedRecipientOnly() {
      SmtpEmailSender sender = senderWith(relay(null, null, false));

      try (LogCapture log = LogCapture.of(SmtpEmailSender.class)) {
        sender.send(anEmail().to("jo.bloggs@example.org").build());

        assertThat(log.lines())
            .singleElement()
            .asString()
            .contains("j***@example.org", "@portal.test>")
            .doesNotContain("jo.bloggs");
      }
    }

    @Test
    void signsInWhenAUsernameIsSet() throws Exception {
      senderWith(relay("portal", "relay-secret", false)).send(anEmail().build());

      assertThat(RELAY.getReceivedMessages()).hasSize(1);
    }

    @Test
    void reportsRefusedCredentialsWithoutSending() {
      SmtpEmailSender sender = senderWith(relay("portal", "wrong", false));

      assertThatThrownBy(() -> sender.send(anEmail().build()))
          .isInstanceOf(EmailDeliveryException.class)
          .hasMessage("the SMTP relay did not take the email");
      assertThat(RELAY.getReceivedMessages()).isEmpty();
    }

    @Test
    void refusesToSendInPlainTextWhenStarttlsIsRequired() {
      // This relay offers no usable TLS; with STARTTLS on, nothing may leave unencrypted.
      SmtpEmailSender sender = senderWith(relay(null, null, true));

      assertThatThrownBy(() -> sender.send(anEmail().build()))
          .isInstanceOf(EmailDeliveryException.class)
          .hasStackTraceContaining("STARTTLS is required");
      assertThat(RELAY.getReceivedMessages()).isEmpty();
    }

    @Test
    void reportsAnUnreachableRelayWithoutNamingTheRecipient() throws IOException {
      int closedPort;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = socket.getLocalPort();
      }
      SmtpEmailSender sender =
          senderWith(new SmtpConfig("127.0.0.1", closedPort, null, null, false));

      assertThatThrownBy(() -> sender.send(anEmail().to("jo.bloggs@example.org").build()))
          .isInstanceOf(EmailDeliveryException.class)
          .hasMessage("the SMTP relay did not take the email")
          .hasStackTraceContaining("ConnectException")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("jo.bloggs"));
    }
  }

  @Nested
  class StartUp {
    @Test
    void stopsWhenAUsernameHasNoPassword() {
      assertThatThrownBy(() -> senderWith(new SmtpConfig("relay.test", 587, "portal", null, true)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("PORTAL_SMTP_PASSWORD");
    }

    @Test
    void treatsBlankCredentialsAsNone() {
      SmtpConfig smtp = new SmtpConfig("relay.test", 587, " ", "", true);

      assertThat(smtp.username()).isNull();
      assertThat(smtp.password()).isNull();
    }

    @Test
    void neverShowsThePassword() {
      assertThat(new SmtpConfig("relay.test", 587, "portal", "relay-secret", true).toString())
          .doesNotContain("relay-secret");
    }
  }
}
