package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A row of {@code link_reference_attempts}: the failed reference + postcode attempts on one council
 * tax account reference, from any account, as a sliding-window counter (see {@link LinkAttempts}).
 * Keyed by a keyed hash of the reference, never the reference.
 */
@MappedEntity("link_reference_attempts")
record LinkReferenceAttempt(
    @Id String referenceHash, Instant windowStart, int failures, int previousFailures) {

  FailureWindow window() {
    return new FailureWindow(windowStart, failures, previousFailures);
  }
}
