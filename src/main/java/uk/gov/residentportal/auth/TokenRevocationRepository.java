package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;

@JdbcRepository(dialect = Dialect.MYSQL)
interface TokenRevocationRepository extends GenericRepository<TokenRevocation, String> {

  TokenRevocation save(TokenRevocation revocation);

  boolean existsById(String revokedId);

  @Query(
      "SELECT COUNT(*) FROM token_revocations"
          + " WHERE revoked_id IN (:jti, :grantId) AND expires_at > :now")
  long countRevoked(String jti, String grantId, Instant now);

  @Query("DELETE FROM token_revocations WHERE expires_at < :before")
  int deleteExpired(Instant before);
}
