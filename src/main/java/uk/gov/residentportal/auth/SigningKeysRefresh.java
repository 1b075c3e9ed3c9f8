package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import uk.gov.residentportal.VerifyAuditCommand;

/**
 * Reloads the signing keys now and then: another replica may have rotated; a kid it introduced is
 * also found on demand (byKid). Not in the read-only {@code --verify-audit} command.
 */
@Singleton
@Requires(notEnv = VerifyAuditCommand.ENVIRONMENT)
final class SigningKeysRefresh {
  private final SigningKeys keys;

  SigningKeysRefresh(SigningKeys keys) {
    this.keys = keys;
  }

  @Scheduled(
      fixedDelay = "${portal.keys.reload-interval:30s}",
      initialDelay = "${portal.keys.reload-interval:30s}")
  void refresh() {
    keys.reload();
  }
}
