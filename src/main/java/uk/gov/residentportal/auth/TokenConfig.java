package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** Lifetimes of what the provider issues. */
@ConfigurationProperties("portal.tokens")
record TokenConfig(
    @NotNull Duration accessTokenTtl,
    @NotNull Duration idTokenTtl,
    @NotNull Duration refreshTokenTtl,
    @NotNull Duration authorizationCodeTtl) {}
