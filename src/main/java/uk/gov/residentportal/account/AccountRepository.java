package uk.gov.residentportal.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface AccountRepository extends CrudRepository<Account, String> {

  Optional<Account> findByEmail(String email);

  List<Account> findByNhsNumberAndDateOfBirth(String nhsNumber, LocalDate dateOfBirth);

  /**
   * The account's row, locked until the transaction ends: erasure and the changes that must not
   * outlive it (a new link to council records) take this lock first, so they run one after the
   * other. A locking read, so it opens no consistent-read snapshot.
   */
  @Query("SELECT * FROM accounts WHERE id = :id FOR UPDATE")
  Optional<Account> findByIdForUpdate(String id);

  @Query("SELECT COUNT(*) FROM accounts WHERE status <> 'ERASED'")
  long countNotErased();

  @Query("SELECT COUNT(*) FROM accounts WHERE status <> 'ERASED' AND email_verified_at IS NOT NULL")
  long countVerified();

  @Query("SELECT COUNT(*) FROM accounts WHERE status <> 'ERASED' AND assurance <> 'P0'")
  long countLinked();

  @Query("SELECT COUNT(*) FROM accounts WHERE status = 'ERASED'")
  long countErased();

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

  @Query(
      "UPDATE accounts SET given_name = :givenName, family_name = :familyName,"
          + " postcode = :postcode, date_of_birth = :dateOfBirth, nhs_number = :nhsNumber,"
          + " updated_at = :now WHERE id = :id AND status = 'ACTIVE'")
  int updateProfile(
      String id,
      String givenName,
      String familyName,
      @Nullable String postcode,
      @Nullable LocalDate dateOfBirth,
      @Nullable String nhsNumber,
      Instant now);

  /** A newer sign-up for a not yet verified address takes the account over. */
  @Query(
      "UPDATE accounts SET password_hash = :passwordHash, given_name = :givenName,"
          + " family_name = :familyName, postcode = :postcode, date_of_birth = :dateOfBirth,"
          + " updated_at = :now WHERE id = :id AND status = 'PENDING_VERIFICATION'")
  int replaceUnverified(
      String id,
      String passwordHash,
      String givenName,
      String familyName,
      @Nullable String postcode,
      @Nullable LocalDate dateOfBirth,
      Instant now);

  /** Sets the assurance only when it is {@code from} now (concurrent changes are never undone). */
  @Query(
      "UPDATE accounts SET assurance = :to, updated_at = :now"
          + " WHERE id = :id AND status = 'ACTIVE' AND assurance = :from")
  int changeAssurance(String id, String from, String to, Instant now);
}
