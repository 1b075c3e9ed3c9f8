package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code token_revocations}: a revoked access token (jti) or grant (family id). */
@MappedEntity("token_revocations")
record TokenRevocation(@Id String revokedId, Kind kind, Instant revokedAt, Instant expiresAt) {
  enum Kind {
    TOKEN,
    GRANT
  }
}
