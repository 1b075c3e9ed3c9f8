package uk.gov.residentportal.shared;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the few secrets the service must be able to read back (a resident's TOTP seed, say),
 * where a hash will not do: AES-256-GCM under a key-encryption key (KEK) that is never in the
 * database, so a dump alone yields nothing usable (DESIGN.md section 3). Each value has a random
 * 96-bit IV and is bound to what it belongs to (associated data), so a sealed value copied to
 * another row does not open.
 *
 * <p>The KEK is {@code PORTAL_KEYS_ENCRYPTION_KEY} (base64 of 32 bytes, from a Kubernetes secret in
 * production) or, when key generation is allowed (the embedded default), a file {@code kek} created
 * once in the keys folder.
 */
@Singleton
public final class SecretBox {
  private static final byte VERSION = 1;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecureRandom random;
  private final @Nullable String configured;
  private final Path kekFile;
  private final boolean generate;
  private volatile SecretKey kek;

  SecretBox(
      SecureRandom random,
      PortalConfig portal,
      @Nullable @Value("${portal.keys.encryption-key:}") String configured,
      @Nullable @Value("${portal.keys.dir:}") String keysDir,
      @Value("${portal.keys.generate:true}") boolean generate) {
    this.random = random;
    this.configured = configured;
    this.kekFile =
        (PortalConfig.isSet(keysDir) ? Path.of(keysDir) : Path.of(portal.dataDir()).resolve("keys"))
            .resolve("kek");
    this.generate = generate;
  }

  /** {@code plaintext} encrypted and bound to {@code context}; base64 text for a column. */
  public String seal(byte[] plaintext, String context) {
    try {
      byte[] iv = new byte[IV_BYTES];
      random.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, kek(), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      ByteBuffer out = ByteBuffer.allocate(1 + IV_BYTES + sealed.length);
      out.put(VERSION).put(iv).put(sealed);
      return Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot encrypt", e);
    }
  }

  /** The plaintext of {@link #seal}; fails if the value was changed or belongs elsewhere. */
  public byte[] open(String sealed, String context) {
    try {
      byte[] bytes = Base64.getDecoder().decode(sealed);
      if (bytes.length < 1 + IV_BYTES + TAG_BITS / 8 || bytes[0] != VERSION) {
        throw new IllegalStateException("Not a sealed value");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, kek(), new GCMParameterSpec(TAG_BITS, bytes, 1, IV_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(bytes, 1 + IV_BYTES, bytes.length - 1 - IV_BYTES);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("A sealed value does not open with this key", e);
    }
  }

  private SecretKey kek() {
    SecretKey current = kek;
    if (current == null) {
      synchronized (this) {
        current = kek;
        if (current == null) {
          current = new SecretKeySpec(loadKek(), "AES");
          kek = current;
        }
      }
    }
    return current;
  }

  private byte[] loadKek() {
    if (PortalConfig.isSet(configured)) {
      return decoded(configured.strip(), "PORTAL_KEYS_ENCRYPTION_KEY");
    }
    try {
      if (!Files.exists(kekFile)) {
        if (!generate) {
          throw new IllegalStateException(
              "PORTAL_KEYS_ENCRYPTION_KEY is not set and PORTAL_KEYS_GENERATE is false: give the"
                  + " service its key-encryption key (base64 of 32 random bytes).");
        }
        createKekFile();
      }
      return decoded(
          Files.readString(kekFile, StandardCharsets.US_ASCII).strip(), kekFile.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the key-encryption key " + kekFile, e);
    }
  }

  private void createKekFile() throws IOException {
    byte[] key = new byte[32];
    random.nextBytes(key);
    Files.createDirectories(kekFile.getParent());
    Path temp = Files.createTempFile(kekFile.getParent(), ".kek", ".tmp");
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Best effort on file systems without POSIX permissions.
    }
    Files.writeString(temp, Base64.getEncoder().encodeToString(key) + "\n");
    try {
      // A hard link appears whole and fails if the name exists: when two processes race, the
      // first file wins and both read it (a rename would silently replace it).
      Files.createLink(kekFile, temp);
    } catch (FileAlreadyExistsException anotherProcessWasFirst) {
      // Read below.
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static byte[] decoded(String base64, String source) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(source + " is not base64", e);
    }
    if (key.length != 32) {
      throw new IllegalStateException(source + " must be 32 bytes (256 bits), base64-encoded");
    }
    return key;
  }
}
