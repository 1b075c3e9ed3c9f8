package uk.gov.residentportal.shared;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** Service-wide settings (environment variables in the README's table). */
@ConfigurationProperties("portal")
public record PortalConfig(
    @Nullable
        @Pattern(
            regexp = "^$|^https?://[^\\s/?#]+(/[^\\s?#]*)?$",
            message = "PORTAL_ISSUER must be an http(s) URL without query or fragment")
        String issuer,
    @NotBlank(message = "PORTAL_DATA_DIR must not be blank") String dataDir,
    @Nullable String bootstrapAdminEmail,
    @Nullable String clientsFile,
    @Pattern(regexp = "auto|true|false", message = "PORTAL_DEMO_CLIENT must be auto, true or false")
        String demoClient) {

  /** True when a blank-or-missing optional setting was given. */
  public static boolean isSet(@Nullable String value) {
    return value != null && !value.isBlank();
  }
}
