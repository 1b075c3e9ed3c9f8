package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files as a Kubernetes secret or an old data folder holds them, read for import. */
class KeyFilesTest {
  @TempDir Path dir;

  @Test
  void readsAnOpenSslPemKey_withItsPublicKeyInside() throws Exception {
    KeyPair pair = ecPair();
    write("signing-2026-01.pem", pem(openSslPkcs8(pair)));

    List<JWK> keys = KeyFiles.read(dir);

    assertThat(keys).hasSize(1);
    ECKey key = keys.get(0).toECKey();
    assertThat(key.isPrivate()).isTrue();
    assertThat(key.toECPublicKey()).isEqualTo(pair.getPublic());
    assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
  }

  @Test
  void readsAJavaPemKey_derivingTheMissingPublicKey() throws Exception {
    KeyPair pair = ecPair();
    write("signing.pem", pem(pair.getPrivate().getEncoded()));

    ECKey key = KeyFiles.read(dir).get(0).toECKey();

    assertThat(key.toECPublicKey()).isEqualTo(pair.getPublic());
  }

  @Test
  void readsAnRsaPemKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    write("rsa.pem", pem(pair.getPrivate().getEncoded()));

    RSAKey key = KeyFiles.read(dir).get(0).toRSAKey();

    assertThat(key.toRSAPublicKey()).isEqualTo(pair.getPublic());
  }

  @Test
  void readsOldJwkFiles_andPicksTheNewestAsTheOneThatSigned() throws Exception {
    ECKey older = new ECKeyGenerator(Curve.P_256).keyID("a").issueTime(new Date(1000)).generate();
    ECKey newer = new ECKeyGenerator(Curve.P_256).keyID("b").issueTime(new Date(2000)).generate();
    write("b.json", older.toJSONString());
    write("a.json", newer.toJSONString());
    write("kek", "not a key file");
    write("..data", "a Kubernetes secret's own entry");

    List<JWK> keys = KeyFiles.read(dir);

    assertThat(keys).extracting(JWK::getKeyID).containsExactly("b", "a");
    assertThat(KeyFiles.newest(keys)).map(JWK::getKeyID).hasValue("b");
  }

  @Test
  void refusesPublicKeysAndUnreadablePem() throws Exception {
    write(
        "public.json",
        new ECKeyGenerator(Curve.P_256).keyID("p").generate().toPublicJWK().toJSONString());
    assertThatThrownBy(() -> KeyFiles.read(dir)).hasMessageContaining("holds no private key");

    Files.delete(dir.resolve("public.json"));
    write("placeholder.pem", "REPLACE_ME: the PEM text of a private signing key");
    assertThatThrownBy(() -> KeyFiles.read(dir)).hasMessageContaining("no PKCS#8 private key");
  }

  @Test
  void anAbsentFolderHoldsNoKeys() {
    assertThat(KeyFiles.read(dir.resolve("missing"))).isEmpty();
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static KeyPair ecPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static String pem(byte[] der) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }

  /**
   * PKCS#8 as {@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256} writes it: the
   * RFC 5915 ECPrivateKey inside carries the public key ([1]), which Java's encoding leaves out.
   */
  private static byte[] openSslPkcs8(KeyPair pair) {
    byte[] d = unsigned32(((ECPrivateKey) pair.getPrivate()).getS().toByteArray());
    ECPublicKey pub = (ECPublicKey) pair.getPublic();
    byte[] point = new byte[65];
    point[0] = 0x04;
    System.arraycopy(unsigned32(pub.getW().getAffineX().toByteArray()), 0, point, 1, 32);
    System.arraycopy(unsigned32(pub.getW().getAffineY().toByteArray()), 0, point, 33, 32);
    byte[] ecPrivateKey =
        tlv(
            0x30,
            concat(
                tlv(0x02, new byte[] {1}),
                tlv(0x04, d),
                tlv(0xA1, tlv(0x03, concat(new byte[] {0}, point)))));
    byte[] algorithm =
        HexFormat.of().parseHex("301306072a8648ce3d020106082a8648ce3d030107"); // ecPublicKey, P-256
    return tlv(0x30, concat(tlv(0x02, new byte[] {0}), algorithm, tlv(0x04, ecPrivateKey)));
  }

  private static byte[] unsigned32(byte[] twosComplement) {
    byte[] out = new byte[32];
    int copy = Math.min(32, twosComplement.length);
    System.arraycopy(twosComplement, twosComplement.length - copy, out, 32 - copy, copy);
    return out;
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (value.length < 0x80) {
      out.write(value.length);
    } else {
      out.write(0x81);
      out.write(value.length);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
