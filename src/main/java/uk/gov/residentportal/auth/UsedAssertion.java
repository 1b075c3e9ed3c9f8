package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A row of {@code client_assertions}: a client assertion's jti (as SHA-256) seen once. The table's
 * key is (client_id, jti_hash); rows are written only through {@link UsedAssertionRepository}'s
 * insert.
 */
@MappedEntity("client_assertions")
record UsedAssertion(@Id String jtiHash, String clientId, Instant expiresAt) {}
