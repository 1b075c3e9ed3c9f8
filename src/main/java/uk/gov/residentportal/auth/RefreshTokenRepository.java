package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface RefreshTokenRepository extends GenericRepository<RefreshToken, String> {
  RefreshToken save(RefreshToken token);

  Optional<RefreshToken> findByTokenHash(String tokenHash);

  List<RefreshToken> findByAccountId(String accountId);

  List<RefreshToken> findBySessionId(String sessionId);

  /** Any token of a grant: they all carry the grant's session. */
  Optional<RefreshToken> findFirstByFamilyId(String familyId);

  /** Rotation under concurrency: only one request may rotate a given token. */
  @Query(
      "UPDATE refresh_tokens SET rotated_at = :now"
          + " WHERE id = :id AND rotated_at IS NULL AND revoked_at IS NULL")
  int markRotated(String id, Instant now);

  @Query(
      "UPDATE refresh_tokens SET revoked_at = :now WHERE family_id = :familyId AND revoked_at IS NULL")
  int revokeFamily(String familyId, Instant now);

  @Query(
      "UPDATE refresh_tokens SET revoked_at = :now"
          + " WHERE account_id = :accountId AND revoked_at IS NULL")
  int revokeAccount(String accountId, Instant now);
}
