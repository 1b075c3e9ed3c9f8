package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds private_key_jwt client assertions (RFC 7523) for tests, right by default and wrong in
 * exactly the way a test asks: {@code anAssertion(BACK_OFFICE, key, aud).withExp(...).build()}.
 *
 * <p>The test clients of {@code test-clients.json} with keys ({@link #BACK_OFFICE}, {@link
 * #PARTNER}, {@link #CONFIDENTIAL}) have their private halves in {@code
 * src/test/resources/client-keys/}: generated for the tests only, registered nowhere else.
 */
final class ClientAssertion {
  static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  /** BACK_OFFICE, sourceSystem COUNCIL_TAX, scopes records:write links:write, RSA key. */
  static final String BACK_OFFICE = "records-push";

  /** PARTNER, organisationOds RX1, scope partner:resident.read, EC P-256 key. */
  static final String PARTNER = "partner-rx1";

  /** CONFIDENTIAL relying party, scopes openid profile email, EC P-384 key. */
  static final String CONFIDENTIAL = "housing-web";

  static final String CONFIDENTIAL_REDIRECT = "https://housing.example.gov.uk/callback";

  private final JWK key;
  private JWSAlgorithm alg;
  private String kid;
  private JWK signingKey;
  private boolean hmacWithPublicKey;
  private boolean unsigned;
  private JWSAlgorithm headerAlgAfterSigning;
  private final Map<String, Object> claims = new LinkedHashMap<>();

  private ClientAssertion(String clientId, JWK key, String audience) {
    this.key = key;
    this.signingKey = key;
    this.kid = key.getKeyID();
    this.alg = key instanceof ECKey ec ? algFor(ec) : JWSAlgorithm.RS256;
    Instant now = Instant.now();
    claims.put("iss", clientId);
    claims.put("sub", clientId);
    claims.put("aud", audience);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", now.plus(Duration.ofMinutes(4)).getEpochSecond());
  }

  /** A valid assertion of {@code clientId} signed with {@code key}, for {@code audience}. */
  static ClientAssertion anAssertion(String clientId, JWK key, String audience) {
    return new ClientAssertion(clientId, key, audience);
  }

  /** A valid assertion of one of the test clients, for the token endpoint of {@code issuer}. */
  static ClientAssertion anAssertion(String clientId, String issuer) {
    return new ClientAssertion(clientId, privateKey(clientId), issuer + "/oauth2/token");
  }

  static JWK privateKey(String clientId) {
    String path = "client-keys/" + clientId + ".private.jwk.json";
    try (InputStream in = ClientAssertion.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no test key " + path);
      }
      return JWK.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  ClientAssertion withAlg(JWSAlgorithm value) {
    this.alg = value;
    return this;
  }

  ClientAssertion withKid(String value) {
    this.kid = value;
    return this;
  }

  ClientAssertion withoutKid() {
    return withKid(null);
  }

  ClientAssertion withIss(String value) {
    return with("iss", value);
  }

  ClientAssertion withSub(String value) {
    return with("sub", value);
  }

  ClientAssertion withAud(Object value) {
    return with("aud", value);
  }

  ClientAssertion withJti(String value) {
    return with("jti", value);
  }

  ClientAssertion withExp(Instant value) {
    return with("exp", value == null ? null : value.getEpochSecond());
  }

  ClientAssertion withIat(Instant value) {
    return with("iat", value == null ? null : value.getEpochSecond());
  }

  ClientAssertion withNbf(Instant value) {
    return with("nbf", value == null ? null : value.getEpochSecond());
  }

  /** Signs as usual, then puts {@code value} into the header: the signature no longer fits. */
  ClientAssertion withAlgInHeaderAfterSigning(JWSAlgorithm value) {
    this.headerAlgAfterSigning = value;
    return this;
  }

  /** Signs with another private key, keeping the registered key's kid in the header. */
  ClientAssertion signedWith(JWK other) {
    this.signingKey = other;
    return this;
  }

  /**
   * HS256 keyed with the client's public key: the classic key-confusion attack on a verifier that
   * lets the token choose the algorithm.
   */
  ClientAssertion hmacWithThePublicKey() {
    this.hmacWithPublicKey = true;
    this.alg = JWSAlgorithm.HS256;
    return this;
  }

  /** {@code alg: none}, no signature (RFC 7519 section 6). */
  ClientAssertion unsigned() {
    this.unsigned = true;
    return this;
  }

  private ClientAssertion with(String claim, Object value) {
    if (value == null) {
      claims.remove(claim);
    } else {
      claims.put(claim, value);
    }
    return this;
  }

  String build() {
    JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
    claims.forEach(
        (name, value) -> {
          switch (name) {
            case "exp", "iat", "nbf" ->
                set.claim(name, Date.from(Instant.ofEpochSecond((Long) value)));
            default -> set.claim(name, value);
          }
        });
    JWTClaimsSet claimsSet = set.build();
    try {
      if (unsigned) {
        String header =
            "{\"alg\":\"none\",\"typ\":\"JWT\""
                + (kid == null ? "" : ",\"kid\":\"" + kid + "\"")
                + "}";
        return Base64URL.encode(header).toString()
            + "."
            + Base64URL.encode(claimsSet.toString()).toString()
            + ".";
      }
      JWSHeader header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(kid).build();
      SignedJWT jwt = new SignedJWT(header, claimsSet);
      jwt.sign(signer());
      if (headerAlgAfterSigning != null) {
        JWSHeader altered =
            new JWSHeader.Builder(headerAlgAfterSigning)
                .type(JOSEObjectType.JWT)
                .keyID(kid)
                .build();
        return altered.toBase64URL()
            + "."
            + jwt.getPayload().toBase64URL()
            + "."
            + jwt.getSignature();
      }
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private JWSSigner signer() throws JOSEException {
    if (hmacWithPublicKey) {
      byte[] publicKey =
          key instanceof RSAKey rsa
              ? rsa.toRSAPublicKey().getEncoded()
              : key.toECKey().toECPublicKey().getEncoded();
      return new MACSigner(publicKey);
    }
    if (signingKey instanceof ECKey ec) {
      return new ECDSASigner(ec);
    }
    return new RSASSASigner((RSAKey) signingKey);
  }

  private static JWSAlgorithm algFor(ECKey ec) {
    return Curve.P_384.equals(ec.getCurve()) ? JWSAlgorithm.ES384 : JWSAlgorithm.ES256;
  }

  /** The form fields that authenticate a client with this assertion. */
  static Map<String, String> authentication(String assertion) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_assertion_type", JWT_BEARER);
    form.put("client_assertion", assertion);
    return form;
  }

  /** A client_credentials request authenticated with the assertion. */
  static Map<String, String> clientCredentials(String assertion, String scope) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.putAll(authentication(assertion));
    if (scope != null) {
      form.put("scope", scope);
    }
    return form;
  }

  static List<String> scopes(Object scope) {
    return List.of(((String) scope).split(" "));
  }
}
