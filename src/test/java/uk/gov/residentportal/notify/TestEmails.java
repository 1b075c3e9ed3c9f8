package uk.gov.residentportal.notify;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/** Test data: {@code anEmail().to("x@y").build()}, {@code aConfig().withSender("smtp").build()}. */
final class TestEmails {

  static final Instant NOW = Instant.parse("2026-11-22T13:25:01.123Z");
  static final Clock FIXED_CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** Syntactically a Notify key (name, service id, secret); it opens nothing. */
  static final String SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506";

  static final String FAKE_NOTIFY_API_KEY =
      "portal_test-" + SERVICE_ID + "-3d844edf-8d35-48ac-975b-e847b4f122b0";

  static final String TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a";

  private TestEmails() {}

  static EmailBuilder anEmail() {
    return new EmailBuilder();
  }

  static ConfigBuilder aConfig() {
    return new ConfigBuilder();
  }

  static String randomId() {
    return UUID.randomUUID().toString();
  }

  static final class EmailBuilder {
    private String to = "jo.bloggs@example.org";
    private String subject = "Confirm your email address";
    private String textBody = "Hello Jo,\n\nUse this link to confirm your address.\n";

    EmailBuilder to(String value) {
      this.to = value;
      return this;
    }

    EmailBuilder withSubject(String value) {
      this.subject = value;
      return this;
    }

    EmailBuilder withTextBody(String value) {
      this.textBody = value;
      return this;
    }

    EmailMessage build() {
      return new EmailMessage(to, subject, textBody);
    }
  }

  static final class ConfigBuilder {
    private String sender = "outbox";
    private String from = "Anytown Council <no-reply@portal.test>";
    private String outbox = "./data/outbox";
    private String publicUrl;
    private String notifyApiKey;
    private String notifyTemplateId;
    private String notifyBaseUrl = "https://api.notifications.service.gov.uk";

    ConfigBuilder withSender(String value) {
      this.sender = value;
      return this;
    }

    ConfigBuilder withFrom(String value) {
      this.from = value;
      return this;
    }

    ConfigBuilder withOutbox(Path value) {
      this.outbox = value.toString();
      return this;
    }

    ConfigBuilder withNotify(String apiKey, String templateId, String baseUrl) {
      this.notifyApiKey = apiKey;
      this.notifyTemplateId = templateId;
      this.notifyBaseUrl = baseUrl;
      return this;
    }

    ConfigBuilder withPublicUrl(String value) {
      this.publicUrl = value;
      return this;
    }

    EmailConfig build() {
      return new EmailConfig(
          sender, from, outbox, publicUrl, notifyApiKey, notifyTemplateId, notifyBaseUrl);
    }
  }
}
