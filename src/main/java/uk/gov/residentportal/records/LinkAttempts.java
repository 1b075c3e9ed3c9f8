package uk.gov.residentportal.records;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.DeadlockRetry;
import uk.gov.residentportal.web.ProblemException;

/**
 * The limit on failed linking attempts: at most {@code portal.records.link-failures-per-hour} per
 * account in a fixed one-hour window that starts with the window's first attempt. Counted in {@code
 * link_attempts}, so every replica sees the same count.
 *
 * <p>Each attempt is counted as a failure <em>before</em> its details are checked, with the
 * account's row locked, and given back when the details turn out right. Checking first and counting
 * after would let N parallel attempts all pass the check before any of them is counted; this way
 * they go through the lock one by one, each seeing those before it, and the limit holds however
 * many arrive at once. An attempt that fails for another reason (an error in between) stays
 * counted: the safe side.
 */
@Singleton
class LinkAttempts {
  private static final Logger LOG = LoggerFactory.getLogger(LinkAttempts.class);
  static final Duration WINDOW = Duration.ofHours(1);

  private final LinkAttemptRepository rows;
  private final TransactionOperations<Connection> transactions;
  private final RecordsConfig config;
  private final Clock clock;

  LinkAttempts(
      LinkAttemptRepository rows,
      TransactionOperations<Connection> transactions,
      RecordsConfig config,
      Clock clock) {
    this.rows = rows;
    this.transactions = transactions;
    this.config = config;
    this.clock = clock;
  }

  /** An attempt counted as a failure of the window that started at {@code windowStart}. */
  record Reservation(String accountId, Instant windowStart) {}

  /**
   * Counts one attempt of the account as a failure, or refuses it uncounted when the account has
   * used up its failures for the window.
   *
   * @throws ProblemException.TooManyRequests with the seconds until the window ends
   */
  Reservation reserve(String accountId) {
    // Whole seconds: MySQL Connector/J drops DATETIME fractions on MariaDB, and a refund compares
    // the window it reserved in with the stored one.
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    // Outside the transaction: the locking read that follows then finds a row certainly there.
    rows.createIfAbsent(accountId, now);
    return DeadlockRetry.run(
        () -> transactions.executeWrite(status -> reserveLocked(accountId, now)));
  }

  private Reservation reserveLocked(String accountId, Instant now) {
    LinkAttempt row =
        rows.findForUpdate(accountId)
            .orElseGet(
                () -> {
                  // Erased in between (the account's own erasure): make it again.
                  rows.createIfAbsent(accountId, now);
                  return rows.findForUpdate(accountId).orElseThrow();
                });
    Instant windowStart = row.windowStart();
    int failures = row.failures();
    if (!now.isBefore(windowStart.plus(WINDOW))) {
      windowStart = now;
      failures = 0;
    }
    if (failures >= config.linkFailuresPerHour()) {
      LOG.info("link attempt refused: too many failures id={}", accountId);
      throw tooMany(Duration.between(now, windowStart.plus(WINDOW)).toSeconds());
    }
    rows.store(accountId, windowStart, failures + 1);
    return new Reservation(accountId, windowStart);
  }

  /** Gives a reserved attempt back: its details were right. */
  void refund(Reservation reservation) {
    DeadlockRetry.run(
        () ->
            transactions.executeWrite(
                status -> {
                  rows.findForUpdate(reservation.accountId())
                      // A later window started meanwhile: the failure was never counted in it.
                      .filter(row -> row.windowStart().equals(reservation.windowStart()))
                      .filter(row -> row.failures() > 0)
                      .ifPresent(
                          row ->
                              rows.store(row.accountId(), row.windowStart(), row.failures() - 1));
                  return null;
                }));
  }

  /** Forgets the account's attempts (erasure). Joins the caller's transaction. */
  void forget(String accountId) {
    rows.deleteById(accountId);
  }

  /** The message and the Retry-After header say the same wait, rounded up to what is shown. */
  private static ProblemException.TooManyRequests tooMany(long seconds) {
    long wait = Math.max(1, seconds);
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
