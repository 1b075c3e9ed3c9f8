package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * The ring after a rotation. {@code nextKid} is absent when no NEXT key could be made (generation
 * off); {@code warning} says when the new ACTIVE key was published too recently for every relying
 * party's cached JWKS to hold it.
 */
@Serdeable
@Schema(name = "KeyRotation")
record KeyRotationResult(
    String activeKid,
    @Nullable String nextKid,
    String retiredKid,
    Instant retiredPublishedUntil,
    @Nullable String warning) {}
