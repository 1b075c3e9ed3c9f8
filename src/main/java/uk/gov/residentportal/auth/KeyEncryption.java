package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.PortalConfig;
import uk.gov.residentportal.shared.SecretBox;

/**
 * Encrypts the private signing keys stored in the database under the key-encryption key (KEK), so a
 * database dump alone gives no usable signing key (DESIGN.md section 3, ADR 0004): {@link
 * SecretBox} (AES-256-GCM) with the kid as additional authenticated data, so a ciphertext copied
 * onto another row does not decrypt. Provides the same {@link SecretBox} to other features.
 *
 * <p>The KEK is {@code PORTAL_KEYS_ENCRYPTION_KEY} (base64 of 32 random bytes; every replica gets
 * the same one from the Kubernetes secret). Only on the embedded single-node database is it
 * generated, once, into {@code <PORTAL_DATA_DIR>/keys/kek}. Built at start-up: without a KEK the
 * service stops with a message saying what to set.
 */
@Context
final class KeyEncryption {
  private static final Logger LOG = LoggerFactory.getLogger(KeyEncryption.class);
  static final int KEK_BYTES = 32;
  static final int IV_BYTES = SecretBox.IV_BYTES;

  private final SecretBox box;

  @Inject
  KeyEncryption(
      KeysConfig config,
      PortalConfig portal,
      SecureRandom random,
      @Value("${datasources.default.url:}") String datasourceUrl) {
    this(
        resolve(
            config,
            Path.of(portal.dataDir()).resolve("keys").resolve("kek"),
            datasourceUrl.startsWith("jdbc:h2:"),
            random),
        random);
  }

  KeyEncryption(byte[] kek, SecureRandom random) {
    this.box = new SecretBox(kek, random);
  }

  /** The same KEK for other features' secrets (a resident's TOTP seed). */
  SecretBox box() {
    return box;
  }

  /** A private key sealed for one kid: the IV and the ciphertext with its 128-bit tag. */
  record Sealed(byte[] iv, byte[] ciphertext) {}

  Sealed seal(String kid, String privateJwk) {
    SecretBox.Sealed sealed = box.seal(kid, privateJwk.getBytes(StandardCharsets.UTF_8));
    return new Sealed(sealed.iv(), sealed.ciphertext());
  }

  String open(String kid, byte[] iv, byte[] ciphertext) {
    try {
      return new String(box.open(kid, iv, ciphertext), StandardCharsets.UTF_8);
    } catch (SecretBox.WrongKey e) {
      throw new IllegalStateException(
          "The signing key kid="
              + kid
              + " cannot be decrypted: PORTAL_KEYS_ENCRYPTION_KEY is not the key it was stored"
              + " under (every replica needs the same one).",
          e);
    }
  }

  /**
   * The KEK: from the setting, else from the file, else (embedded database with generation allowed)
   * a new one written to the file. Anything else is a configuration error that stops start-up.
   */
  static byte[] resolve(KeysConfig config, Path file, boolean embedded, SecureRandom random) {
    if (PortalConfig.isSet(config.encryptionKey())) {
      return decode(config.encryptionKey().strip(), "PORTAL_KEYS_ENCRYPTION_KEY");
    }
    try {
      if (Files.isRegularFile(file)) {
        return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
      }
      if (!config.generate()) {
        throw new IllegalStateException(
            "No key-encryption key for the signing keys: set PORTAL_KEYS_ENCRYPTION_KEY (32 random"
                + " bytes in base64, e.g. `openssl rand -base64 32`). PORTAL_KEYS_GENERATE is false,"
                + " so none is generated.");
      }
      if (!embedded) {
        throw new IllegalStateException(
            "No key-encryption key for the signing keys: set PORTAL_KEYS_ENCRYPTION_KEY (32 random"
                + " bytes in base64, e.g. `openssl rand -base64 32`), the same on every replica."
                + " It is generated only for the embedded database.");
      }
      return generate(file, random);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write the key-encryption key " + file, e);
    }
  }

  private static byte[] decode(String base64, String source) {
    byte[] key;
    try {
      key =
          base64.indexOf('-') >= 0 || base64.indexOf('_') >= 0
              ? Base64.getUrlDecoder().decode(base64)
              : Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(source + " is not base64", e);
    }
    if (key.length != KEK_BYTES) {
      throw new IllegalStateException(
          source + " must hold 32 random bytes in base64 (e.g. `openssl rand -base64 32`)");
    }
    return key;
  }

  private static byte[] generate(Path file, SecureRandom random) throws IOException {
    byte[] key = new byte[KEK_BYTES];
    random.nextBytes(key);
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), ".kek", ".tmp");
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Best effort on file systems without POSIX permissions.
    }
    Files.writeString(temp, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
    try {
      // No replace: if another process wrote the file first, its key is the one to use.
      Files.move(temp, file);
    } catch (FileAlreadyExistsException lostTheRace) {
      Files.delete(temp);
      return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
    }
    LOG.info("generated the key-encryption key for signing keys in {}", file);
    return key;
  }
}
