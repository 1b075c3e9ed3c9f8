package uk.gov.residentportal.partner;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** What NHS partners read through the JSON partner API. */
final class PartnerBodies {
  private PartnerBodies() {}

  /** The minimal summary of a resident a partner found. */
  @Serdeable
  @Schema(name = "PartnerResident")
  record ResidentSummary(
      @Schema(
              description =
                  "This organisation's id for the resident: opaque, meaningless to any other"
                      + " organisation",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String id,
      @Nullable String givenName,
      @Nullable String familyName,
      @Schema(description = "The outward code of the resident's postcode, e.g. LE1") @Nullable
          String postcodeDistrict,
      @Schema(
              description = "The record categories this organisation may read",
              requiredMode = Schema.RequiredMode.REQUIRED)
          List<String> categories) {
    @Override
    public String toString() {
      // Names are personal data.
      return "PartnerResident[id=" + id + "]";
    }
  }
}
