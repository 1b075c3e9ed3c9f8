package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code link_codes}: a one-time linking code (only its keyed hash) for a subject. */
@MappedEntity("link_codes")
record LinkCode(
    @Id String id,
    String subjectId,
    String codeHash,
    String issuedBy,
    Instant createdAt,
    Instant expiresAt,
    @Nullable Instant usedAt,
    @Nullable String usedBy) {

  @Override
  public String toString() {
    return "LinkCode[id=" + id + ", subject=" + subjectId + "]";
  }
}
