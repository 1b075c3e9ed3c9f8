package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;

@JdbcRepository(dialect = Dialect.MYSQL)
interface SignInChallengeRepository extends CrudRepository<SignInChallenge, String> {
  /** Counts a wrong code; 1 while the challenge is still open after it. */
  @Query(
      "UPDATE sign_in_challenges SET attempts = attempts + 1"
          + " WHERE token_hash = :tokenHash AND attempts < :maxAttempts AND expires_at > :now")
  int countWrongCode(String tokenHash, int maxAttempts, Instant now);

  /** Spends the challenge: 1 for the one request that completes the sign-in. */
  @Query(
      "DELETE FROM sign_in_challenges"
          + " WHERE token_hash = :tokenHash AND attempts < :maxAttempts AND expires_at > :now")
  int spend(String tokenHash, int maxAttempts, Instant now);

  @Query("DELETE FROM sign_in_challenges WHERE expires_at < :before")
  int deleteExpired(Instant before);
}
