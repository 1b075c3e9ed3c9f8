package uk.gov.residentportal.consent;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface ConsentRepository extends CrudRepository<Consent, String> {

  /** The account's consents in force for one organisation: its own, and those for all partners. */
  @Query(
      "SELECT * FROM consents WHERE account_id = :accountId AND withdrawn_at IS NULL"
          + " AND purpose = :purpose AND organisation IN (:ods, 'ALL_NHS')")
  List<Consent> findActiveFor(String accountId, String ods, String purpose);

  /** Every consent of the account in force, whatever the organisation. */
  @Query("SELECT * FROM consents WHERE account_id = :accountId AND withdrawn_at IS NULL")
  List<Consent> findActiveByAccountId(String accountId);

  /**
   * The account's newest {@code limit} consents, withdrawn ones included, newest grant first (ties
   * within a second in id order, so that the order is stable).
   */
  @Query(
      "SELECT * FROM consents WHERE account_id = :accountId"
          + " ORDER BY granted_at DESC, id DESC LIMIT :limit")
  List<Consent> findNewestByAccountId(String accountId, int limit);

  /** Every consent the account ever gave, oldest first (the subject access export). */
  @Query("SELECT * FROM consents WHERE account_id = :accountId ORDER BY granted_at, id")
  List<Consent> findAllByAccountId(String accountId);

  Optional<Consent> findByIdAndAccountId(String id, String accountId);

  /**
   * Withdraws the consent if it is the account's and still in force; 0 rows when it is not (someone
   * else's, unknown, or withdrawn already, perhaps a moment ago by a parallel request).
   */
  @Query(
      "UPDATE consents SET withdrawn_at = :withdrawnAt, withdrawn_by = :withdrawnBy"
          + " WHERE id = :id AND account_id = :accountId AND withdrawn_at IS NULL")
  int withdraw(String id, String accountId, Instant withdrawnAt, String withdrawnBy);

  int deleteByAccountId(String accountId);
}
