package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * PATCH of a client: the fields given replace the registered ones, under the same rules as a
 * registration. The type, sourceSystem and organisationOds never change; {@code jwks} replaces the
 * whole key set (key rotation: register the new key next to the old, then drop the old); {@code
 * rateLimit} replaces a partner's own rate limit, and an empty one removes it.
 */
@Serdeable
@Schema(name = "ClientChanges")
record ClientChanges(
    @Nullable @Size(min = 1, max = 200, message = "must be 1 to {max} characters") String name,
    @Nullable @Size(max = 20, message = "must have at most {max} entries")
        List<String> redirectUris,
    @Nullable @Size(max = 20, message = "must have at most {max} entries")
        List<String> postLogoutRedirectUris,
    @Nullable String backchannelLogoutUri,
    @Nullable @Size(max = 50, message = "must have at most {max} entries") List<String> scopes,
    @Nullable @Schema(description = "A JSON Web Key Set of public signing keys")
        Map<String, Object> jwks,
    // PARTNER only: replaces the client's own rate limit; {} returns it to the default. Optional
    // though not @Nullable: a $ref alone, as OpenAPI 3.0 allows no "nullable" beside it.
    ClientRegistration.RateLimit rateLimit) {}
