package uk.gov.residentportal.shared;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer secrets (emailed tokens, authorization codes, refresh tokens): 256-bit random values
 * handed out once and kept only as their SHA-256 (DESIGN.md section 3), so a database dump gives no
 * usable credential.
 */
@Singleton
public final class SecretTokens {
  private final SecureRandom random;

  public SecretTokens(SecureRandom random) {
    this.random = random;
  }

  /** A new 256-bit value, base64url without padding (43 characters). */
  public String generate() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form of a token: lowercase hex SHA-256. */
  public static String hash(String token) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /**
   * Tokens we issue are 43 base64url characters; anything else cannot match and is not looked up.
   */
  public static boolean wellFormed(String token) {
    return token != null && token.length() == 43 && token.chars().allMatch(SecretTokens::base64url);
  }

  private static boolean base64url(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }
}
