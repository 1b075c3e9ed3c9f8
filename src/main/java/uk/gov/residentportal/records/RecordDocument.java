package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code record_documents}: a file's metadata; the bytes are in the DocumentStore. */
@MappedEntity("record_documents")
record RecordDocument(
    @Id String id,
    String recordId,
    String name,
    String contentType,
    long sizeBytes,
    String sha256,
    String storageKey,
    Instant createdAt,
    Instant updatedAt) {

  @Override
  public String toString() {
    return "RecordDocument[id=" + id + ", record=" + recordId + ", size=" + sizeBytes + "]";
  }
}
