package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.KeyAgreement;

/**
 * Signing keys given as files, to import into the ring: every {@code *.json} (a private JWK) and
 * {@code *.pem} (a PKCS#8 private key) in a folder, in file-name order. Keys are EC P-256 (ES256)
 * or RSA of 2048 bits or more (RS256). PEM keys get their RFC 7638 thumbprint as kid.
 */
final class KeyFiles {
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private KeyFiles() {}

  static List<JWK> read(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<JWK> keys = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
          // A mounted Kubernetes secret holds ..data and ..<timestamp> entries; its files are
          // symlinks into them, which the reads below follow.
          continue;
        }
        if (name.endsWith(".json")) {
          keys.add(usable(JWK.parse(Files.readString(file, StandardCharsets.UTF_8)), file));
        } else if (name.endsWith(".pem")) {
          keys.add(usable(fromPem(Files.readString(file, StandardCharsets.US_ASCII), file), file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read signing keys from " + dir, e);
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("A signing key in " + dir + " cannot be read", e);
    }
    return keys;
  }

  /**
   * The key that signed before the ring existed, so an upgrade keeps signing with it: the newest
   * issue time, ties (PEM files have none) to the last in file-name order.
   */
  static Optional<JWK> newest(List<JWK> keys) {
    JWK newest = null;
    for (JWK key : keys) {
      if (newest == null || !issued(key).before(issued(newest))) {
        newest = key;
      }
    }
    return Optional.ofNullable(newest);
  }

  private static Date issued(JWK key) {
    return Optional.ofNullable(key.getIssueTime()).orElse(new Date(0));
  }

  /**
   * A PKCS#8 PEM private key ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey}
   * writes), read with the JDK alone (no BouncyCastle on the class path). The public half of an EC
   * key is the publicKey member of the RFC 5915 ECPrivateKey inside when present (OpenSSL writes
   * it), else derived from the private key.
   */
  private static JWK fromPem(String pem, Path file) throws JOSEException {
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      throw new IllegalStateException(
          file
              + " holds no PKCS#8 private key (-----BEGIN PRIVATE KEY-----); convert one with"
              + " `openssl pkcs8 -topk8 -nocrypt`");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    try {
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
      try {
        RSAPrivateCrtKey rsa =
            (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(spec);
        RSAPublicKey pub =
            (RSAPublicKey)
                KeyFactory.getInstance("RSA")
                    .generatePublic(
                        new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        return new RSAKey.Builder(pub).privateKey(rsa).keyIDFromThumbprint().build();
      } catch (InvalidKeySpecException | ClassCastException notRsa) {
        ECPrivateKey ec = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(spec);
        Optional<ECPoint> written = ecPublicPoint(der);
        List<ECPoint> candidates = written.isPresent() ? List.of(written.get()) : derived(ec);
        for (ECPoint point : candidates) {
          ECPublicKey pub =
              (ECPublicKey)
                  KeyFactory.getInstance("EC")
                      .generatePublic(new ECPublicKeySpec(point, ec.getParams()));
          ECKey key =
              new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), pub)
                  .privateKey(ec)
                  .keyIDFromThumbprint()
                  .build();
          if (halvesMatch(key)) {
            return key;
          }
        }
        throw new IllegalStateException(file + ": the public key does not match the private key");
      }
    } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
      throw new IllegalStateException(file + " holds no usable EC or RSA private key", e);
    }
  }

  /** The uncompressed point in ECPrivateKey's optional {@code [1] publicKey BIT STRING}. */
  private static Optional<ECPoint> ecPublicPoint(byte[] pkcs8) {
    Der outer = new Der(pkcs8, 0).content(0x30);
    Der inner = outer.skip(0x02).skip(0x30).content(0x04).content(0x30).skip(0x02).skip(0x04);
    while (inner.hasMore()) {
      int tag = inner.tag();
      if (tag == 0xA1) {
        byte[] bits = inner.content(0xA1).content(0x03).bytes();
        // One byte of unused bits (0), then 0x04 || X || Y (SEC 1 section 2.3.3).
        if (bits.length < 3 || bits[0] != 0 || bits[1] != 0x04 || (bits.length - 2) % 2 != 0) {
          return Optional.empty();
        }
        int size = (bits.length - 2) / 2;
        return Optional.of(
            new ECPoint(
                new BigInteger(1, Arrays.copyOfRange(bits, 2, 2 + size)),
                new BigInteger(1, Arrays.copyOfRange(bits, 2 + size, bits.length))));
      }
      inner = inner.skip(tag);
    }
    return Optional.empty();
  }

