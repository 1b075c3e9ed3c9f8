package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.VerifyAuditCommand;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.shared.PortalConfig;

/**
 * When the key ring changes (ADR 0004): at start-up (import the key files, complete the ring,
 * rotate if due), every minute (rotate once the ACTIVE key has signed for {@code
 * PORTAL_KEYS_ROTATION_PERIOD}) and when an administrator asks. Every replica runs the checks; the
 * database lets only one of them rotate.
 */
// Only where there is a database to keep the ring in (a context without one, as in the email
// sender tests, has nothing to rotate).
@Singleton
@Requires(beans = javax.sql.DataSource.class)
@Requires(notEnv = VerifyAuditCommand.ENVIRONMENT) // the read-only --verify-audit writes nothing
final class KeyRotation implements ApplicationEventListener<StartupEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);
  // A rotation that loses a race reads the ring again; a handful of replicas cannot lose more.
  private static final int ATTEMPTS = 5;

  private final KeyRing ring;
  private final SigningKeys keys;
  private final Path dir;

  KeyRotation(KeyRing ring, SigningKeys keys, KeysConfig config, PortalConfig portal) {
    this.ring = ring;
    this.keys = keys;
    this.dir =
        PortalConfig.isSet(config.dir())
            ? Path.of(config.dir())
            : Path.of(portal.dataDir()).resolve("keys");
    if (config.rotationPeriod().compareTo(JwksEndpoint.MAX_AGE.multipliedBy(2)) < 0) {
      // A NEXT key must be published well before it signs (cached JWKS), and keys rotating
      // every few minutes would mean a JWKS that never settles.
      throw new IllegalStateException(
          "PORTAL_KEYS_ROTATION_PERIOD must be at least "
              + JwksEndpoint.MAX_AGE.multipliedBy(2).toMinutes()
              + " minutes");
    }
  }

  /** Runs before the server takes requests, so the first token is signed by the shared ring. */
  @Override
  public void onApplicationEvent(StartupEvent event) {
    startUp();
  }

  void startUp() {
    ring.importKeys(KeyFiles.read(dir));
    ring.complete();
    rotate(true, Actor.system());
    keys.reload();
  }

  /** The scheduled check: rotates when the ACTIVE key is older than the rotation period. */
  @Scheduled(initialDelay = "1m", fixedDelay = "1m")
  void rotateIfDue() {
    rotate(true, Actor.system()).ifPresent(r -> LOG.info("automatic rotation done"));
  }

  /** An administrator's rotation: always rotates. */
  KeyRotationResult rotateNow(Actor admin) {
    return rotate(false, admin).orElseThrow();
  }

  private Optional<KeyRotationResult> rotate(boolean onlyIfDue, Actor actor) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      KeyRing.Attempt result = ring.rotateOnce(onlyIfDue, actor);
      switch (result.outcome()) {
        case ROTATED -> {
          keys.reload();
          return Optional.of(result.result());
        }
        case NOT_DUE -> {
          return Optional.empty();
        }
        case NO_ACTIVE_KEY -> ring.complete();
        case LOST_RACE -> {
          if (onlyIfDue) {
            // Another replica rotated the key that was due; the new one is not.
            keys.reload();
            return Optional.empty();
          }
        }
      }
    }
    throw new IllegalStateException("The signing keys could not be rotated: too many races");
  }
}
