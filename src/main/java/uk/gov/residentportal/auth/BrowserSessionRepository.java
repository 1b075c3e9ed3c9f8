package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface BrowserSessionRepository extends GenericRepository<BrowserSession, String> {
  BrowserSession save(BrowserSession session);

  Optional<BrowserSession> findById(String id);

  Optional<BrowserSession> findBySecretHash(String secretHash);

  /** The account's sessions that have not been ended (some may have expired). */
  List<BrowserSession> findByAccountIdAndEndedAtIsNull(String accountId);

  /** The account's newest sessions not ended, newest first. */
  @Query(
      "SELECT * FROM browser_sessions WHERE account_id = :accountId AND ended_at IS NULL"
          + " ORDER BY created_at DESC, id LIMIT 100")
  List<BrowserSession> findNewestOpen(String accountId);

  List<BrowserSession> findByAccountId(String accountId);

  /** The sliding idle timeout moves on; at most once a minute per session (see BrowserSessions). */
  @Query(
      "UPDATE browser_sessions SET last_seen_at = :now, idle_expires_at = :idleExpiresAt"
          + " WHERE id = :id AND ended_at IS NULL")
  int touch(String id, Instant now, Instant idleExpiresAt);

  /** Only the first of concurrent ends sees 1. */
  @Query("UPDATE browser_sessions SET ended_at = :now WHERE id = :id AND ended_at IS NULL")
  int end(String id, Instant now);

  /** Ended or expired sessions past their grace period. */
  @Query(
      "DELETE FROM browser_sessions WHERE ended_at < :before OR expires_at < :before"
          + " OR idle_expires_at < :before")
  int deleteFinished(Instant before);
}
