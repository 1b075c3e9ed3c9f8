package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;

@JdbcRepository(dialect = Dialect.MYSQL)
interface UsedAssertionRepository extends GenericRepository<UsedAssertion, String> {

  /** Fails on the primary key when the client has used this jti before. */
  @Query(
      "INSERT INTO client_assertions (client_id, jti_hash, expires_at)"
          + " VALUES (:clientId, :jtiHash, :expiresAt)")
  void insert(String clientId, String jtiHash, Instant expiresAt);

  @Query("DELETE FROM client_assertions WHERE expires_at < :before")
  int deleteExpired(Instant before);
}
