package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** What a resident reads about their own records (GET /api/v1/me/records...). */
final class ResidentRecordBodies {
  private ResidentRecordBodies() {}

  /** A record in the resident's list. */
  @Serdeable
  @Schema(name = "ResidentRecordSummary")
  record Summary(
      @Schema(description = "The record's id", requiredMode = Schema.RequiredMode.REQUIRED)
          String id,
      @Schema(
              description = "The record's category, e.g. COUNCIL_TAX",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String category,
      String title,
      @Nullable String status,
      @Schema(
              description = "When the council's system last changed it",
              requiredMode = Schema.RequiredMode.REQUIRED)
          Instant updatedAt,
      @Schema(
              description = "The council system it comes from, e.g. COUNCIL_TAX",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String sourceSystem) {

    @Override
    public String toString() {
      // The title may hold personal data.
      return "ResidentRecordSummary[id=" + id + ", category=" + category + "]";
    }
  }

  /** A page of the list, newest first; {@code nextCursor} is absent on the last page. */
  @Serdeable
  @Schema(name = "ResidentRecordPage")
  record Page(
      List<Summary> records,
      @Schema(description = "Pass as cursor to get the next page; absent on the last page")
          @Nullable
          String nextCursor) {}

  /** A document of a record: download it from .../documents/{id}. */
  @Serdeable
  @Schema(name = "ResidentRecordDocument")
  record Document(
      String id,
      @Schema(description = "The file name", requiredMode = Schema.RequiredMode.REQUIRED)
          String name,
      @Schema(
              description = "The stored media type, e.g. application/pdf",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String contentType,
      @Schema(description = "Size in bytes", requiredMode = Schema.RequiredMode.REQUIRED)
          long size) {

    @Override
    public String toString() {
      // File names may hold personal data.
      return "ResidentRecordDocument[id=" + id + ", size=" + size + "]";
    }
  }

  /** One record with its documents. */
  @Serdeable
  @Schema(name = "ResidentRecord")
  record Detail(
      String id,
      String category,
      String title,
      @Nullable String status,
      @Nullable String summary,
      Instant updatedAt,
      String sourceSystem,
      List<Document> documents) {

    @Override
    public String toString() {
      // The title and summary may hold personal data.
      return "ResidentRecord[id=" + id + ", category=" + category + "]";
    }
  }
}
