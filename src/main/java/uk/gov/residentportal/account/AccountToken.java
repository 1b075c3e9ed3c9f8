package uk.gov.residentportal.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code account_tokens}: the SHA-256 of an emailed one-time token, never the token. */
@MappedEntity("account_tokens")
record AccountToken(
    @Id String id,
    String accountId,
    Purpose purpose,
    String tokenHash,
    Instant createdAt,
    Instant expiresAt,
    @Nullable Instant usedAt) {

  enum Purpose {
    VERIFY_EMAIL,
    RESET_PASSWORD
  }

  @Override
  public String toString() {
    return "AccountToken[id=" + id + ", purpose=" + purpose + "]";
  }
}
