package uk.gov.residentportal.records;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.VerifyAuditCommand;

/**
 * Deletes what linking no longer needs: one-time codes that expired more than 30 days ago (used or
 * not; the link itself keeps how and when it was made), and failed-attempt counters idle for two of
 * their windows (they count nothing any more). Every replica runs it; the deletes are idempotent.
 */
@Singleton
@Requires(notEnv = VerifyAuditCommand.ENVIRONMENT) // the read-only --verify-audit writes nothing
final class RecordsHousekeeping {
  private static final Logger LOG = LoggerFactory.getLogger(RecordsHousekeeping.class);

  // Kept a while past expiry, for looking into a disputed link: which system issued the code, and
  // when it was used.
  static final Duration CODE_GRACE = Duration.ofDays(30);

  private final LinkCodes codes;
  private final LinkAttempts attempts;
  private final Clock clock;

  RecordsHousekeeping(LinkCodes codes, LinkAttempts attempts, Clock clock) {
    this.codes = codes;
    this.attempts = attempts;
    this.clock = clock;
  }

  @Scheduled(initialDelay = "5m", fixedDelay = "1h")
  void deleteExpired() {
    int deletedCodes = codes.deleteExpired(clock.instant().minus(CODE_GRACE));
    int deletedCounters = attempts.deleteIdle();
    LOG.info(
        "records housekeeping: link codes={} attempt counters={}", deletedCodes, deletedCounters);
  }
}
