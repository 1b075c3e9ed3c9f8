package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.DeadlockRetry;
import uk.gov.residentportal.shared.SecretBox;
import uk.gov.residentportal.web.ProblemException;

/**
 * The limits on failed linking attempts, counted in the database so that every replica sees the
 * same counts, each a sliding-window counter ({@link FailureWindow}):
 *
 * <ul>
 *   <li>per account: {@code portal.records.link-failures-per-hour} in an hour ({@code
 *       link_attempts}); over it, every linking attempt of the account answers 429;
 *   <li>per council tax account reference, from all accounts together: {@code
 *       portal.records.reference-failures-per-day} reference + postcode attempts in 24 hours
 *       ({@code link_reference_attempts}, keyed by a keyed hash of the reference). Over it, linking
 *       by that reference answers as wrong details without checking them, so many accounts cannot
 *       together try every postcode of one reference; one-time codes still work.
 * </ul>
 *
 * <p>Each attempt is counted as a failure <em>before</em> its details are checked, with the
 * counter's row locked, and given back when the details turn out right. Checking first and counting
 * after would let N parallel attempts all pass the check before any of them is counted; this way
 * they go through the lock one by one, each seeing those before it, and the limit holds however
 * many arrive at once. An attempt that fails for another reason (an error in between) stays
 * counted: the safe side. Each counter is locked in a short transaction of its own, the account's
 * before the reference's, never both at once.
 */
@Singleton
class LinkAttempts {
  private static final Logger LOG = LoggerFactory.getLogger(LinkAttempts.class);
  static final Duration ACCOUNT_WINDOW = Duration.ofHours(1);
  static final Duration REFERENCE_WINDOW = Duration.ofDays(1);
  private static final String REFERENCE_HASH_PURPOSE = "link-reference";

  private final Counter accounts;
  private final Counter references;
  private final LinkAttemptRepository accountRows;
  private final LinkReferenceAttemptRepository referenceRows;
  private final SecretBox box;
  private final TransactionOperations<Connection> transactions;
  private final RecordsConfig config;
  private final Clock clock;

  LinkAttempts(
      LinkAttemptRepository accountRows,
      LinkReferenceAttemptRepository referenceRows,
      SecretBox box,
      TransactionOperations<Connection> transactions,
      RecordsConfig config,
      Clock clock) {
    this.accountRows = accountRows;
    this.referenceRows = referenceRows;
    this.box = box;
    this.transactions = transactions;
    this.config = config;
    this.clock = clock;
    this.accounts =
        new Counter(ACCOUNT_WINDOW) {
          @Override
          void createIfAbsent(String key, Instant now) {
            accountRows.createIfAbsent(key, now);
          }

          @Override
          Optional<FailureWindow> findForUpdate(String key) {
            return accountRows.findForUpdate(key).map(LinkAttempt::window);
          }

          @Override
          void store(String key, FailureWindow window) {
            accountRows.store(
                key, window.windowStart(), window.failures(), window.previousFailures());
          }
        };
    this.references =
        new Counter(REFERENCE_WINDOW) {
          @Override
          void createIfAbsent(String key, Instant now) {
            referenceRows.createIfAbsent(key, now);
          }

          @Override
          Optional<FailureWindow> findForUpdate(String key) {
            return referenceRows.findForUpdate(key).map(LinkReferenceAttempt::window);
          }

          @Override
          void store(String key, FailureWindow window) {
            referenceRows.store(
                key, window.windowStart(), window.failures(), window.previousFailures());
          }
        };
  }

  /**
   * An attempt counted as a failure of the window that started at {@code windowStart}, to give back
   * when the details were right.
   */
  record Reservation(Counter counter, String key, Instant windowStart) {
    @Override
    public String toString() {
      return "Reservation[" + windowStart + "]";
    }
  }

  /**
   * Counts one attempt of the account as a failure, or refuses it uncounted when the account has
   * used up its failures.
   *
   * @throws ProblemException.TooManyRequests with the seconds until one more attempt is allowed
   */
  Reservation reserve(String accountId) {
    Counted counted = accounts.reserve(accountId, config.linkFailuresPerHour());
    if (counted.reservation() == null) {
      LOG.info("link attempt refused: too many failures id={}", accountId);
      throw tooMany(counted.retryAfter());
    }
    return counted.reservation();
  }

