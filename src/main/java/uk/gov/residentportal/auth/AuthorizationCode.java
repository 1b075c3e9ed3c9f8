package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code authorization_codes}: the SHA-256 of the code and what it was issued for. */
@MappedEntity("authorization_codes")
record AuthorizationCode(
    @Id String codeHash,
    String clientId,
    String accountId,
    String redirectUri,
    String codeChallenge,
    String scope,
    @Nullable String nonce,
    String acr,
    Instant authTime,
    String familyId,
    Instant createdAt,
    Instant expiresAt,
    @Nullable Instant usedAt,
    @Nullable String sessionId) {

  @Override
  public String toString() {
    return "AuthorizationCode[clientId=" + clientId + ", familyId=" + familyId + "]";
  }
}
