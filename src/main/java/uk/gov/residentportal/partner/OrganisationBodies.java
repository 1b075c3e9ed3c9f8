package uk.gov.residentportal.partner;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Request and response bodies of partner organisation administration. */
final class OrganisationBodies {
  private OrganisationBodies() {}

  /**
   * An organisation to register: the body of POST /api/v1/admin/organisations and each entry of
   * {@code PORTAL_ORGANISATIONS_FILE}.
   */
  @Serdeable
  @Schema(name = "OrganisationRegistration")
  record Registration(
      @NotNull(message = "is required")
          @Pattern(
              regexp = "[A-Z0-9]{3,10}",
              message = "must be an ODS code: 3 to 10 upper-case letters or digits")
          @Schema(
              description =
                  "The NHS ODS code, upper-case as ODS publishes it (never normalised): a trust"
                      + " RX1, a site RX1RA, a GP practice A12345, an ICB QK1",
              example = "RX1")
          String odsCode,
      @NotBlank(message = "is required")
          @Size(max = 200, message = "must be at most {max} characters")
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
          String name,
      @NotNull(message = "is required") OrganisationType type,
      @Nullable
          @Schema(
              description =
                  "Left out: a new organisation is active; in the organisations file an"
                      + " existing one keeps its state (a deactivation is not undone by a restart)")
          Boolean active) {}

  /**
   * PATCH of an organisation: the fields given replace the registered ones; the code never does.
   */
  @Serdeable
  @Schema(name = "OrganisationChanges")
  record Changes(
      @Nullable
          @Size(min = 1, max = 200, message = "must be 1 to {max} characters")
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
          String name,
      // Optional though not @Nullable: a $ref alone (OpenAPI 3.0 allows no "nullable" beside it).
      OrganisationType type,
      @Nullable
          @Schema(
              description =
                  "false stops the organisation's partner clients at once (tokens already issued"
                      + " included); true lets them in again")
          Boolean active) {}

  /** A registered organisation. */
  @Serdeable
  @Schema(name = "Organisation")
  record View(
      String odsCode,
      String name,
      OrganisationType type,
      boolean active,
      Instant createdAt,
      Instant updatedAt) {

    static View of(Organisation o) {
      return new View(o.odsCode(), o.name(), o.type(), o.active(), o.createdAt(), o.updatedAt());
    }
  }

  /** A page of organisations in ODS code order; {@code nextCursor} is absent on the last page. */
  @Serdeable
  @Schema(name = "OrganisationPage")
  record Page(List<View> items, @Nullable String nextCursor) {}
}
