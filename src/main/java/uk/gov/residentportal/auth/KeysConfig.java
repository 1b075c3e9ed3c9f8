package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The signing-key ring's settings.
 *
 * @param dir PEM/JWK files imported into the ring at start-up: {@code PORTAL_KEYS_DIR} (a mounted
 *     Kubernetes secret in production), else {@code <PORTAL_DATA_DIR>/keys}
 * @param generate whether the service may generate signing keys itself (a NEXT key whenever the
 *     ring lacks one); when false the files must provide them
 * @param encryptionKey the key-encryption key, 32 bytes in base64; only on the embedded database
 *     may it be left out (it is then generated into {@code <PORTAL_DATA_DIR>/keys/kek})
 * @param rotationPeriod how long a key signs before the next one takes over
 * @param reloadInterval how often each replica reads the ring again (another replica may rotate)
 */
@ConfigurationProperties("portal.keys")
record KeysConfig(
    @Nullable String dir,
    boolean generate,
    @Nullable String encryptionKey,
    @NotNull Duration rotationPeriod,
    @NotNull Duration reloadInterval) {}
