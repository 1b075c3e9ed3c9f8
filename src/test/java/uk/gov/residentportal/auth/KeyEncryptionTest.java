package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key-encryption key: where it comes from, and what it protects. */
class KeyEncryptionTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static KeysConfig config(boolean generate, String encryptionKey) {
    return new KeysConfig(
        null, generate, encryptionKey, Duration.ofDays(30), Duration.ofSeconds(30));
  }

  private static byte[] randomKek() {
    byte[] kek = new byte[32];
    RANDOM.nextBytes(kek);
    return kek;
  }

  @Nested
  class StartUpCheck {
    @Test
    void stopsWithAClearMessage_whenThereIsNoKekAndGenerationIsOff(@TempDir Path data) {
      assertThatThrownBy(
              () -> KeyEncryption.resolve(config(false, ""), data.resolve("kek"), true, RANDOM))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("set PORTAL_KEYS_ENCRYPTION_KEY")
          .hasMessageContaining("PORTAL_KEYS_GENERATE is false");
      assertThat(data.resolve("kek")).doesNotExist();
    }

    @Test
    void stopsWithAClearMessage_whenAReplicaOfASharedDatabaseHasNoKek(@TempDir Path data) {
      assertThatThrownBy(
              () -> KeyEncryption.resolve(config(true, null), data.resolve("kek"), false, RANDOM))
          .hasMessageContaining("set PORTAL_KEYS_ENCRYPTION_KEY")
          .hasMessageContaining("the same on every replica");
    }

    @Test
    void refusesAKekThatIsNot32Bytes() {
      String short16 = Base64.getEncoder().encodeToString(new byte[16]);
      assertThatThrownBy(
              () -> KeyEncryption.resolve(config(true, short16), Path.of("unused"), true, RANDOM))
          .hasMessageContaining("32 random bytes");
      assertThatThrownBy(
              () -> KeyEncryption.resolve(config(true, "not base64!"), Path.of("x"), true, RANDOM))
          .hasMessageContaining("not base64");
    }

    @Test
    void takesTheConfiguredKek() {
      byte[] kek = randomKek();
      assertThat(
              KeyEncryption.resolve(
                  config(false, Base64.getEncoder().encodeToString(kek)),
                  Path.of("unused"),
                  false,
                  RANDOM))
          .isEqualTo(kek);
    }

    @Test
    void generatesTheKekOnceOnTheEmbeddedDatabase_readableByTheOwnerOnly(@TempDir Path data)
        throws Exception {
      Path file = data.resolve("keys").resolve("kek");

      byte[] first = KeyEncryption.resolve(config(true, null), file, true, RANDOM);
      byte[] second = KeyEncryption.resolve(config(true, null), file, true, RANDOM);

      assertThat(first).hasSize(32).isEqualTo(second);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII)))
          .isEqualTo(first);
    }
  }

  @Nested
  class Sealing {
    @Test
    void opensWhatItSealed_withAFreshIvEachTime() {
      KeyEncryption encryption = new KeyEncryption(randomKek(), RANDOM);

      KeyEncryption.Sealed a = encryption.seal("kid-1", "{\"d\":\"secret\"}");
      KeyEncryption.Sealed b = encryption.seal("kid-1", "{\"d\":\"secret\"}");

      assertThat(a.iv()).hasSize(12).isNotEqualTo(b.iv());
      assertThat(new String(a.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("secret");
      assertThat(encryption.open("kid-1", a.iv(), a.ciphertext())).isEqualTo("{\"d\":\"secret\"}");
    }

    @Test
    void refusesAnotherKek_andACiphertextMovedToAnotherKid() {
      KeyEncryption.Sealed sealed = new KeyEncryption(randomKek(), RANDOM).seal("kid-1", "{}");

      assertThatThrownBy(
              () ->
                  new KeyEncryption(randomKek(), RANDOM)
                      .open("kid-1", sealed.iv(), sealed.ciphertext()))
          .hasMessageContaining("PORTAL_KEYS_ENCRYPTION_KEY is not the key");
      KeyEncryption right = new KeyEncryption(randomKek(), RANDOM);
      KeyEncryption.Sealed mine = right.seal("kid-1", "{}");
      assertThatThrownBy(() -> right.open("kid-2", mine.iv(), mine.ciphertext()))
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
