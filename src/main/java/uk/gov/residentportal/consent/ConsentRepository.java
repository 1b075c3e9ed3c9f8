package uk.gov.residentportal.consent;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
interface ConsentRepository extends CrudRepository<Consent, String> {

  /** The account's consents in force for one organisation: its own, and those for all partners. */
  @Query(
      "SELECT * FROM consents WHERE account_id = :accountId AND withdrawn_at IS NULL"
          + " AND purpose = :purpose AND organisation IN (:ods, 'ALL_NHS')")
  List<Consent> findActiveFor(String accountId, String ods, String purpose);
}
