package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code browser_sessions}: the SHA-256 of the cookie value and who signed in how. */
@MappedEntity("browser_sessions")
record BrowserSession(
    @Id String id,
    String secretHash,
    String accountId,
    String acr,
    String amr,
    Instant authTime,
    Instant createdAt,
    Instant lastSeenAt,
    Instant idleExpiresAt,
    Instant expiresAt,
    @Nullable Instant endedAt,
    String device) {

  /** Not ended, and neither the idle nor the absolute limit passed. */
  boolean activeAt(Instant now) {
    return endedAt == null && idleExpiresAt.isAfter(now) && expiresAt.isAfter(now);
  }

  @Override
  public String toString() {
    return "BrowserSession[id=" + id + "]";
  }
}
