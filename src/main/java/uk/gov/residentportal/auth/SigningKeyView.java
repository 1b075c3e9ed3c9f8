package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A key of the ring as administrators see it: never any private part, not even encrypted. */
@Serdeable
@Schema(name = "SigningKey")
record SigningKeyView(
    String kid,
    String alg,
    SigningKey.Status status,
    Instant createdAt,
    @Nullable Instant activatedAt,
    @Nullable Instant retiredAt,
    @Nullable Instant publishUntil) {

  static SigningKeyView of(SigningKey key) {
    return new SigningKeyView(
        key.kid(),
        key.alg(),
        key.status(),
        key.createdAt(),
        key.activatedAt(),
        key.retiredAt(),
        key.publishUntil());
  }

  /** The whole ring: NEXT, ACTIVE, then RETIRED keys still published. */
  @Serdeable
  @Schema(name = "SigningKeyRing")
  record Ring(List<SigningKeyView> keys) {}
}
