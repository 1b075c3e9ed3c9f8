package uk.gov.residentportal.account;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;
import uk.gov.residentportal.support.TestKeys;

/**
 * Makes access tokens the way an attacker (or a confused client) might: with our real signing key
 * read from the service's key ring but wrong claims, with a key of their own under our kid,
 * unsigned, HMAC-signed, or edited after signing. Everything starts from a real access token, so a
 * forged token differs from a genuine one only in the one way a test names.
 */
final class TokenForge {
  private final SignedJWT genuine;
  private final ECKey ourKey;

  TokenForge(String genuineAccessToken) {
    try {
      this.genuine = SignedJWT.parse(genuineAccessToken);
    } catch (ParseException e) {
      throw new AssertionError("not a JWT: " + genuineAccessToken, e);
    }
    this.ourKey = ourKey(genuine.getHeader().getKeyID());
  }

  /** The claims of the genuine token, to change. */
  JWTClaimsSet.Builder claims() {
    try {
      return new JWTClaimsSet.Builder(genuine.getJWTClaimsSet());
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
  }

  /** Claims like the genuine token's, changed by {@code change}, signed with OUR key. */
  String signedByUs(UnaryOperator<JWTClaimsSet.Builder> change) {
    return sign(ourKey, accessTokenHeader(), change.apply(claims()).build());
  }

  /** Valid-looking claims signed with our key but a header without {@code typ: at+jwt}. */
  String signedByUsWithType(JOSEObjectType type) {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256).type(type).keyID(ourKey.getKeyID()).build();
    return sign(ourKey, header, claims().build());
  }

  /** The genuine claims, signed by a key that is not ours but carries our kid. */
  String signedByAStrangerWithOurKid() {
    try {
      ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(ourKey.getKeyID()).generate();
      return sign(stranger, accessTokenHeader(), claims().build());
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  /** The genuine claims with {@code alg: none}. */
  String unsigned() {
    return new PlainJWT(
            new com.nimbusds.jose.PlainHeader.Builder().type(new JOSEObjectType("at+jwt")).build(),
            claims().build())
        .serialize();
  }

  /** The genuine claims, HS256-signed with a secret of the attacker's choosing. */
  String hmacSigned() {
    try {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256)
                  .type(new JOSEObjectType("at+jwt"))
                  .keyID(ourKey.getKeyID())
                  .build(),
              claims().build());
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  /** The genuine token with one character of its payload changed; signature untouched. */
  String withAPayloadCharacterFlipped() {
    String[] parts = genuine.serialize().split("\\.");
    char[] payload = parts[1].toCharArray();
    int middle = payload.length / 2;
    payload[middle] = payload[middle] == 'A' ? 'B' : 'A';
    return parts[0] + "." + new String(payload) + "." + parts[2];
  }

  /** The genuine token with its subject replaced and re-encoded; signature untouched. */
  String withSubjectRewrittenTo(String subject) {
    String[] parts = genuine.serialize().split("\\.");
    String payload = claims().subject(subject).build().toString();
    return parts[0]
        + "."
        + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + parts[2];
  }

  static Date secondsFromNow(long seconds) {
    return Date.from(Instant.now().plusSeconds(seconds));
  }

  static String newJti() {
    return UUID.randomUUID().toString();
  }

  private JWSHeader accessTokenHeader() {
    return new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(new JOSEObjectType("at+jwt"))
        .keyID(ourKey.getKeyID())
        .build();
  }

  private static String sign(ECKey key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  /** The private key with that kid, from the service's key ring in the database. */
  private static ECKey ourKey(String kid) {
    return TestKeys.privateKey(kid).toECKey();
  }
}
