package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
interface SigningKeyRepository extends GenericRepository<SigningKey, String> {

  List<SigningKey> findAllOrderByCreatedAt();

  /** A plain insert: a second ACTIVE key or a taken kid fails on the database's constraints. */
  SigningKey save(SigningKey key);

  /**
   * Adds a key unless its kid is in the ring already (replicas importing the same files at once).
   * INSERT IGNORE: MySQL, MariaDB and H2's MySQL mode.
   */
  @Query(
      "INSERT IGNORE INTO signing_keys (kid, alg, status, active_slot, public_jwk, private_jwk_iv,"
          + " private_jwk_sealed, created_at) VALUES (:kid, :alg, 'NEXT', NULL, :publicJwk,"
          + " :privateJwkIv, :privateJwkSealed, :createdAt)")
  int insertNextIfAbsent(
      String kid,
      String alg,
      String publicJwk,
      byte[] privateJwkIv,
      byte[] privateJwkSealed,
      Instant createdAt);

  /**
   * Retires the ACTIVE key; 0 rows when another transaction retired it first. The row lock this
   * takes is what serialises rotations across replicas.
   */
  @Query(
      "UPDATE signing_keys SET status = 'RETIRED', active_slot = NULL, retired_at = :now,"
          + " publish_until = :publishUntil WHERE kid = :kid AND status = 'ACTIVE'")
  int retire(String kid, Instant now, Instant publishUntil);

  /** Makes a NEXT key the ACTIVE one; the unique active_slot refuses a second ACTIVE key. */
  @Query(
      "UPDATE signing_keys SET status = 'ACTIVE', active_slot = 1, activated_at = :now"
          + " WHERE kid = :kid AND status = 'NEXT'")
  int activate(String kid, Instant now);

  @Query("DELETE FROM signing_keys WHERE status = 'RETIRED' AND publish_until < :now")
  int deleteExpired(Instant now);
}
