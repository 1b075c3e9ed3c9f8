package uk.gov.residentportal.consent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Request and response bodies of the resident's consents (/api/v1/me/consents). */
final class ConsentBodies {
  private ConsentBodies() {}

  /**
   * A grant: which organisation, which record categories, for what purpose. Whether the
   * organisation is registered and the categories known is checked by {@link ConsentService}, so
   * that the bad field is named.
   */
  @Serdeable
  @Schema(
      name = "ConsentRequest",
      description =
          "Share record categories with one NHS partner organisation, or with all of them, for"
              + " direct care")
  record GrantRequest(
      @Schema(
              description =
                  "ALL_NHS for every NHS partner of the partnership, or the ODS code of one"
                      + " registered, active partner organisation (e.g. RX1)",
              example = "ALL_NHS",
              requiredMode = Schema.RequiredMode.REQUIRED)
          @NotNull(message = "is required")
          @Size(max = 20, message = "must be ALL_NHS or an ODS code of 3 to 10 letters or digits")
          String organisation,
      @ArraySchema(
              schema =
                  @Schema(
                      description = "A record category, e.g. COUNCIL_TAX (case does not matter)"),
              arraySchema =
                  @Schema(
                      description =
                          "The record categories to share, each a known category, none twice",
                      requiredMode = Schema.RequiredMode.REQUIRED),
              minItems = 1,
              maxItems = ConsentService.MAX_CATEGORIES,
              uniqueItems = true)
          @NotNull(message = "is required")
          @Size(
              min = 1,
              max = ConsentService.MAX_CATEGORIES,
              message = "must name {min} to {max} categories")
          List<String> categories,
      @Schema(
              description = "Why partners may read what is shared; only DIRECT_CARE for now",
              allowableValues = "DIRECT_CARE",
              requiredMode = Schema.RequiredMode.REQUIRED)
          @NotNull(message = "is required")
          @Size(max = 40, message = "must be DIRECT_CARE")
          String purpose) {}

  /** Whether a consent is in force. */
  @Schema(name = "ConsentStatus", description = "ACTIVE while in force, WITHDRAWN after")
  enum Status {
    ACTIVE,
    WITHDRAWN
  }

  /** A consent as the resident sees it. */
  @Serdeable
  @Schema(name = "Consent", description = "A consent to share, in force or withdrawn")
  record View(
      @Schema(
              description = "The consent's id, for withdrawing it",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String id,
      @Schema(
              description = "ALL_NHS, or the ODS code of one partner organisation",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String organisation,
      @Schema(
              description =
                  "The organisation's registered name; absent for ALL_NHS and for a code no"
                      + " longer registered")
          @Nullable
          String organisationName,
      @Schema(
              description = "The record categories shared, in alphabetical order",
              requiredMode = Schema.RequiredMode.REQUIRED)
          List<String> categories,
      @Schema(allowableValues = "DIRECT_CARE", requiredMode = Schema.RequiredMode.REQUIRED)
          String purpose,
      Instant grantedAt,
      @Schema(description = "When the resident withdrew it; absent while it is in force") @Nullable
          Instant withdrawnAt,
      Status status) {}

  /** The list's body. */
  @Serdeable
  @Schema(name = "Consents", description = "The resident's consents")
  record Consents(
      @Schema(
              description =
                  "The resident's consents, withdrawn ones included, newest grant first; at most"
                      + " the newest "
                      + ConsentService.MAX_LISTED
                      + " (the subject access export holds them all)",
              requiredMode = Schema.RequiredMode.REQUIRED)
          List<View> consents) {}
}
