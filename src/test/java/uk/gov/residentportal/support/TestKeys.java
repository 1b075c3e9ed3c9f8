package uk.gov.residentportal.support;

import com.nimbusds.jose.jwk.JWK;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The service's signing keys as an outsider holding the database and the key-encryption key sees
 * them: read straight from {@code signing_keys} and decrypted here, independently of the service's
 * code (AES-256-GCM, 96-bit IV, kid as additional authenticated data), so the stored format is
 * checked too.
 */
public final class TestKeys {
  /** The KEK of this test run (support/TestDatabase sets it; the service reads it as config). */
  public static final String KEK_PROPERTY = "portal.keys.encryption-key";

  private TestKeys() {}

  public static byte[] kek() {
    return Base64.getDecoder().decode(System.getProperty(KEK_PROPERTY));
  }

  /** The private JWK with that kid, decrypted with the run's KEK. */
  public static JWK privateKey(String kid) {
    return privateKey(kid, kek());
  }

  /** The private JWK with that kid, decrypted with the given KEK (fails for a wrong one). */
  public static JWK privateKey(String kid, byte[] kek) {
    byte[][] stored = sealed(kid);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, stored[0]));
      cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
      return JWK.parse(new String(cipher.doFinal(stored[1]), StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the stored key " + kid + " does not decrypt", e);
    } catch (ParseException e) {
      throw new AssertionError("the decrypted key " + kid + " is not a JWK", e);
    }
  }

  /** The stored IV and ciphertext of a key. */
  public static byte[][] sealed(String kid) {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT private_jwk_iv, private_jwk_sealed FROM signing_keys WHERE kid = ?")) {
      s.setString(1, kid);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no signing key " + kid + " in the database");
        }
        return new byte[][] {rs.getBytes(1), rs.getBytes(2)};
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test query failed", e);
    }
  }

  public static Connection connect() throws SQLException {
    return Sql.connect();
  }
}
