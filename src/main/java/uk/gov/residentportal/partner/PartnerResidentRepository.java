package uk.gov.residentportal.partner;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface PartnerResidentRepository extends GenericRepository<PartnerResident, String> {

  /** The resident's id for this organisation, if it has one (unique (ods_code, account_id)). */
  @Query("SELECT id FROM partner_residents WHERE ods_code = :odsCode AND account_id = :accountId")
  Optional<String> findId(String odsCode, String accountId);

  /**
   * Makes the id unless another request (on any replica) just did; then waits for that one to
   * commit, so that a READ COMMITTED {@link #findId} after it sees the row.
   */
  @Query(
      "INSERT IGNORE INTO partner_residents (id, ods_code, account_id, created_at)"
          + " VALUES (:id, :odsCode, :accountId, :now)")
  void createIfAbsent(String id, String odsCode, String accountId, Instant now);

  /** The account behind an organisation's id; another organisation's id finds nothing. */
  @Query("SELECT account_id FROM partner_residents WHERE id = :id AND ods_code = :odsCode")
  Optional<String> findAccountId(String id, String odsCode);

  /** Forgets every organisation's id for the account; returns how many there were. */
  @Query("DELETE FROM partner_residents WHERE account_id = :accountId")
  int deleteByAccountId(String accountId);
}
