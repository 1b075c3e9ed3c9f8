package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Lifetimes of what the provider issues. Built at start-up ({@link Context}) so that a machine
 * token lifetime outside 5 to 10 minutes stops the service with a message naming the setting.
 */
@Context
@ConfigurationProperties("portal.tokens")
record TokenConfig(
    @NotNull Duration accessTokenTtl,
    @NotNull Duration idTokenTtl,
    @NotNull Duration refreshTokenTtl,
    @NotNull Duration authorizationCodeTtl,
    @NotNull Duration machineTokenTtl) {

  static final Duration MIN_MACHINE_TOKEN_TTL = Duration.ofMinutes(5);
  static final Duration MAX_MACHINE_TOKEN_TTL = Duration.ofMinutes(10);

  TokenConfig {
    // DESIGN.md section 4: access tokens live 5 to 10 minutes; machines get no refresh token, so
    // shorter would only add token requests, longer would widen what a leaked token can do.
    if (machineTokenTtl != null
        && (machineTokenTtl.compareTo(MIN_MACHINE_TOKEN_TTL) < 0
            || machineTokenTtl.compareTo(MAX_MACHINE_TOKEN_TTL) > 0)) {
      throw new IllegalArgumentException(
          "PORTAL_MACHINE_TOKEN_TTL must be between 5m and 10m, not " + machineTokenTtl);
    }
  }
}
