package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Duration;
import java.time.Instant;

/**
 * A row of {@code sign_in_throttle}: the failed sign-ins counted against one account (by the hash
 * of its email address) or one source address, and the arithmetic of delays and locks. Pure: the
 * time comes in as an argument, so the rules are tested without a clock or a database.
 */
@MappedEntity("sign_in_throttle")
record SignInThrottle(
    @EmbeddedId Key key,
    int failures,
    Instant windowStart,
    int windowFailures,
    int locks,
    @Nullable Instant lockedUntil,
    Instant lastFailureAt) {

  /** What is counted. */
  enum Kind {
    ACCOUNT,
    ADDRESS
  }

  /** The primary key: the kind and the SHA-256 (hex) of the email address or IP address. */
  @Embeddable
  record Key(@MappedProperty("kind") Kind kind, @MappedProperty("key_hash") String keyHash) {}

  /** A key nobody has failed to sign in with yet. */
  static SignInThrottle fresh(Key key, Instant now) {
    return new SignInThrottle(key, 0, now, 0, 0, null, now);
  }

  /**
   * The counters as they stand at {@code now}: forgotten once idle for {@code resetAfter} (and not
   * locked), and the hourly count started again once its hour is over.
   */
  SignInThrottle asOf(Instant now, BruteForceConfig config) {
    boolean locked = lockedUntil != null && lockedUntil.isAfter(now);
    if (!locked && !lastFailureAt.plus(config.resetAfter()).isAfter(now)) {
      return fresh(key, now);
    }
    if (!windowStart.plus(BruteForceConfig.WINDOW).isAfter(now)) {
      return new SignInThrottle(key, failures, now, 0, locks, lockedUntil, lastFailureAt);
    }
    return this;
  }

  /**
   * The earliest time the next attempt may have its password checked: the end of a lock or, for an
   * account past its free failures, of the delay since its last failure. Null when it may go now.
   */
  @Nullable
  Instant notBefore(Instant now, BruteForceConfig config) {
    SignInThrottle current = asOf(now, config);
    Instant until = current.lockedUntil;
    if (key.kind() == Kind.ACCOUNT && current.failures > config.freeFailures()) {
      Instant delayEnd =
          current.lastFailureAt.plus(delay(current.failures - config.freeFailures(), config));
      until = until == null || delayEnd.isAfter(until) ? delayEnd : until;
    }
    return until != null && until.isAfter(now) ? until : null;
  }

  /**
   * The counters after one more failure at {@code now}. Locks when the account reaches {@code
   * lockAfter} consecutive failures, or the key its hourly allowance; every failure after that
   * locks again, each lock twice as long as the one before (up to {@code lockMax}). A lock for the
   * hourly allowance lasts at least until that hour is over, so the allowance is never exceeded.
   */
  SignInThrottle afterFailure(Instant now, BruteForceConfig config) {
    SignInThrottle current = asOf(now, config);
    int failed = current.failures + 1;
    int failedThisHour = current.windowFailures + 1;
    boolean hourlyLimit =
        failedThisHour
            >= (key.kind() == Kind.ACCOUNT
                ? config.maxFailuresPerHour()
                : config.addressLockAfter());
    boolean consecutiveLimit = key.kind() == Kind.ACCOUNT && failed >= config.lockAfter();
    int lockCount = current.locks;
    Instant until = current.lockedUntil;
    if (hourlyLimit || consecutiveLimit) {
      lockCount++;
      until = now.plus(lockPeriod(lockCount, config));
      Instant hourOver = current.windowStart.plus(BruteForceConfig.WINDOW);
      if (hourlyLimit && hourOver.isAfter(until)) {
        until = hourOver;
      }
    }
    return new SignInThrottle(
        key, failed, current.windowStart, failedThisHour, lockCount, until, now);
  }

  /**
   * These counters without one failure that was counted as {@code before} to {@code after} (an
   * attempt reserved as a failure that turned out not to be one). When nothing was counted since,
   * exactly {@code before}, undoing any delay or lock that failure started; otherwise one failure
   * fewer, keeping the later attempts' delay and locks (erring on the side of waiting).
   */
  SignInThrottle refunded(SignInThrottle before, SignInThrottle after) {
    if (failures == after.failures
        && windowFailures == after.windowFailures
        && locks == after.locks) {
      return new SignInThrottle(
          key,
          before.failures,
          before.windowStart,
          before.windowFailures,
          before.locks,
          before.lockedUntil,
          before.lastFailureAt);
    }
    // The hourly count started again after that failure: it is no longer in it. (A millisecond's
    // leeway: the database may round the stored time.)
    boolean inWindow = !windowStart.isAfter(after.lastFailureAt.plusMillis(1));
    return new SignInThrottle(
        key,
        Math.max(0, failures - 1),
        windowStart,
        inWindow ? Math.max(0, windowFailures - 1) : windowFailures,
        locks,
        lockedUntil,
        lastFailureAt);
  }

  /** True when this failure started the first lock since the counters were last reset. */
  boolean firstLockSince(SignInThrottle before, Instant now, BruteForceConfig config) {
    return locks == 1 && before.asOf(now, config).locks == 0;
  }

  /** The wait after the n-th failure beyond the free ones: doubling, never beyond lockMin. */
  static Duration delay(int beyondFree, BruteForceConfig config) {
    return doubled(config.firstDelay(), beyondFree, config.lockMin());
  }

  /** The length of the n-th lock: lockMin doubling, never beyond lockMax. */
  static Duration lockPeriod(int lockNumber, BruteForceConfig config) {
    return doubled(config.lockMin(), lockNumber, config.lockMax());
  }

  private static Duration doubled(Duration first, int nth, Duration max) {
    Duration period = first;
    for (int i = 1; i < nth && period.compareTo(max) < 0; i++) {
      period = period.multipliedBy(2);
    }
    return period.compareTo(max) > 0 ? max : period;
  }

  @Override
  public String toString() {
    return "SignInThrottle[kind="
        + key.kind()
        + ", failures="
        + failures
        + ", locks="
        + locks
        + ", lockedUntil="
        + lockedUntil
        + "]";
  }
}
