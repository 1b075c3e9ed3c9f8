package uk.gov.residentportal.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.time.LocalDate;

/** A row of {@code accounts}. Never crosses the HTTP boundary; {@link #toString()} is safe. */
@MappedEntity("accounts")
record Account(
    @Id String id,
    @Nullable String email,
    @Nullable Instant emailVerifiedAt,
    @Nullable String passwordHash,
    @Nullable String givenName,
    @Nullable String familyName,
    @Nullable String postcode,
    @Nullable LocalDate dateOfBirth,
    @Nullable String nhsNumber,
    Assurance assurance,
    AccountStatus status,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant lastSignInAt,
    @Nullable Instant deletedAt) {

  boolean emailVerified() {
    return emailVerifiedAt != null;
  }

  /** What erasure leaves: the pseudonymous id, status and dates, nothing personal. */
  Account erased(Instant now) {
    return new Account(
        id,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        assurance,
        AccountStatus.ERASED,
        createdAt,
        now,
        lastSignInAt,
        now);
  }

  @Override
  public String toString() {
    return "Account[id=" + id + ", status=" + status + ", assurance=" + assurance + "]";
  }
}
