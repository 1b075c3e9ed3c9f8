package uk.gov.residentportal.account;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface AccountRepository extends CrudRepository<Account, String> {

  Optional<Account> findByEmail(String email);

  @Query(
      "UPDATE accounts SET email_verified_at = :now, status = 'ACTIVE', updated_at = :now"
          + " WHERE id = :id AND status = 'PENDING_VERIFICATION'")
  int markVerified(String id, Instant now);

  @Query(
      "UPDATE accounts SET password_hash = :passwordHash, updated_at = :now,"
          + " email_verified_at = COALESCE(email_verified_at, :now), status = 'ACTIVE'"
          + " WHERE id = :id AND status <> 'ERASED'")
  int updatePassword(String id, String passwordHash, Instant now);

  /** Re-hash on sign-in: only replaces the hash that was just checked. */
  @Query("UPDATE accounts SET password_hash = :newHash WHERE id = :id AND password_hash = :oldHash")
  int rehash(String id, String oldHash, String newHash);

  void updateLastSignInAt(@Id String id, Instant lastSignInAt);
}
