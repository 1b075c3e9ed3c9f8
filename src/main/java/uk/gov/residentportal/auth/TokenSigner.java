package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.inject.Singleton;

/** Signs JWTs with the active key: ES256 for EC keys, RS256 for RSA keys, always with a kid. */
@Singleton
final class TokenSigner {
  /** RFC 9068 section 2.1: access tokens are typed so nothing else passes as one. */
  static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

  private final SigningKeys keys;

  TokenSigner(SigningKeys keys) {
    this.keys = keys;
  }

  String sign(JOSEObjectType type, JWTClaimsSet claims) {
    JWK key = keys.active();
    try {
      JWSAlgorithm alg;
      JWSSigner signer;
      if (key instanceof ECKey ec) {
        alg = JWSAlgorithm.ES256;
        signer = new ECDSASigner(ec);
      } else {
        alg = JWSAlgorithm.RS256;
        signer = new RSASSASigner(key.toRSAKey());
      }
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(alg).type(type).keyID(key.getKeyID()).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign a token", e);
    }
  }
}
