package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.LocalDate;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface UptakeAccountRepository extends GenericRepository<UptakeAccount, String> {

  UptakeAccount save(UptakeAccount account);

  /** The account's row, locked to the end of the transaction: its changes are counted in turn. */
  @Query("SELECT * FROM uptake_accounts WHERE account_id = :accountId FOR UPDATE")
  Optional<UptakeAccount> findForUpdate(String accountId);

  @Query(
      "UPDATE uptake_accounts SET area_code = :areaCode, verified = :verified, linked = :linked,"
          + " erased = :erased, last_active_on = :lastActiveOn WHERE account_id = :accountId")
  int store(
      String accountId,
      String areaCode,
      boolean verified,
      boolean linked,
      boolean erased,
      @Nullable LocalDate lastActiveOn);
}
