package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import uk.gov.residentportal.web.Problem;

/** Request and response bodies of the back-office ingestion API (/api/v1/systems/records). */
final class IngestionBodies {
  private IngestionBodies() {}

  /** What an upsert did to the record. */
  @Serdeable
  @Schema(name = "RecordUpsertResult")
  record UpsertResult(
      @Schema(description = "The record's id in the portal") String id,
      @Schema(allowableValues = {"CREATED", "UPDATED", "UNCHANGED"}) String status) {}

  // For the API description only: the body is read as a JSON tree, so that an item of the wrong
  // shape fails alone rather than the whole request.
  @Serdeable
  @Schema(
      name = "RecordBatch",
      description = "Up to 1,000 upserts; each item succeeds or fails on its own")
  record BatchRequest(
      @Schema(description = "1 to " + RecordBatch.MAX_ITEMS + " upserts, applied in this order")
          List<BatchItem> records) {}

  /** One upsert of a batch: the record's key and the fields of {@link RecordUpsert}. */
  @Serdeable
  @Schema(name = "RecordBatchItem", allOf = RecordUpsert.class)
  record BatchItem(
      @Schema(description = "Must be the calling client's own source system") String sourceSystem,
      @Schema(description = "The record's reference in the source system") String externalRef) {}

  /** The answer to a batch: one result per item, in the items' order. */
  @Serdeable
  @Schema(name = "RecordBatchResults")
  record BatchResults(
      @Schema(description = "results[i] is the result of records[i]") List<ItemResult> results) {}

  /** The result of one item: what was done, or why it was refused. */
  @Serdeable
  @Schema(name = "RecordBatchResult")
  record ItemResult(
      @Schema(description = "The item's externalRef, when it had one") @Nullable String externalRef,
      @Schema(description = "The record's id, when the item was stored") @Nullable String id,
      @Schema(allowableValues = {"CREATED", "UPDATED", "UNCHANGED", "FAILED"}) String status,
      // A $ref alone: OpenAPI 3.0 allows no "nullable" beside it (absent when not FAILED).
      @Schema(ref = "#/components/schemas/Problem") Problem problem) {}

  /** A stored document's metadata. */
  @Serdeable
  @Schema(name = "StoredRecordDocument")
  record DocumentView(
      String id,
      String name,
      @Schema(description = "Detected from the bytes, not taken from the request")
          String contentType,
      @Schema(description = "Size in bytes") long size,
      @Schema(description = "SHA-256 of the bytes, lower-case hex") String sha256) {}
}
