package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * How Micronaut Security checks the bearer tokens sent to our API: the signature must be ours (kid
 * in our key set, algorithm matching the key) and the header must say {@code typ: at+jwt}, so an ID
 * token, a logout token or anything else we sign is refused as an access token.
 */
@Singleton
final class AccessTokenVerifier implements SignatureConfiguration {
  private final SigningKeys keys;

  AccessTokenVerifier(SigningKeys keys) {
    this.keys = keys;
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
    String kid = jwt.getHeader().getKeyID();
    if (kid == null) {
      return false;
    }
    Optional<JWK> key = keys.byKid(kid);
    if (key.isEmpty()) {
      return false;
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    JWSVerifier verifier;
    if (key.get() instanceof ECKey ec && JWSAlgorithm.ES256.equals(alg)) {
      verifier = new ECDSAVerifier(ec.toECPublicKey());
    } else if (key.get() instanceof RSAKey rsa && JWSAlgorithm.RS256.equals(alg)) {
      verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
    } else {
      return false;
    }
    return jwt.verify(verifier);
  }
}
