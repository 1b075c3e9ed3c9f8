package uk.gov.residentportal.auth;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * Counts one failure against a key in one transaction: the row is read with {@code SELECT ... FOR
 * UPDATE}, so replicas counting the same key at once wait for each other and none of their failures
 * is lost.
 */
@Singleton
class SignInThrottles {
  private final SignInThrottleRepository rows;

  SignInThrottles(SignInThrottleRepository rows) {
    this.rows = rows;
  }

  /** The counters before and after the failure. */
  record Counted(SignInThrottle before, SignInThrottle after) {}

  @Transactional
  Counted countFailure(SignInThrottle.Key key, Instant now, BruteForceConfig config) {
    String kind = key.kind().name();
    SignInThrottle before =
        rows.findForUpdate(kind, key.keyHash())
            .orElseGet(
                () -> {
                  // Deleted as idle between its creation and this read: make it again.
                  rows.createIfAbsent(kind, key.keyHash(), now);
                  return rows.findForUpdate(kind, key.keyHash()).orElseThrow();
                });
    SignInThrottle after = before.afterFailure(now, config);
    rows.store(
        kind,
        key.keyHash(),
        after.failures(),
        after.windowStart(),
        after.windowFailures(),
        after.locks(),
        after.lockedUntil(),
        after.lastFailureAt());
    return new Counted(before, after);
  }
}
