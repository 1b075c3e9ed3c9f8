package uk.gov.residentportal.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
   * Whether this attempt must be refused without checking its password: the account or the source
   * address is locked, or the account's delay since its last failure has not passed.
   */
  Optional<Refusal> check(String email, String sourceAddress) {
    if (!config.enabled()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Instant notBefore = null;
    for (SignInThrottle.Key key : keys(email, sourceAddress)) {
      Instant until = rows.findById(key).map(row -> row.notBefore(now, config)).orElse(null);
      if (until != null && (notBefore == null || until.isAfter(notBefore))) {
        notBefore = until;
      }
    }
    if (notBefore == null) {
      return Optional.empty();
    }
    throttled.increment();
    LOG.info("sign-in attempt refused before the password check: too many failures");
    return Optional.of(Refusal.waitUntil(notBefore, now));
  }

  /**
   * Counts the outcome of a password check: a failure against both keys, a success resets the
   * account's consecutive failures and locks (not its hourly count, nor the address's).
   */
  void record(String email, String sourceAddress, SignInResult result) {
    if (!config.enabled()) {
      return;
    }
    SignInThrottle.Key account = accountKey(email);
    if (result instanceof SignInResult.SignedIn) {
      rows.resetAccount(account.keyHash());
      return;
    }
    if (!(result instanceof SignInResult.Refused)) {
      return; // the right password of an unverified account: not a guess that failed
    }
    Instant now = clock.instant();
    SignInThrottles.Counted counted = count(account, now);
    count(addressKey(sourceAddress), now);
    if (counted.after().firstLockSince(counted.before(), now, config)) {
      Instant until = counted.after().lockedUntil();
      background.execute(() -> tellOwner(email, until));
    }
  }

  private SignInThrottles.Counted count(SignInThrottle.Key key, Instant now) {
    rows.createIfAbsent(key.kind().name(), key.keyHash(), now);
    SignInThrottles.Counted counted =
        DeadlockRetry.run(() -> throttles.countFailure(key, now, config));
    if (counted.after().locks() > counted.before().asOf(now, config).locks()) {
      (key.kind() == SignInThrottle.Kind.ACCOUNT ? accountLocks : addressLocks).increment();
      LOG.info(
          "sign-in locked kind={} lock={} until={}",
          key.kind(),
          counted.after().locks(),
          counted.after().lockedUntil());
    }
    return counted;
  }

  private void tellOwner(String email, Instant until) {
    try {
      accounts.notifyLocked(email, until);
    } catch (RuntimeException e) {
      // Off the request thread: nobody to answer; the lock itself stands regardless.
      LOG.warn("lock email not sent: {}", e.getClass().getSimpleName());
    }
  }

  private SignInThrottle.Key[] keys(String email, String sourceAddress) {
    return new SignInThrottle.Key[] {accountKey(email), addressKey(sourceAddress)};
  }

  private static SignInThrottle.Key accountKey(String email) {
    return new SignInThrottle.Key(
        SignInThrottle.Kind.ACCOUNT, SecretTokens.hash(Emails.normalise(email)));
  }

  private static SignInThrottle.Key addressKey(String sourceAddress) {
    return new SignInThrottle.Key(SignInThrottle.Kind.ADDRESS, SecretTokens.hash(sourceAddress));
  }
}
