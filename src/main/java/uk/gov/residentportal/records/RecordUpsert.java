package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of an upsert from a back-office system. Enumerations and the timestamp arrive as text
 * and are checked by {@link RecordIngestion}, so that one bad field is reported by name (and, in a
 * batch, spoils only its own item).
 */
@Serdeable
@Schema(name = "RecordUpsert")
public record RecordUpsert(
    @Schema(
            description = "What the record is about",
            allowableValues = {"COUNCIL_TAX_ACCOUNT", "PROPERTY", "PERSON", "NHS_NUMBER"})
        @Nullable
        String subjectType,
    @Schema(
            description =
                "The subject's reference: council tax account reference, UPRN, council person"
                    + " id or NHS number")
        @Nullable
        String subjectRef,
    @Schema(
            description =
                "The subject's postcode, which linking by reference and postcode matches; only"
                    + " from an authority for the subject type (others: 403)")
        @Nullable
        String subjectPostcode,
    @Schema(description = "One of the configured categories, e.g. COUNCIL_TAX") @Nullable
        String category,
    @Schema(maxLength = 200) @Nullable String title,
    @Schema(maxLength = 60) @Nullable String status,
    @Schema(maxLength = 4000) @Nullable String summary,
    @Schema(description = "Whether the resident may see it") @Nullable Boolean residentVisible,
    @Schema(description = "Whether NHS partners may read it under consent; default false") @Nullable
        Boolean partnerShareable,
    @Schema(
            description = "Minimum assurance to see it; default P1",
            allowableValues = {"P0", "P1", "P2"})
        @Nullable
        String minAssurance,
    @Schema(
            description =
                "The source system's time of this change (ISO 8601 with offset); an older one"
                    + " than stored is refused",
            format = "date-time")
        @Nullable
        String updatedAt) {}
