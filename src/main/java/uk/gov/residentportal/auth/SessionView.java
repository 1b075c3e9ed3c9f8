package uk.gov.residentportal.auth;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A signed-in device as the resident sees it in GET /api/v1/me/sessions. */
@Serdeable
@Schema(name = "Session")
record SessionView(
    @Schema(description = "The session id (the sid claim of ID tokens issued in it)") String id,
    @Schema(description = "The browser, e.g. \"Firefox on Windows\"") String device,
    Instant signedInAt,
    Instant lastSeenAt,
    @Schema(description = "When it ends unless used again") Instant idleExpiresAt,
    @Schema(description = "When it ends however much it is used") Instant expiresAt,
    @Schema(description = "True for the session the calling access token was issued in")
        boolean current,
    @Schema(description = "The council services signed in to in this session")
        List<String> services) {

  /** The list's body. */
  @Serdeable
  @Schema(name = "Sessions")
  record Page(List<SessionView> sessions) {}
}
