package uk.gov.residentportal.notify;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * {@code portal.email.*}: how email leaves the service.
 *
 * <p>Built while the service starts ({@link Context}) so that an unknown {@code sender} stops it
 * with a message naming the setting instead of leaving the service without any {@link EmailSender}.
 * The settings a sender needs beyond these are checked by that sender, which is also built at
 * start-up.
 *
 * @param sender {@code outbox}, {@code smtp} or {@code notify} (PORTAL_EMAIL_SENDER)
 * @param from the From address, optionally with a display name (PORTAL_EMAIL_FROM); GOV.UK Notify
 *     ignores it and uses the service's own settings
 * @param outbox the folder the outbox sender writes .eml files to (PORTAL_EMAIL_OUTBOX)
 * @param publicUrl the address residents use to reach the service, for links in emails
 *     (PORTAL_PUBLIC_URL); null when not set
 * @param notifyApiKey GOV.UK Notify API key (PORTAL_NOTIFY_API_KEY); null when not set
 * @param notifyTemplateId the Notify email template whose subject is {@code ((subject))} and body
 *     {@code ((body))} (PORTAL_NOTIFY_TEMPLATE_ID); null when not set
 * @param notifyBaseUrl the Notify API (PORTAL_NOTIFY_BASE_URL); only tests change it
 */
@Context
@ConfigurationProperties(EmailConfig.PREFIX)
public record EmailConfig(
    @NotNull
        @Bindable(defaultValue = OUTBOX)
        @Pattern(
            regexp = OUTBOX + "|" + SMTP + "|" + NOTIFY,
            message = "must be one of outbox, smtp, notify (PORTAL_EMAIL_SENDER)")
        String sender,
    @NotBlank @Bindable(defaultValue = "no-reply@portal.localhost") String from,
    @NotBlank @Bindable(defaultValue = "./data/outbox") String outbox,
    @Nullable
        @Pattern(
            regexp = "|https?://\\S+",
            message = "must be an absolute http(s) URL (PORTAL_PUBLIC_URL)")
        String publicUrl,
    @Nullable String notifyApiKey,
    @Nullable String notifyTemplateId,
    @NotBlank @Bindable(defaultValue = NotifyEmailSender.LIVE_BASE_URL) String notifyBaseUrl) {

  static final String PREFIX = "portal.email";

  /** The property that chooses the {@link EmailSender}. */
  static final String SENDER = PREFIX + ".sender";

  static final String OUTBOX = "outbox";
  static final String SMTP = "smtp";
  static final String NOTIFY = "notify";

  public EmailConfig {
    // application.yml maps unset environment variables to "", which means "not set".
    publicUrl = blankToNull(publicUrl);
    notifyApiKey = blankToNull(notifyApiKey);
    notifyTemplateId = blankToNull(notifyTemplateId);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** Never shows the Notify API key: configuration gets logged. */
  @Override
  public String toString() {
    return "EmailConfig[sender="
        + sender
        + ", from="
        + from
        + ", outbox="
        + outbox
        + ", publicUrl="
        + publicUrl
        + ", notifyApiKey="
        + (notifyApiKey == null ? "not set" : "***")
        + ", notifyTemplateId="
        + notifyTemplateId
        + ", notifyBaseUrl="
        + notifyBaseUrl
        + "]";
  }
}
