package uk.gov.residentportal.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.account.SignInResult;
import uk.gov.residentportal.shared.Background;
import uk.gov.residentportal.shared.DeadlockRetry;
import uk.gov.residentportal.shared.Emails;
import uk.gov.residentportal.shared.SecretTokens;

/**
 * Brute-force protection of sign-in (OWASP ASVS 4.0.3 2.2.1, 5.0 V6.3.1; on by default, unlike
 * Keycloak's). Failures are counted per account and per source address in the database, so every
 * replica sees the same counts; past its allowance a key must wait before its next password check
 * (a growing delay, then a lock that grows from one to the next). Waiting is enforced by refusing
 * early attempts before the password is hashed: no server thread ever sleeps, and a refused attempt
 * costs no Argon2id.
 *
 * <p>The account key is the SHA-256 of the normalised email address whether or not an account has
 * it, so an unknown address is counted, delayed and locked exactly like a known one: the answers
 * tell nobody which addresses are registered. Only the owner of a real, active account is emailed
 * when it locks, off the request thread, so the answer takes no longer for a real account.
 */
@Singleton
final class BruteForceProtection {
  private static final Logger LOG = LoggerFactory.getLogger(BruteForceProtection.class);

  private final BruteForceConfig config;
  private final SignInThrottleRepository rows;
  private final SignInThrottles throttles;
  private final AccountService accounts;
  private final Executor background;
  private final Clock clock;
  private final Counter throttled;
  private final Counter accountLocks;
  private final Counter addressLocks;

  BruteForceProtection(
      BruteForceConfig config,
      SignInThrottleRepository rows,
      SignInThrottles throttles,
      AccountService accounts,
      @Named(TaskExecutors.BLOCKING) Executor background,
      MeterRegistry meters,
      Clock clock) {
    this.config = config;
    this.rows = rows;
    this.throttles = throttles;
    this.accounts = accounts;
    this.background = background;
    this.clock = clock;
    this.throttled =
        Counter.builder("portal.sign_in.throttled")
            .description("Sign-in attempts refused before the password check (delay or lock)")
            .register(meters);
    this.accountLocks = locks(meters, "account");
    this.addressLocks = locks(meters, "address");
  }

  private static Counter locks(MeterRegistry meters, String kind) {
    return Counter.builder("portal.sign_in.locks")
        .description("Sign-in locks started, per kind of key")
        .tag("kind", kind)
        .register(meters);
  }

  /**
   * How long to wait before trying again, and the message saying so: the same for every account and
   * address, rounded so that the text and the Retry-After header agree.
   */
  record Refusal(long retryAfterSeconds, String message) {
    static Refusal waitUntil(Instant notBefore, Instant now) {
      long millis = Duration.between(now, notBefore).toMillis();
      long seconds = Math.max(1, (millis + 999) / 1000);
      if (seconds < 60) {
        return new Refusal(seconds, text(seconds, seconds == 1 ? "second" : "seconds"));
      }
      long minutes = (seconds + 59) / 60;
      return new Refusal(minutes * 60, text(minutes, minutes == 1 ? "minute" : "minutes"));
    }

    private static String text(long amount, String unit) {
      return "Too many failed attempts to sign in. Wait " + amount + " " + unit + " and try again.";
    }
  }

  /**
   * One sign-in attempt: refused before its password (or security code) is checked, with nothing
   * counted, or let through and already counted as a failure of both keys until {@link #settle} or
   * {@link #refund} says how it went. An attempt that never gets that far (an error in between)
   * stays counted: the safe side.
   */
  static final class Attempt {
    private final String email;
    private final Instant at;
    @Nullable private final Refusal refusal;
    @Nullable private final SignInThrottles.Counted account;
    @Nullable private final SignInThrottles.Counted address;

    private Attempt(
        String email,
        Instant at,
        @Nullable Refusal refusal,
        @Nullable SignInThrottles.Counted account,
        @Nullable SignInThrottles.Counted address) {
      this.email = email;
      this.at = at;
      this.refusal = refusal;
      this.account = account;
      this.address = address;
    }

    /** Present when the attempt must be answered with this refusal, its password unchecked. */
    Optional<Refusal> refused() {
      return Optional.ofNullable(refusal);
    }
  }

