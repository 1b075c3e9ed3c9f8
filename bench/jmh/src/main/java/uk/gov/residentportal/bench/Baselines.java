package uk.gov.residentportal.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The bare costs the service's endpoints are measured against (bench/run.sh divides each
 * endpoint's rate by its baseline's). Each benchmark does what the service does for one request,
 * with the same library calls: keep in step with account/PasswordHasher, auth/TokenSigner and
 * auth/ClientAssertionVerifier. Throughput mode; bench/run.sh runs them on 1 and 2 threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class Baselines {
  private static final String ISSUER = "http://127.0.0.1:8080";
  private static final String TOKEN_ENDPOINT = ISSUER + "/oauth2/token";
  private static final String CLIENT_ID = "bench-backoffice";

  /** PasswordHasher: Argon2id, 19,456 KiB, 2 iterations, parallelism 1, 32-byte hash. */
  private final Argon2Advanced argon2 =
      Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id, 16, 32);

  private ECKey signingKey;
  private ECKey clientPublicKey;
  private String assertion;

  @Setup
  public void keys() throws JOSEException {
    signingKey = new ECKeyGenerator(Curve.P_256).keyID("signing-1").generate();
    ECKey clientKey = new ECKeyGenerator(Curve.P_256).keyID("bench-1").generate();
    clientPublicKey = clientKey.toPublicJWK();
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(CLIENT_ID)
            .subject(CLIENT_ID)
            .audience(TOKEN_ENDPOINT)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            // Verified again and again for the whole run: far ahead, unlike a real assertion.
            .expirationTime(Date.from(now.plusSeconds(86400)))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(JOSEObjectType.JWT)
                .keyID(clientKey.getKeyID())
                .build(),
            claims);
    jwt.sign(new ECDSASigner(clientKey));
    assertion = jwt.serialize();
  }

  /** One Argon2id hash with a random salt, as PasswordHasher.hash (a check costs the same). */
  @Benchmark
  public String argon2idHash() {
    return argon2.hash(
        2, 19456, 1, "violet tractor summer lantern".toCharArray(), StandardCharsets.UTF_8);
  }

  /** One access token signed as TokenSigner.sign does: ES256, typ at+jwt, kid, serialized. */
  @Benchmark
  public String es256Sign() throws JOSEException {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(CLIENT_ID)
            .audience(ISSUER)
            .claim("client_id", CLIENT_ID)
            .claim("scope", "records:write")
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType("at+jwt"))
                .keyID(signingKey.getKeyID())
                .build(),
            claims);
    jwt.sign(new ECDSASigner(signingKey));
    return jwt.serialize();
  }

  /**
   * One private_key_jwt assertion checked as ClientAssertionVerifier does, without the database
   * (the jti insert): parse, ES256 signature with the client's registered key, then the claims.
   */
  @Benchmark
  public boolean assertionVerify() throws JOSEException, ParseException {
    SignedJWT jwt = SignedJWT.parse(assertion);
    if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())
        || !clientPublicKey.getKeyID().equals(jwt.getHeader().getKeyID())
        || !jwt.verify(new ECDSAVerifier(clientPublicKey.toECPublicKey()))) {
      throw new IllegalStateException("signature refused");
    }
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    Instant now = Instant.now();
    List<String> audience = claims.getAudience();
    return CLIENT_ID.equals(claims.getIssuer())
        && CLIENT_ID.equals(claims.getSubject())
        && audience.size() == 1
        && audience.contains(TOKEN_ENDPOINT)
        && claims.getExpirationTime().toInstant().isAfter(now)
        && !claims.getIssueTime().toInstant().isAfter(now.plusSeconds(30))
        && claims.getJWTID() != null;
  }
}
