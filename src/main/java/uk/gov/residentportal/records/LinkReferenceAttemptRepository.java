package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;

/** The per-reference counters of {@link LinkAttempts}, used as {@link LinkAttemptRepository}. */
@JdbcRepository(dialect = Dialect.MYSQL)
interface LinkReferenceAttemptRepository extends GenericRepository<LinkReferenceAttempt, String> {

  Optional<LinkReferenceAttempt> findById(String referenceHash);

  @Query(
      "INSERT IGNORE INTO link_reference_attempts (reference_hash, window_start, failures,"
          + " previous_failures) VALUES (:referenceHash, :now, 0, 0)")
  void createIfAbsent(String referenceHash, Instant now);

  @Query("SELECT * FROM link_reference_attempts WHERE reference_hash = :referenceHash FOR UPDATE")
  Optional<LinkReferenceAttempt> findForUpdate(String referenceHash);

  @Query(
      "UPDATE link_reference_attempts SET window_start = :windowStart, failures = :failures,"
          + " previous_failures = :previousFailures WHERE reference_hash = :referenceHash")
  int store(String referenceHash, Instant windowStart, int failures, int previousFailures);

  /** Deletes the counters whose current window started before {@code before} (housekeeping). */
  @Query("DELETE FROM link_reference_attempts WHERE window_start < :before")
  int deleteIdle(Instant before);
}
