package uk.gov.residentportal.notify;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * {@code portal.email.smtp.*}: the relay {@link SmtpEmailSender} hands messages to. Read (and
 * validated) only when {@code portal.email.sender=smtp}.
 *
 * @param host the relay's host name (PORTAL_SMTP_HOST)
 * @param port 587 (submission, STARTTLS) unless the relay says otherwise (PORTAL_SMTP_PORT)
 * @param username null for a relay that does not authenticate (PORTAL_SMTP_USERNAME)
 * @param password required with a username (PORTAL_SMTP_PASSWORD)
 * @param starttls upgrade to TLS and refuse to send if the relay cannot (PORTAL_SMTP_STARTTLS)
 */
@ConfigurationProperties(SmtpConfig.PREFIX)
record SmtpConfig(
    @NotBlank(message = "must be set when portal.email.sender=smtp (PORTAL_SMTP_HOST)") String host,
    @Bindable(defaultValue = "587")
        @Min(value = 1, message = "must be between {value} and 65535 (PORTAL_SMTP_PORT)")
        @Max(value = 65535, message = "must be between 1 and {value} (PORTAL_SMTP_PORT)")
        int port,
    @Nullable String username,
    @Nullable String password,
    @Bindable(defaultValue = "true") boolean starttls) {

  static final String PREFIX = EmailConfig.PREFIX + ".smtp";

  SmtpConfig {
    // application.yml maps unset environment variables to "", which means "not set".
    username = username == null || username.isBlank() ? null : username;
    password = password == null || password.isEmpty() ? null : password;
  }

  /** Never shows the password: configuration gets logged. */
  @Override
  public String toString() {
    return "SmtpConfig[host="
        + host
        + ", port="
        + port
        + ", username="
        + username
        + ", password="
        + (password == null ? "not set" : "***")
        + ", starttls="
        + starttls
        + "]";
  }
}