  /**
   * Decides whether this attempt may check its password and, if it may, counts it as a failure in
   * the same transaction, with both counter rows locked: parallel attempts (on any replica) are let
   * through one by one, each seeing the failures of those before it, so none of the delays, locks
   * or hourly allowances can be overrun by sending many attempts at once. Refused when the account
   * or the source address is locked, or the account's delay since its last failure has not passed.
   */
  Attempt begin(String email, String sourceAddress) {
    Instant now = clock.instant();
    if (!config.enabled()) {
      return new Attempt(email, now, null, null, null);
    }
    SignInThrottle.Key account = accountKey(email);
    SignInThrottle.Key address = addressKey(sourceAddress);
    // Outside the transaction: the locking reads that follow then find rows certainly there.
    rows.createIfAbsent(account.kind().name(), account.keyHash(), now);
    rows.createIfAbsent(address.kind().name(), address.keyHash(), now);
    SignInThrottles.Reservation reserved =
        DeadlockRetry.run(() -> throttles.reserve(account, address, now, config));
    if (reserved.notBefore() != null) {
      throttled.increment();
      LOG.info("sign-in attempt refused before the password check: too many failures");
      return new Attempt(email, now, Refusal.waitUntil(reserved.notBefore(), now), null, null);
    }
    return new Attempt(email, now, null, reserved.account(), reserved.address());
  }

  /**
   * Settles an attempt by the outcome of its password check: a failure stays counted against both
   * keys (and may have started a lock); a success takes its failure back and resets the account's
   * consecutive failures and locks (not its hourly count, nor the address's); the right password of
   * an unverified account is no failed guess, so it is taken back too.
   */
  void settle(Attempt attempt, SignInResult result) {
    if (result instanceof SignInResult.Refused) {
      failed(attempt);
    } else {
      refund(attempt, result instanceof SignInResult.SignedIn);
    }
  }

  /**
   * Takes back an attempt's failure without resetting anything: the password was right, but the
   * sign-in is not over (the security code is still to come) or could not finish.
   */
  void refund(Attempt attempt) {
    refund(attempt, false);
  }

  private void refund(Attempt attempt, boolean signedIn) {
    SignInThrottles.Counted account = attempt.account;
    SignInThrottles.Counted address = attempt.address;
    if (account == null || address == null) {
      return; // refused or protection off: nothing was counted
    }
    DeadlockRetry.run(
        () -> {
          throttles.refund(account, address, signedIn);
          return null;
        });
  }

  /** The failure is already counted: only the locks it started are still to be told. */
  private void failed(Attempt attempt) {
    if (attempt.account == null || attempt.address == null) {
      return;
    }
    noteLock(attempt.account, attempt.at);
    noteLock(attempt.address, attempt.at);
    SignInThrottles.Counted counted = attempt.account;
    if (counted.after().firstLockSince(counted.before(), attempt.at, config)) {
      Instant until = counted.after().lockedUntil();
      String email = attempt.email;
      Background.run(background, () -> tellOwner(email, until));
    }
  }

  private void noteLock(SignInThrottles.Counted counted, Instant now) {
    if (counted.after().locks() > counted.before().asOf(now, config).locks()) {
      SignInThrottle.Kind kind = counted.after().key().kind();
      (kind == SignInThrottle.Kind.ACCOUNT ? accountLocks : addressLocks).increment();
      LOG.info(
          "sign-in locked kind={} lock={} until={}",
          kind,
          counted.after().locks(),
          counted.after().lockedUntil());
    }
  }

  private void tellOwner(String email, Instant until) {
    try {
      accounts.notifyLocked(email, until);
    } catch (RuntimeException e) {
      // Off the request thread: nobody to answer; the lock itself stands regardless.
      LOG.warn("lock email not sent: {}", e.getClass().getSimpleName());
    }
  }

  private static SignInThrottle.Key accountKey(String email) {
    return new SignInThrottle.Key(
        SignInThrottle.Kind.ACCOUNT, SecretTokens.hash(Emails.normalise(email)));
  }

  private static SignInThrottle.Key addressKey(String sourceAddress) {
    return new SignInThrottle.Key(SignInThrottle.Kind.ADDRESS, SecretTokens.hash(sourceAddress));
  }
}
