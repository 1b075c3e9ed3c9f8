package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code record_subjects}: what records are about and what residents link to. */
@MappedEntity("record_subjects")
record RecordSubject(
    @Id String id,
    SubjectType subjectType,
    String subjectRef,
    @Nullable String postcode,
    Instant createdAt,
    Instant updatedAt) {

  @Override
  public String toString() {
    return "RecordSubject[id=" + id + ", type=" + subjectType + "]";
  }
}
