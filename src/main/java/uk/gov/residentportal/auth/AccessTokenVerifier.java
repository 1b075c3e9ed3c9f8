package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import jakarta.inject.Singleton;

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
    return keys.signedByUs(jwt);
  }
}
