package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;
import uk.gov.residentportal.account.Assurance;

/** A row of {@code records}: one record of a back-office system, keyed by its external ref. */
@MappedEntity("records")
record Record(
    @Id String id,
    String sourceSystem,
    String externalRef,
    String subjectId,
    String category,
    String title,
    @Nullable String status,
    @Nullable String summary,
    boolean residentVisible,
    boolean partnerShareable,
    Assurance minAssurance,
    @MappedProperty(converter = EpochMicros.class) Instant sourceUpdatedAt,
    Instant createdAt,
    Instant updatedAt) {

  @Override
  public String toString() {
    // Titles and summaries may hold personal data.
    return "Record[id=" + id + ", source=" + sourceSystem + ", category=" + category + "]";
  }
}
