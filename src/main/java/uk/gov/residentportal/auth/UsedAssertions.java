package uk.gov.residentportal.auth;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Instant;
import uk.gov.residentportal.shared.SecretTokens;

/**
 * Replay protection for client assertions (RFC 7523 section 3, item 7): each jti once per client
 * within its lifetime. In the database so that every replica sees it; the insert runs in its own
 * short transaction, committed before any token is issued, so of two parallel requests with the
 * same assertion exactly one passes, whichever replica each reaches.
 */
@Singleton
class UsedAssertions {
  private final UsedAssertionRepository repository;

  UsedAssertions(UsedAssertionRepository repository) {
    this.repository = repository;
  }

  /**
   * Records the jti as used until {@code expiresAt}; false when it was used before.
   *
   * @throws DataAccessException when the database fails for any other reason
   */
  @Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
  boolean firstUse(String clientId, String jti, Instant expiresAt) {
    try {
      repository.insert(clientId, SecretTokens.hash(jti), expiresAt);
      return true;
    } catch (DataAccessException e) {
      if (duplicateKey(e)) {
        return false;
      }
      throw e;
    }
  }

  /** SQLSTATE class 23 (integrity constraint violation): MySQL/MariaDB 1062, H2 23505. */
  private static boolean duplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("23")) {
        return true;
      }
    }
    return false;
  }
}
