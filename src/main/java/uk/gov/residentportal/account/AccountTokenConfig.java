package uk.gov.residentportal.account;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** Lifetimes of the one-time tokens sent by email. */
@ConfigurationProperties("portal.tokens")
record AccountTokenConfig(Duration emailVerificationTtl, Duration passwordResetTtl) {}
