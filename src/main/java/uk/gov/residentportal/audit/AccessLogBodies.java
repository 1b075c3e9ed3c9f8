package uk.gov.residentportal.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** What a resident reads about partners' access to their data (GET /api/v1/me/access-log). */
final class AccessLogBodies {
  private AccessLogBodies() {}

  /** One partner read of the resident's data. */
  @Serdeable
  @Schema(name = "AccessLogEntry")
  record Entry(
      @Schema(description = "The audit event's id", requiredMode = Schema.RequiredMode.REQUIRED)
          String id,
      @Schema(
              description = "The NHS organisation's ODS code, e.g. RX1",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String organisationOds,
      @Schema(description = "The organisation's registered name, when it is known") @Nullable
          String organisationName,
      @Schema(description = "Why it read the data, e.g. DIRECT_CARE") @Nullable String purpose,
      @Schema(
              description =
                  "What it did: PARTNER_LOOKUP (found the resident by NHS number),"
                      + " PARTNER_RECORDS_READ or PARTNER_DOCUMENT_READ",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String action,
      @Schema(
              description = "The ids of the records or documents read (empty for a lookup)",
              requiredMode = Schema.RequiredMode.REQUIRED)
          List<String> recordIds,
      @Schema(description = "When, UTC", requiredMode = Schema.RequiredMode.REQUIRED)
          Instant occurredAt) {}

  /** A page of the log, newest first; {@code nextCursor} is absent on the last page. */
  @Serdeable
  @Schema(name = "AccessLogPage")
  record Page(
      List<Entry> accesses,
      @Schema(description = "Pass as cursor to get the next page; absent on the last page")
          @Nullable
          String nextCursor) {}
}
