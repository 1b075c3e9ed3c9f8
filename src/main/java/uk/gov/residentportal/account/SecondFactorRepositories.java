package uk.gov.residentportal.account;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;

/**
 * The second factor's tables. Every use is a conditional update, so replicas never double-spend.
 */
final class SecondFactorRepositories {
  private SecondFactorRepositories() {}

  @JdbcRepository(dialect = Dialect.MYSQL)
  interface TotpRepository extends CrudRepository<TotpAuthenticator, String> {
    /** Marks the authenticator confirmed by the code of {@code step}; 1 if it was pending. */
    @Query(
        "UPDATE account_totp SET confirmed_at = :now, last_used_step = :step"
            + " WHERE account_id = :accountId AND confirmed_at IS NULL")
    int confirm(String accountId, long step, Instant now);

    /**
     * Accepts the code of {@code step} once: 1 if no code of this or a later step was accepted
     * before (RFC 6238 section 5.2: a verifier must not accept the same code twice).
     */
    @Query(
        "UPDATE account_totp SET last_used_step = :step WHERE account_id = :accountId"
            + " AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < :step)")
    int useStep(String accountId, long step);
  }

  @JdbcRepository(dialect = Dialect.MYSQL)
  interface RecoveryCodeRepository extends CrudRepository<RecoveryCode, String> {
    @Query(
        "UPDATE account_recovery_codes SET used_at = :now WHERE account_id = :accountId"
            + " AND code_hash = :codeHash AND used_at IS NULL")
    int use(String accountId, String codeHash, Instant now);

    long countByAccountIdAndUsedAtIsNull(String accountId);

    void deleteByAccountId(String accountId);
  }
}
