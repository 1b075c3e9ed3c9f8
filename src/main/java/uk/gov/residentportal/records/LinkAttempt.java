package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A row of {@code link_attempts}: an account's failed linking attempts in its current one-hour
 * window (see {@link LinkAttempts}).
 */
@MappedEntity("link_attempts")
record LinkAttempt(@Id String accountId, Instant windowStart, int failures) {}
