package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * A client registration: the body of POST /api/v1/admin/clients and each entry of {@code
 * PORTAL_CLIENTS_FILE} (where {@code clientId} is required).
 */
@Serdeable
@Schema(name = "ClientRegistration")
public record ClientRegistration(
    @Nullable
        @Pattern(
            regexp = "[A-Za-z0-9._-]{3,64}",
            message = "must be 3 to 64 letters, digits, dots, dashes or underscores")
        String clientId,
    @NotBlank(message = "is required")
        @Size(max = 200, message = "must be at most {max} characters")
        String name,
    @NotNull(message = "is required") ClientType type,
    @Nullable @Size(max = 20, message = "must have at most {max} entries")
        List<String> redirectUris,
    @Nullable @Size(max = 20, message = "must have at most {max} entries")
        List<String> postLogoutRedirectUris,
    @Nullable String backchannelLogoutUri,
    @Nullable @Size(max = 50, message = "must have at most {max} entries") List<String> scopes,
    @Nullable
        @Schema(
            description =
                "A JSON Web Key Set of public signing keys; required for every type but PUBLIC")
        Map<String, Object> jwks,
    @Nullable @Schema(description = "BACK_OFFICE only, required: e.g. COUNCIL_TAX")
        String sourceSystem,
    @Nullable
        @Schema(
            description =
                "PARTNER only, required: the ODS code of a registered organisation"
                    + " (POST /api/v1/admin/organisations), e.g. RX1")
        String organisationOds,
    // PARTNER only, optional: the client's own partner API rate limit; left out, the configured
    // default applies. Optional though not @Nullable: a $ref alone, as OpenAPI 3.0 allows no
    // "nullable" beside it.
    RateLimit rateLimit) {

  /**
   * A partner client's own rate limit: {@code perSecond} requests a second sustained, bursts of up
   * to {@code burst}. Both or neither: an empty object (PATCH) returns the client to the default.
   * Checked in {@link ClientService} so that the fields are named {@code rateLimit.perSecond} and
   * {@code rateLimit.burst} in the admin API and the clients file alike.
   */
  @Serdeable
  @Schema(
      name = "ClientRateLimit",
      description =
          "PARTNER clients only: the client's own partner API rate limit (both values, or {} in a"
              + " PATCH to return to the configured default)")
  public record RateLimit(
      @Nullable
          @Schema(minimum = "1", maximum = "10000", description = "Sustained requests a second")
          Integer perSecond,
      @Nullable
          @Schema(
              minimum = "1",
              maximum = "10000",
              description = "Most requests at once after a quiet spell; at least perSecond")
          Integer burst) {}

  ClientRegistration withClientId(String id) {
    return new ClientRegistration(
        id,
        name,
        type,
        redirectUris,
        postLogoutRedirectUris,
        backchannelLogoutUri,
        scopes,
        jwks,
        sourceSystem,
        organisationOds,
        rateLimit);
  }
}
