package uk.gov.residentportal.shared;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the few secrets the service must read back (private signing keys, residents' TOTP
 * seeds), where a hash will not do: AES-256-GCM (NIST SP 800-38D) under the key-encryption key
 * (KEK), which is never in the database, so a dump alone yields nothing usable (DESIGN.md section
 * 3, ADR 0004). Every value gets a random 96-bit IV and is bound to what it belongs to (the
 * associated data, e.g. a kid or an account id): a ciphertext copied onto another row does not
 * open. The KEK comes from {@code PORTAL_KEYS_ENCRYPTION_KEY}; the auth feature resolves it at
 * start-up and provides this bean.
 */
public final class SecretBox {
  public static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKeySpec kek;
  private final SecureRandom random;

  public SecretBox(byte[] kek, SecureRandom random) {
    if (kek.length != 32) {
      throw new IllegalArgumentException("the key-encryption key must be 32 bytes");
    }
    this.kek = new SecretKeySpec(kek, "AES");
    this.random = random;
  }

  /** A sealed value: the IV and the ciphertext with its 128-bit tag. */
  public record Sealed(byte[] iv, byte[] ciphertext) {}

  public Sealed seal(String context, byte[] plaintext) {
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      return new Sealed(iv, cipher(Cipher.ENCRYPT_MODE, iv, context).doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot encrypt", e);
    }
  }

  /**
   * The plaintext of {@link #seal}.
   *
   * @throws WrongKey when the value was sealed under another KEK, for another context, or changed
   */
  public byte[] open(String context, byte[] iv, byte[] ciphertext) {
    try {
      return cipher(Cipher.DECRYPT_MODE, iv, context).doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new WrongKey(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot decrypt", e);
    }
  }

  /** {@link #seal} as one base64 text (IV then ciphertext), for a single column. */
  public String sealToText(String context, byte[] plaintext) {
    Sealed sealed = seal(context, plaintext);
    return Base64.getEncoder()
        .encodeToString(
            ByteBuffer.allocate(IV_BYTES + sealed.ciphertext().length)
                .put(sealed.iv())
                .put(sealed.ciphertext())
                .array());
  }

  /** The plaintext of {@link #sealToText}. */
  public byte[] openText(String context, String text) {
    byte[] bytes = Base64.getDecoder().decode(text);
    if (bytes.length < IV_BYTES + TAG_BITS / 8) {
      throw new IllegalStateException("Not a sealed value");
    }
    return open(
        context,
        Arrays.copyOfRange(bytes, 0, IV_BYTES),
        Arrays.copyOfRange(bytes, IV_BYTES, bytes.length));
  }

  /**
   * A keyed hash (HMAC-SHA256, hex) of a low-entropy secret, such as a recovery code, for a
   * purpose: unlike a plain SHA-256 it cannot be reversed by trying every possible value without
   * the key-encryption key, which is never in the database. The HMAC key is derived from the KEK
   * per purpose, so the KEK itself is used for nothing but encryption.
   */
  public String keyedHash(String purpose, String value) {
    try {
      Mac derive = Mac.getInstance("HmacSHA256");
      derive.init(new SecretKeySpec(kek.getEncoded(), "HmacSHA256"));
      byte[] purposeKey =
          derive.doFinal(("keyed-hash:" + purpose).getBytes(StandardCharsets.UTF_8));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(purposeKey, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
    }
  }

  private Cipher cipher(int mode, byte[] iv, String context) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(mode, kek, new GCMParameterSpec(TAG_BITS, iv));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  /** The value does not open with this KEK and context. */
  public static final class WrongKey extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    WrongKey(Throwable cause) {
      super("The value does not open with this key-encryption key", cause);
    }
  }
}
