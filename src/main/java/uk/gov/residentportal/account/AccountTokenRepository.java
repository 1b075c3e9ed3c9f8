package uk.gov.residentportal.account;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface AccountTokenRepository extends GenericRepository<AccountToken, String> {

  AccountToken save(AccountToken token);

  Optional<AccountToken> findByTokenHashAndPurpose(String tokenHash, AccountToken.Purpose purpose);

  List<AccountToken> findByAccountId(String accountId);

  /** Single use under concurrency: only one caller sees 1. */
  @Query(
      "UPDATE account_tokens SET used_at = :now"
          + " WHERE id = :id AND used_at IS NULL AND expires_at > :now")
  int use(String id, Instant now);

  /** Ends every other outstanding token of that purpose (a reset voids earlier reset links). */
  @Query(
      "UPDATE account_tokens SET used_at = :now"
          + " WHERE account_id = :accountId AND purpose = :purpose AND used_at IS NULL")
  int useAll(String accountId, AccountToken.Purpose purpose, Instant now);

  @Query("DELETE FROM account_tokens WHERE account_id = :accountId")
  void deleteByAccountId(String accountId);
}
