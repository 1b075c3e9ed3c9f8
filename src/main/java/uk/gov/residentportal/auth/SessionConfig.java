package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code portal.sessions.*}: how long a browser session lasts. Built while the service starts
 * ({@link Context}) so a wrong setting stops it with a message naming the variable.
 *
 * @param idleTimeout a session unused this long ends (PORTAL_SESSION_IDLE_TIMEOUT, 30m)
 * @param maxAge a session ends this long after sign-in however much it is used
 *     (PORTAL_SESSION_MAX_AGE, 12h); OWASP ASVS V3.3 asks for both limits
 */
@Context
@ConfigurationProperties("portal.sessions")
record SessionConfig(@NotNull Duration idleTimeout, @NotNull Duration maxAge) {
  SessionConfig {
    if (idleTimeout == null || idleTimeout.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException(
          "portal.sessions.idle-timeout (PORTAL_SESSION_IDLE_TIMEOUT) must be at least 1m");
    }
    if (maxAge == null
        || maxAge.compareTo(idleTimeout) < 0
        || maxAge.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException(
          "portal.sessions.max-age (PORTAL_SESSION_MAX_AGE) must be between the idle timeout and"
              + " 30d");
    }
  }
}