  /**
   * Counts one reference + postcode attempt on {@code reference} (canonical) as a failure; nothing
   * when the reference has used up its failures (the caller answers as for wrong details).
   */
  Optional<Reservation> reserveReference(String reference) {
    return Optional.ofNullable(
        references
            .reserve(referenceKey(reference), config.referenceFailuresPerDay())
            .reservation());
  }

  /** A failure counted (with its reservation), or refused (with the wait until one more fits). */
  private record Counted(@Nullable Reservation reservation, Duration retryAfter) {}

  /** Gives a reserved attempt back: its details were right. */
  void refund(Reservation reservation) {
    reservation.counter().refund(reservation);
  }

  /** Forgets the account's attempts (erasure). Joins the caller's transaction. */
  void forget(String accountId) {
    accountRows.deleteById(accountId);
  }

  /**
   * Deletes the counters without a failure for two whole windows (housekeeping): they count nothing
   * any more, and a new attempt starts a new row.
   */
  int deleteIdle() {
    Instant now = clock.instant();
    return accountRows.deleteIdle(now.minus(ACCOUNT_WINDOW.multipliedBy(2)))
        + referenceRows.deleteIdle(now.minus(REFERENCE_WINDOW.multipliedBy(2)));
  }

  /** The key of a reference's counter: a keyed hash, so a database dump shows no references. */
  String referenceKey(String reference) {
    return box.keyedHash(REFERENCE_HASH_PURPOSE, reference);
  }

  /** One table of counters, with its window length. */
  abstract class Counter {
    private final Duration window;

    Counter(Duration window) {
      this.window = window;
    }

    abstract void createIfAbsent(String key, Instant now);

    abstract Optional<FailureWindow> findForUpdate(String key);

    abstract void store(String key, FailureWindow window);

    /** Counts one failure of {@code key}, unless that would exceed the limit. */
    Counted reserve(String key, int limit) {
      // Whole seconds: MySQL Connector/J drops DATETIME fractions on MariaDB, and a refund compares
      // the window it reserved in with the stored one.
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      // Outside the transaction: the locking read that follows then finds a row certainly there.
      createIfAbsent(key, now);
      return DeadlockRetry.run(
          () ->
              transactions.executeWrite(
                  status -> {
                    FailureWindow current = locked(key, now).at(now, window);
                    Duration wait = current.waitForOneMore(now, window, limit);
                    if (!wait.isZero()) {
                      return new Counted(null, wait);
                    }
                    store(key, current.plusOne());
                    return new Counted(
                        new Reservation(this, key, current.windowStart()), Duration.ZERO);
                  }));
    }

    void refund(Reservation reservation) {
      DeadlockRetry.run(
          () ->
              transactions.executeWrite(
                  status -> {
                    findForUpdate(reservation.key())
                        .flatMap(row -> refunded(row, reservation))
                        .ifPresent(row -> store(reservation.key(), row));
                    return null;
                  }));
    }

    /**
     * The row without the reserved failure: taken from the window it was counted in, which is the
     * current one, or the previous one when a new window started meanwhile; nothing when neither
     * (the failure no longer counts anyway).
     */
    private Optional<FailureWindow> refunded(FailureWindow row, Reservation reservation) {
      if (row.windowStart().equals(reservation.windowStart()) && row.failures() > 0) {
        return Optional.of(
            new FailureWindow(row.windowStart(), row.failures() - 1, row.previousFailures()));
      }
      if (row.windowStart().equals(reservation.windowStart().plus(window))
          && row.previousFailures() > 0) {
        return Optional.of(
            new FailureWindow(row.windowStart(), row.failures(), row.previousFailures() - 1));
      }
      return Optional.empty();
    }

    private FailureWindow locked(String key, Instant now) {
      return findForUpdate(key)
          .orElseGet(
              () -> {
                // Deleted in between (erasure, housekeeping): make it again.
                createIfAbsent(key, now);
                return findForUpdate(key).orElseThrow();
              });
    }
  }

  /** The message and the Retry-After header say the same wait, rounded up to what is shown. */
  private static ProblemException.TooManyRequests tooMany(Duration until) {
    long wait = Math.max(1, (until.toMillis() + 999) / 1000);
    String amount;
    if (wait < 60) {
      amount = wait + (wait == 1 ? " second" : " seconds");
    } else {
      long minutes = (wait + 59) / 60;
      wait = minutes * 60;
      amount = minutes + (minutes == 1 ? " minute" : " minutes");
    }
    return new ProblemException.TooManyRequests(
        "Too many attempts to link council records. Wait " + amount + " and try again.", wait);
  }
}
