package uk.gov.residentportal.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * How Micronaut Security checks the bearer tokens sent to our API: the signature must be ours (kid
 * in our key set, algorithm matching the key) and the header must say {@code typ: at+jwt}, so an ID
 * token, a logout token or anything else we sign is refused as an access token.
 *
 * <p>A client uses one access token for many requests, and an ES256 verification costs about 1.5 ms
 * of CPU on Java 17 (0.4 ms on 25): the most of any step of a bearer request (docs/PERFORMANCE). So
 * the SHA-256 of each token whose signature verified is remembered, with the kid that verified it,
 * for as long as such a token lives, in a bounded cache. A remembered token is accepted again only
 * while that kid is still published; the claims (expiry, issuer, audience) and the revocation
 * deny-list are checked on every request as before. Only whole tokens are remembered (header,
 * claims and signature hashed together): a changed byte is a different token and is verified.
 */
@Singleton
final class AccessTokenVerifier implements SignatureConfiguration {
  /** At most this many verified tokens are remembered per replica (about 2 MB). */
  static final int CACHE_SIZE = 20_000;

  private final SigningKeys keys;
  private final Cache<Digest, String> verified;

  AccessTokenVerifier(SigningKeys keys, TokenConfig config) {
    this.keys = keys;
    this.verified =
        Caffeine.newBuilder()
            .maximumSize(CACHE_SIZE)
            .expireAfterWrite(
                config.accessTokenTtl().compareTo(config.machineTokenTtl()) > 0
                    ? config.accessTokenTtl()
                    : config.machineTokenTtl())
            .build();
  }

  @Override
  public String supportedAlgorithmsMessage() {
    return "Only ES256 and RS256 are supported";
  }

  @Override
  public boolean supports(JWSAlgorithm algorithm) {
    return JWSAlgorithm.ES256.equals(algorithm) || JWSAlgorithm.RS256.equals(algorithm);
  }

  @Override
  public boolean verify(SignedJWT jwt) throws JOSEException {
    if (!TokenSigner.ACCESS_TOKEN_TYPE.equals(jwt.getHeader().getType())) {
      return false;
    }
    String compact = jwt.getParsedString();
    if (compact == null) {
      return keys.signedByUs(jwt);
    }
    Digest digest = Digest.of(compact);
    String kid = verified.getIfPresent(digest);
    if (kid != null && kid.equals(jwt.getHeader().getKeyID()) && keys.byKid(kid).isPresent()) {
      return true;
    }
    if (!keys.signedByUs(jwt)) {
      return false;
    }
    verified.put(digest, jwt.getHeader().getKeyID());
    return true;
  }

  /** Remembered tokens, for tests. */
  long remembered() {
    verified.cleanUp();
    return verified.estimatedSize();
  }

  /** The SHA-256 of a compact token, compared by value. */
  private record Digest(byte[] bytes) {
    static Digest of(String compact) {
      try {
        return new Digest(
            MessageDigest.getInstance("SHA-256")
                .digest(compact.getBytes(StandardCharsets.US_ASCII)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is always there", e);
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Digest d && Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Digest";
    }
  }
}
