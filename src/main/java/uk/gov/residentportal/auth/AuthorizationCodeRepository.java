package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface AuthorizationCodeRepository extends GenericRepository<AuthorizationCode, String> {
  AuthorizationCode save(AuthorizationCode code);

  Optional<AuthorizationCode> findById(String codeHash);

  /** Single use under concurrency: only the first redeemer sees 1. */
  @Query(
      "UPDATE authorization_codes SET used_at = :now WHERE code_hash = :codeHash AND used_at IS NULL")
  int markUsed(String codeHash, Instant now);

  @Query("DELETE FROM authorization_codes WHERE expires_at < :before")
  int deleteExpired(Instant before);

  @Query("DELETE FROM authorization_codes WHERE session_id = :sessionId AND used_at IS NULL")
  int deleteUnusedBySessionId(String sessionId);

  @Query("DELETE FROM authorization_codes WHERE account_id = :accountId")
  void deleteByAccountId(String accountId);
}
