package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface LinkAttemptRepository extends GenericRepository<LinkAttempt, String> {

  Optional<LinkAttempt> findById(String accountId);

  /**
   * Makes sure the account's row exists, without an error when another replica has just made it:
   * the counting that follows then locks a row that is certainly there (no gap locks, no insert
   * race).
   */
  @Query(
      "INSERT IGNORE INTO link_attempts (account_id, window_start, failures, previous_failures)"
          + " VALUES (:accountId, :now, 0, 0)")
  void createIfAbsent(String accountId, Instant now);

  /** Reads the row and keeps it locked until the transaction ends (other replicas wait). */
  @Query("SELECT * FROM link_attempts WHERE account_id = :accountId FOR UPDATE")
  Optional<LinkAttempt> findForUpdate(String accountId);

  @Query(
      "UPDATE link_attempts SET window_start = :windowStart, failures = :failures,"
          + " previous_failures = :previousFailures WHERE account_id = :accountId")
  int store(String accountId, Instant windowStart, int failures, int previousFailures);

  void deleteById(String accountId);

  /** Deletes the counters whose current window started before {@code before} (housekeeping). */
  @Query("DELETE FROM link_attempts WHERE window_start < :before")
  int deleteIdle(Instant before);
}
