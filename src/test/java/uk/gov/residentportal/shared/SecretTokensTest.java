package uk.gov.residentportal.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Emailed tokens, codes and refresh tokens: 256 random bits, base64url, kept only as SHA-256. */
class SecretTokensTest {

  /** Randomness that gives the same bytes every time, so the encoding can be checked exactly. */
  private static SecureRandom fixedBytes(byte value) {
    return new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(byte[] bytes) {
        Arrays.fill(bytes, value);
      }
    };
  }

  @Test
  void encodes32RandomBytesAs43Base64UrlCharacters() {
    assertThat(new SecretTokens(fixedBytes((byte) 0)).generate()).isEqualTo("A".repeat(43));
    assertThat(new SecretTokens(fixedBytes((byte) 0xFF)).generate())
        .isEqualTo("_".repeat(42) + "8");
  }

  @Test
  void takesItsRandomnessFromTheInjectedSource() {
    SecretTokens tokens = new SecretTokens(new SecureRandom());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String token = tokens.generate();
      assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]{43}");
      assertThat(SecretTokens.wellFormed(token)).isTrue();
      seen.add(token);
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void hashesWithSha256AsLowerCaseHex() {
    // FIPS 180-2 test vector.
    assertThat(SecretTokens.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void hashesTheUtf8BytesOfTheToken() {
    assertThat(SecretTokens.hash("é")).isEqualTo(SecretTokens.hash("\u00e9")).hasSize(64);
    assertThat(SecretTokens.hash("é")).isNotEqualTo(SecretTokens.hash("e\u0301"));
  }

  @ParameterizedTest(name = "\"{0}\" is not a token we issue")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAÄ",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA٩"
      })
  void refusesAnythingNotShapedLikeOurTokens(String text) {
    assertThat(SecretTokens.wellFormed(text)).isFalse();
  }

  @Test
  void acceptsEveryBase64UrlCharacter() {
    assertThat(SecretTokens.wellFormed("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn-_0")).isTrue();
    assertThat(SecretTokens.wellFormed("opqrstuvwxyz0123456789-_ABCDEFGHIJKLMNOPQRS")).isTrue();
  }
}
