package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A row of {@code link_attempts}: an account's failed linking attempts as a sliding-window counter
 * (see {@link LinkAttempts} and {@link FailureWindow}).
 */
@MappedEntity("link_attempts")
record LinkAttempt(@Id String accountId, Instant windowStart, int failures, int previousFailures) {

  FailureWindow window() {
    return new FailureWindow(windowStart, failures, previousFailures);
  }
}
