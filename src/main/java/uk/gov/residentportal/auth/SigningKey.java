package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A row of {@code signing_keys}: one key of the ring. The private JWK is held only sealed (see
 * {@link KeyEncryption}); {@code activeSlot} is 1 for the ACTIVE key and null otherwise, unique in
 * the database so that no race can leave two ACTIVE keys.
 */
@MappedEntity("signing_keys")
@SuppressWarnings("ArrayRecordComponent") // a row, compared by kid; the arrays are never shared
record SigningKey(
    @Id String kid,
    String alg,
    Status status,
    @Nullable Integer activeSlot,
    String publicJwk,
    byte[] privateJwkIv,
    byte[] privateJwkSealed,
    Instant createdAt,
    @Nullable Instant activatedAt,
    @Nullable Instant retiredAt,
    @Nullable Instant publishUntil) {

  @Schema(name = "SigningKeyStatus")
  enum Status {
    /** Published, not signing yet. */
    NEXT,
    /** Signs new tokens; exactly one. */
    ACTIVE,
    /** Signs no more; published until {@code publishUntil}, then deleted. */
    RETIRED
  }

  /** Since when this key has signed (keys imported as ACTIVE have no separate activation time). */
  Instant signingSince() {
    return activatedAt == null ? createdAt : activatedAt;
  }

  @Override
  public String toString() {
    // Never the sealed private key, even encrypted.
    return "SigningKey[kid=" + kid + ", status=" + status + "]";
  }
}
