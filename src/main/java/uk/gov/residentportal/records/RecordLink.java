package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code record_links}: an account linked to a subject, with how and when. */
@MappedEntity("record_links")
record RecordLink(
    @Id String id, String accountId, String subjectId, LinkMethod method, Instant linkedAt) {

  /** How the resident proved the link. */
  enum LinkMethod {
    /** Council tax account reference and the property's postcode. */
    REFERENCE_AND_POSTCODE,
    /** A one-time code from a letter. */
    ONE_TIME_CODE
  }
}
