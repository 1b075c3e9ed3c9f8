package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface LinkCodeRepository extends GenericRepository<LinkCode, String> {
  LinkCode save(LinkCode code);

  Optional<LinkCode> findById(String id);

  /**
   * The code with this keyed hash, locked until the transaction ends. A locking read, so that it
   * opens no consistent-read snapshot: what the linking transaction reads after it is current.
   */
  @Query("SELECT * FROM link_codes WHERE code_hash = :codeHash FOR UPDATE")
  Optional<LinkCode> findByCodeHashForUpdate(String codeHash);

  /**
   * Marks the code used by {@code accountId}, only if it is still unused and unexpired: of two
   * racing redeems, exactly one changes the row (1), the other nothing (0).
   */
  @Query(
      "UPDATE link_codes SET used_at = :now, used_by = :accountId"
          + " WHERE id = :id AND used_at IS NULL AND expires_at > :now")
  int markUsed(String id, String accountId, Instant now);

  /** Erasure: the code stays (with when it was used), the account's id goes. */
  @Query("UPDATE link_codes SET used_by = NULL WHERE used_by = :accountId")
  int clearUsedBy(String accountId);

  @Query("DELETE FROM link_codes WHERE expires_at < :before")
  int deleteExpired(Instant before);
}
