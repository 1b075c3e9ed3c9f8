package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;

/**
 * The deny-list of access tokens revoked before they expire (RFC 7009 section 2): one token by its
 * {@code jti}, or every access token of a grant by its {@code grant_id} (the refresh-token family).
 * In the database, so every replica refuses a revoked token from the next request on. Entries live
 * only as long as the tokens they stop.
 */
@Singleton
final class Revocations {
  private final TokenRevocationRepository revocations;
  private final TokenConfig config;
  private final Clock clock;

  Revocations(TokenRevocationRepository revocations, TokenConfig config, Clock clock) {
    this.revocations = revocations;
    this.config = config;
    this.clock = clock;
  }

  /** Stops one access token until it would have expired anyway. */
  void revokeToken(String jti, Instant expiresAt) {
    add(jti, TokenRevocation.Kind.TOKEN, expiresAt);
  }

  /** Stops every access token issued for the grant; none outlives the access token lifetime. */
  void revokeGrant(String grantId) {
    add(grantId, TokenRevocation.Kind.GRANT, clock.instant().plus(config.accessTokenTtl()));
  }

  boolean isRevoked(String jti, @Nullable String grantId) {
    return revocations.countRevoked(jti, grantId == null ? jti : grantId, clock.instant()) > 0;
  }

  private void add(String id, TokenRevocation.Kind kind, Instant expiresAt) {
    if (revocations.existsById(id)) {
      return;
    }
    try {
      revocations.save(new TokenRevocation(id, kind, clock.instant(), expiresAt));
    } catch (DataAccessException alreadyRevokedByAnotherRequest) {
      // The same id revoked at the same moment elsewhere: the row is there, which is the point.
    }
  }
}
