package uk.gov.residentportal.notify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.gov.residentportal.notify.TestEmails.FAKE_NOTIFY_API_KEY;
import static uk.gov.residentportal.notify.TestEmails.SERVICE_ID;
import static uk.gov.residentportal.notify.TestEmails.TEMPLATE_ID;
import static uk.gov.residentportal.notify.TestEmails.aConfig;
import static uk.gov.residentportal.notify.TestEmails.anEmail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.exceptions.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Base64;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class NotifyEmailSenderTest {

  /** Stands in for the Notify API on a free loopback port; remembers the last request. */
  private HttpServer stub;

  private volatile int answerStatus;
  private volatile String answerBody;
  private volatile String requestMethod;
  private volatile String requestPath;
  private volatile String requestAuthorization;
  private volatile String requestBody;

  @BeforeEach
  void startStub() throws IOException {
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext("/", this::answer);
    stub.start();
    answerWith(201, created());
  }

  @AfterEach
  void stopStub() {
    stub.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      requestMethod = exchange.getRequestMethod();
      requestPath = exchange.getRequestURI().getPath();
      requestAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
      requestBody = new String(in.readAllBytes(), UTF_8);
      byte[] body = answerBody.getBytes(UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answerStatus, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private void answerWith(int status, String body) {
    this.answerStatus = status;
    this.answerBody = body;
  }

  private String stubUrl() {
    return "http://127.0.0.1:" + stub.getAddress().getPort();
  }

  private NotifyEmailSender sender() {
    return new NotifyEmailSender(
        aConfig()
            .withSender("notify")
            .withNotify(FAKE_NOTIFY_API_KEY, TEMPLATE_ID, stubUrl())
            .build());
  }

  // The parts of Notify's 201 answer that the client reads.
  private static String created() {
    return new JSONObject()
        .put("id", "740e5834-3a29-46b4-9a6f-16142fde533a")
        .put(
            "content",
            new JSONObject()
                .put("subject", "Confirm your email address")
                .put("body", "Hello Jo")
                .put("from_email", "anytown.council@notifications.service.gov.uk"))
        .put(
            "template",
            new JSONObject()
                .put("id", TEMPLATE_ID)
                .put("version", 1)
                .put("uri", "https://api.notifications.service.gov.uk/v2/template/" + TEMPLATE_ID))
        .toString();
  }

  @Nested
  class Send {
    @Test
    void postsTheGenericTemplateWithSubjectAndBody() {
      sender()
          .send(
              anEmail()
                  .to("jo.bloggs@example.org")
                  .withSubject("Confirm your email – Dŵr")
                  .withTextBody("Helô Siân,\n£12.50 ✓")
                  .build());

      assertThat(requestMethod).isEqualTo("POST");
      assertThat(requestPath).isEqualTo("/v2/notifications/email");
      JSONObject json = new JSONObject(requestBody);
      assertThat(json.getString("email_address")).isEqualTo("jo.bloggs@example.org");
      assertThat(json.getString("template_id")).isEqualTo(TEMPLATE_ID);
      JSONObject personalisation = json.getJSONObject("personalisation");
      assertThat(personalisation.keySet()).containsExactlyInAnyOrder("subject", "body");
      assertThat(personalisation.getString("subject")).isEqualTo("Confirm your email – Dŵr");
      assertThat(personalisation.getString("body")).isEqualTo("Helô Siân,\n£12.50 ✓");
    }

    @Test
    void signsTheRequestWithABearerTokenIssuedByTheService() {
      sender().send(anEmail().build());

      assertThat(requestAuthorization).startsWith("Bearer ");
      String[] jwt = requestAuthorization.substring("Bearer ".length()).split("\\.");
      assertThat(jwt).hasSize(3);
      JSONObject claims = new JSONObject(new String(Base64.getUrlDecoder().decode(jwt[1]), UTF_8));
      assertThat(claims.getString("iss")).isEqualTo(SERVICE_ID);
    }

    @Test
    void logsTheNotificationIdAndTheMaskedRecipientOnly() {
      NotifyEmailSender sender = sender();

      try (LogCapture log = LogCapture.of(NotifyEmailSender.class)) {
        sender.send(anEmail().to("jo.bloggs@example.org").build());

        assertThat(log.lines())
            .singleElement()
            .asString()
            .contains("740e5834-3a29-46b4-9a6f-16142fde533a", "j***@example.org")
            .doesNotContain("jo.bloggs");
      }
    }

    @Test
    void turnsAnHttpErrorIntoADeliveryException() {
      answerWith(
          400,
          "{\"status_code\":400,\"errors\":[{\"error\":\"BadRequestError\","
              + "\"message\":\"Can't send to this recipient using a team-only API key\"}]}");
      NotifyEmailSender sender = sender();

      assertThatThrownBy(() -> sender.send(anEmail().to("jo.bloggs@example.org").build()))
          .isInstanceOf(EmailDeliveryException.class)
          .hasMessage("GOV.UK Notify did not take the email (HTTP status 400)")
          .hasStackTraceContaining("team-only API key")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("jo.bloggs"));
    }

    @Test
    void masksAddressesThatAnErrorAnswerQuotes() {
      answerWith(
          400,
          "{\"errors\":[{\"error\":\"ValidationError\","
              + "\"message\":\"email_address jo.bloggs@example.org is not allowed\"}]}");
      NotifyEmailSender sender = sender();

      assertThatThrownBy(() -> sender.send(anEmail().to("jo.bloggs@example.org").build()))
          .isInstanceOf(EmailDeliveryException.class)
          .hasStackTraceContaining("j***@example.org")
          .satisfies(
              e -> assertThat(e.getCause().getMessage()).doesNotContain("jo.bloggs@example.org"));
    }

    @Test
    void turnsAnUnreadableAnswerIntoADeliveryException() {
      answerWith(201, "<html>gateway</html>");
      NotifyEmailSender sender = sender();

      assertThatThrownBy(() -> sender.send(anEmail().build()))
          .isInstanceOf(EmailDeliveryException.class)
          .hasMessage("GOV.UK Notify's answer could not be read");
    }

    @Test
    void turnsAnUnreachableApiIntoADeliveryException() throws IOException {
      int closedPort;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = socket.getLocalPort();
      }
      NotifyEmailSender sender =
          new NotifyEmailSender(
              aConfig()
                  .withSender("notify")
                  .withNotify(FAKE_NOTIFY_API_KEY, TEMPLATE_ID, "http://127.0.0.1:" + closedPort)
                  .build());

      assertThatThrownBy(() -> sender.send(anEmail().build()))
          .isInstanceOf(EmailDeliveryException.class)
          .hasMessage("GOV.UK Notify could not be reached");
    }
  }

  @Nested
  class StartUp {
    @Test
    void stopsWithoutAnApiKey() {
      EmailConfig config =
          aConfig().withSender("notify").withNotify(null, TEMPLATE_ID, stubUrl()).build();

      assertThatThrownBy(() -> new NotifyEmailSender(config))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("(PORTAL_NOTIFY_API_KEY) must be set");
    }

    @Test
    void stopsWithAMalformedApiKeyWithoutRepeatingIt() {
      EmailConfig config =
          aConfig()
              .withSender("notify")
              .withNotify("portal_test-not-a-real-key-0123456789", TEMPLATE_ID, stubUrl())
              .build();

      assertThatThrownBy(() -> new NotifyEmailSender(config))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("is not a GOV.UK Notify API key")
          .hasMessageNotContaining("not-a-real-key");
    }

    @Test
    void stopsWithoutATemplateId() {
      EmailConfig config =
          aConfig().withSender("notify").withNotify(FAKE_NOTIFY_API_KEY, " ", stubUrl()).build();

      assertThatThrownBy(() -> new NotifyEmailSender(config))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("(PORTAL_NOTIFY_TEMPLATE_ID) must be set");
    }

    @Test
    void stopsWithATemplateIdThatIsNotAUuid() {
      EmailConfig config =
          aConfig()
              .withSender("notify")
              .withNotify(FAKE_NOTIFY_API_KEY, "welcome-email", stubUrl())
              .build();

      assertThatThrownBy(() -> new NotifyEmailSender(config))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("must be a template UUID");
    }

    @Test
    void stopsWithABaseUrlThatIsNotHttp() {
      EmailConfig config =
          aConfig()
              .withSender("notify")
              .withNotify(FAKE_NOTIFY_API_KEY, TEMPLATE_ID, "api.notifications.service.gov.uk")
              .build();

      assertThatThrownBy(() -> new NotifyEmailSender(config))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("PORTAL_NOTIFY_BASE_URL");
    }

    @Test
    void acceptsABaseUrlWithATrailingSlash() {
      NotifyEmailSender sender =
          new NotifyEmailSender(
              aConfig()
                  .withSender("notify")
                  .withNotify(FAKE_NOTIFY_API_KEY, TEMPLATE_ID, stubUrl() + "/")
                  .build());

      sender.send(anEmail().build());

      assertThat(requestPath).isEqualTo("/v2/notifications/email");
    }

    @Test
    void neverShowsTheApiKeyInTheConfiguration() {
      EmailConfig config =
          aConfig().withNotify(FAKE_NOTIFY_API_KEY, TEMPLATE_ID, stubUrl()).build();

      assertThat(config.toString()).doesNotContain(FAKE_NOTIFY_API_KEY, "3d844edf");
    }
  }
}
