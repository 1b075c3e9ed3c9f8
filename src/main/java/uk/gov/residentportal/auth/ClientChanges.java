package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;
import java.util.List;

/** PATCH of a client: the fields given replace the registered ones; the type never changes. */
@Serdeable
@Schema(name = "ClientChanges")
record ClientChanges(
    @Nullable @Size(min = 1, max = 200, message = "must be 1 to {max} characters") String name,
    @Nullable @Size(max = 20, message = "must have at most {max} entries")
        List<String> redirectUris,
    @Nullable @Size(max = 20, message = "must have at most {max} entries")
        List<String> postLogoutRedirectUris,
    @Nullable @Size(max = 50, message = "must have at most {max} entries") List<String> scopes) {}
