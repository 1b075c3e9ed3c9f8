package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface SignInThrottleRepository extends GenericRepository<SignInThrottle, SignInThrottle.Key> {

  Optional<SignInThrottle> findById(SignInThrottle.Key key);

  /**
   * Makes sure the row exists, without an error when another replica has just made it (the counting
   * that follows then locks a row that is certainly there: no gap locks, no insert race).
   */
  @Query(
      "INSERT IGNORE INTO sign_in_throttle (kind, key_hash, failures, window_start,"
          + " window_failures, locks, locked_until, last_failure_at)"
          + " VALUES (:kind, :keyHash, 0, :now, 0, 0, NULL, :now)")
  void createIfAbsent(String kind, String keyHash, Instant now);

  /** Reads the row and keeps it locked until the transaction ends (other replicas wait). */
  @Query("SELECT * FROM sign_in_throttle WHERE kind = :kind AND key_hash = :keyHash FOR UPDATE")
  Optional<SignInThrottle> findForUpdate(String kind, String keyHash);

  @Query(
      "UPDATE sign_in_throttle SET failures = :failures, window_start = :windowStart,"
          + " window_failures = :windowFailures, locks = :locks, locked_until = :lockedUntil,"
          + " last_failure_at = :lastFailureAt WHERE kind = :kind AND key_hash = :keyHash")
  int store(
      String kind,
      String keyHash,
      int failures,
      Instant windowStart,
      int windowFailures,
      int locks,
      @Nullable Instant lockedUntil,
      Instant lastFailureAt);

  /**
   * A successful sign-in: consecutive failures and locks start again, the hourly count stays (ASVS
   * counts every failure in the hour, whatever came between them).
   */
  @Query(
      "UPDATE sign_in_throttle SET failures = 0, locks = 0, locked_until = NULL"
          + " WHERE kind = 'ACCOUNT' AND key_hash = :keyHash")
  int resetAccount(String keyHash);

  /** Counters idle since {@code idleSince} and not locked any more can no longer matter. */
  @Query(
      "DELETE FROM sign_in_throttle WHERE last_failure_at < :idleSince"
          + " AND (locked_until IS NULL OR locked_until < :now)")
  int deleteIdle(Instant idleSince, Instant now);
}