  /**
   * The public point d·G when the file leaves it out (Java writes PKCS#8 EC keys without it): ECDH
   * of the private key with the generator gives its x coordinate; y is one of the two square roots
   * of x³ + ax + b, and the caller keeps the one whose signatures verify. P-256's prime is 3 mod 4,
   * so a square root is a single power (p + 1) / 4.
   */
  private static List<ECPoint> derived(ECPrivateKey key) throws GeneralSecurityException {
    ECParameterSpec params = key.getParams();
    ECPublicKey generator =
        (ECPublicKey)
            KeyFactory.getInstance("EC")
                .generatePublic(new ECPublicKeySpec(params.getGenerator(), params));
    KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
    ecdh.init(key);
    ecdh.doPhase(generator, true);
    BigInteger x = new BigInteger(1, ecdh.generateSecret());
    BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
    BigInteger rhs =
        x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()).mod(p);
    BigInteger y = rhs.modPow(p.add(BigInteger.ONE).shiftRight(2), p);
    return List.of(new ECPoint(x, y), new ECPoint(x, p.subtract(y)));
  }

  /** A public key that does not belong to the private one would sign tokens nobody can verify. */
  private static boolean halvesMatch(ECKey key) throws JOSEException {
    JWSObject probe = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("probe"));
    probe.sign(new ECDSASigner(key));
    return probe.verify(new ECDSAVerifier(key.toPublicJWK()));
  }

  /** Just enough DER (X.690) to walk a PKCS#8 structure: definite lengths, one-byte tags. */
  private record Der(byte[] data, int pos, int end) {
    Der(byte[] data, int pos) {
      this(data, pos, data.length);
    }

    boolean hasMore() {
      return pos < end;
    }

    int tag() {
      return data[pos] & 0xFF;
    }

    private int[] header(int expected) {
      if (pos + 2 > end || tag() != expected) {
        throw new IllegalArgumentException("unexpected DER structure");
      }
      int length = data[pos + 1] & 0xFF;
      int start = pos + 2;
      if (length > 0x80) {
        int count = length - 0x80;
        if (count > 3 || start + count > end) {
          throw new IllegalArgumentException("unexpected DER length");
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (data[start + i] & 0xFF);
        }
        start += count;
      } else if (length == 0x80) {
        throw new IllegalArgumentException("indefinite DER length");
      }
      if (start + length > end) {
        throw new IllegalArgumentException("DER length beyond the data");
      }
      return new int[] {start, length};
    }

    /** The element's content, to walk inside it. */
    Der content(int expected) {
      int[] h = header(expected);
      return new Der(data, h[0], h[0] + h[1]);
    }

    /** The rest after this element. */
    Der skip(int expected) {
      int[] h = header(expected);
      return new Der(data, h[0] + h[1], end);
    }

    byte[] bytes() {
      return Arrays.copyOfRange(data, pos, end);
    }
  }

  private static JWK usable(JWK key, Path file) {
    if (!key.isPrivate()) {
      throw new IllegalStateException(file + " holds no private key");
    }
    if (key.getKeyID() == null || key.getKeyID().isBlank() || key.getKeyID().length() > 128) {
      throw new IllegalStateException(file + " has no kid, or one longer than 128 characters");
    }
    if (key instanceof ECKey ec && !Curve.P_256.equals(ec.getCurve())) {
      throw new IllegalStateException(file + ": EC keys must be on P-256 (ES256)");
    }
    if (key instanceof RSAKey rsa && rsa.size() < 2048) {
      throw new IllegalStateException(file + ": RSA keys must be at least 2048 bits");
    }
    if (!(key instanceof ECKey) && !(key instanceof RSAKey)) {
      throw new IllegalStateException(file + ": only EC P-256 and RSA keys can sign");
    }
    return key;
  }
}
