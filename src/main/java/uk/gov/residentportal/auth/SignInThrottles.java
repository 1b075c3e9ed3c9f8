package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * The counters' transactions. Each reads its rows with {@code SELECT ... FOR UPDATE}, so replicas
 * working on the same key at once wait for each other: the decision to let an attempt check its
 * password and the failure it is counted as happen together, and none of the counts is lost. Rows
 * are always locked in the same order (the account's, then the address's), so two attempts never
 * wait for each other in a circle.
 */
@Singleton
class SignInThrottles {
  private final SignInThrottleRepository rows;

  SignInThrottles(SignInThrottleRepository rows) {
    this.rows = rows;
  }

  /** The counters of one key before and after one failure. */
  record Counted(SignInThrottle before, SignInThrottle after) {}

  /**
   * Either the earliest time the attempt may go (then nothing was counted), or both keys' counters
   * before and after the attempt was counted as a failure.
   */
  record Reservation(
      @Nullable Instant notBefore, @Nullable Counted account, @Nullable Counted address) {}

  /**
   * Lets an attempt check its password only if neither key must wait, and then counts it as a
   * failure of both at once (refunded by {@link #refund} when it turns out not to be one). Checking
   * first and counting after the password check instead lets N parallel attempts all pass the check
   * before any of them is counted.
   */
  @Transactional
  Reservation reserve(
      SignInThrottle.Key account,
      SignInThrottle.Key address,
      Instant now,
      BruteForceConfig config) {
    SignInThrottle accountRow = lock(account, now);
    SignInThrottle addressRow = lock(address, now);
    Instant notBefore = later(accountRow.notBefore(now, config), addressRow.notBefore(now, config));
    if (notBefore != null) {
      return new Reservation(notBefore, null, null); // refusals are never counted
    }
    return new Reservation(
        null,
        new Counted(accountRow, store(accountRow.afterFailure(now, config))),
        new Counted(addressRow, store(addressRow.afterFailure(now, config))));
  }

  /**
   * Takes back the failure a reservation counted: the attempt proved the password (or code) right.
   * A successful sign-in also starts the account's consecutive failures and locks again (not its
   * hourly count, which keeps every real failure of the hour).
   */
  @Transactional
  void refund(Counted account, Counted address, boolean signedIn) {
    refund(account);
    refund(address);
    if (signedIn) {
      rows.resetAccount(account.after().key().keyHash());
    }
  }

  private void refund(Counted counted) {
    SignInThrottle.Key key = counted.after().key();
    // Gone: deleted as idle in between, so nothing is left to take back.
    rows.findForUpdate(key.kind().name(), key.keyHash())
        .ifPresent(row -> store(row.refunded(counted.before(), counted.after())));
  }

  private SignInThrottle lock(SignInThrottle.Key key, Instant now) {
    String kind = key.kind().name();
    return rows.findForUpdate(kind, key.keyHash())
        .orElseGet(
            () -> {
              // Deleted as idle between its creation and this read: make it again.
              rows.createIfAbsent(kind, key.keyHash(), now);
              return rows.findForUpdate(kind, key.keyHash()).orElseThrow();
            });
  }

  private SignInThrottle store(SignInThrottle row) {
    rows.store(
        row.key().kind().name(),
        row.key().keyHash(),
        row.failures(),
        row.windowStart(),
        row.windowFailures(),
        row.locks(),
        row.lockedUntil(),
        row.lastFailureAt());
    return row;
  }

  @Nullable
  private static Instant later(@Nullable Instant a, @Nullable Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
