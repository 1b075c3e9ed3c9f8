package uk.gov.residentportal.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.gov.residentportal.notify.TestEmails.FAKE_NOTIFY_API_KEY;
import static uk.gov.residentportal.notify.TestEmails.TEMPLATE_ID;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real application context (application.yml included, no database, no HTTP server) to
 * check which {@link EmailSender} each {@code portal.email.sender} gives and that bad settings stop
 * start-up.
 */
class EmailSenderSelectionTest {

  @TempDir Path temp;

  private Map<String, Object> settings(Object... keysAndValues) {
    Map<String, Object> settings = new HashMap<>();
    // This feature needs no database: keep the context from opening or migrating one.
    settings.put("datasources.default.enabled", false);
    settings.put("flyway.enabled", false);
    settings.put("portal.email.outbox", temp.resolve("outbox").toString());
    for (int i = 0; i < keysAndValues.length; i += 2) {
      settings.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return settings;
  }

  private static ApplicationContext start(Map<String, Object> settings) {
    return ApplicationContext.builder().deduceEnvironment(false).properties(settings).start();
  }

  @Test
  void usesTheOutboxByDefault() {
    try (ApplicationContext context = start(settings())) {
      assertThat(context.getBeansOfType(EmailSender.class))
          .singleElement()
          .isInstanceOf(OutboxEmailSender.class);
      assertThat(temp.resolve("outbox")).isDirectory();
    }
  }

  @Test
  void usesTheSmtpRelayWhenAskedTo() {
    try (ApplicationContext context =
        start(settings("portal.email.sender", "smtp", "portal.email.smtp.host", "relay.test"))) {
      assertThat(context.getBeansOfType(EmailSender.class))
          .singleElement()
          .isInstanceOf(SmtpEmailSender.class);
    }
  }

  @Test
  void usesNotifyWhenAskedTo() {
    try (ApplicationContext context =
        start(
            settings(
                "portal.email.sender", "notify",
                "portal.email.notify-api-key", FAKE_NOTIFY_API_KEY,
                "portal.email.notify-template-id", TEMPLATE_ID))) {
      assertThat(context.getBeansOfType(EmailSender.class))
          .singleElement()
          .isInstanceOf(NotifyEmailSender.class);
      assertThat(context.getBean(EmailConfig.class).notifyBaseUrl())
          .isEqualTo("https://api.notifications.service.gov.uk");
    }
  }

  @Test
  void stopsStartUpForNotifyWithoutAnApiKey() {
    assertThatThrownBy(() -> start(settings("portal.email.sender", "notify")).close())
        .hasStackTraceContaining(
            "portal.email.notify-api-key (PORTAL_NOTIFY_API_KEY) must be set when"
                + " portal.email.sender=notify");
  }

  @Test
  void stopsStartUpForSmtpWithoutAHost() {
    assertThatThrownBy(() -> start(settings("portal.email.sender", "smtp")).close())
        .hasStackTraceContaining("PORTAL_SMTP_HOST");
  }

  @Test
  void stopsStartUpForAnUnknownSender() {
    assertThatThrownBy(() -> start(settings("portal.email.sender", "pigeon")).close())
        .hasStackTraceContaining("must be one of outbox, smtp, notify (PORTAL_EMAIL_SENDER)");
  }

  @Test
  void readsAnUnsetPublicUrlAsNull() {
    try (ApplicationContext context = start(settings())) {
      assertThat(context.getBean(EmailConfig.class).publicUrl()).isNull();
    }
  }
}
