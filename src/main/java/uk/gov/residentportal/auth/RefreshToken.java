package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code refresh_tokens}: the SHA-256 of an opaque refresh token. */
@MappedEntity("refresh_tokens")
record RefreshToken(
    @Id String id,
    String tokenHash,
    String familyId,
    String clientId,
    String accountId,
    String scope,
    String acr,
    Instant authTime,
    Instant createdAt,
    Instant expiresAt,
    @Nullable Instant rotatedAt,
    @Nullable Instant revokedAt,
    @Nullable String sessionId) {

  @Override
  public String toString() {
    return "RefreshToken[id=" + id + ", familyId=" + familyId + "]";
  }
}
