package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Where signing keys live: {@code PORTAL_KEYS_DIR} (a mounted Kubernetes secret in production),
 * else {@code <PORTAL_DATA_DIR>/keys}. With {@code generate} on (the first-run default), an empty
 * folder gets a new key.
 */
@ConfigurationProperties("portal.keys")
record KeysConfig(@Nullable String dir, boolean generate) {}
