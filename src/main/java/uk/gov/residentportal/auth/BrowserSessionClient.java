package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code browser_session_clients}: a client that got a code in a session. */
@MappedEntity("browser_session_clients")
record BrowserSessionClient(@Id String id, String sessionId, String clientId, Instant createdAt) {}
