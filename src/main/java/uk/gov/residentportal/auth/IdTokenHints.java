package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import uk.gov.residentportal.shared.PortalUrls;

/**
 * Reads the {@code id_token_hint} of a logout request (OIDC RP-Initiated Logout 1.0 section 2): an
 * ID token we issued, checked by signature (one of our keys, the algorithm of that key) and issuer.
 * Its expiry is not checked: the spec lets a client log out with an expired ID token.
 */
@Singleton
final class IdTokenHints {
  private final SigningKeys keys;
  private final PortalUrls urls;

  IdTokenHints(SigningKeys keys, PortalUrls urls) {
    this.keys = keys;
    this.urls = urls;
  }

  /** Who and which client an ID token we issued names. */
  record Hint(String accountId, String clientId, @Nullable String sessionId) {}

  Optional<Hint> read(String idToken) {
    if (idToken.length() > 8192 || idToken.chars().filter(c -> c == '.').count() != 2) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(idToken);
      // ID tokens are typed JWT; an access or logout token is not a hint.
      if (!JOSEObjectType.JWT.equals(jwt.getHeader().getType()) || !signedByUs(jwt)) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      List<String> audience = claims.getAudience();
      if (!urls.issuer().equals(claims.getIssuer())
          || claims.getSubject() == null
          || audience == null
          || audience.size() != 1) {
        return Optional.empty();
      }
      return Optional.of(
          new Hint(claims.getSubject(), audience.get(0), claims.getStringClaim("sid")));
    } catch (ParseException | JOSEException notOurs) {
      return Optional.empty();
    }
  }

  private boolean signedByUs(SignedJWT jwt) throws JOSEException {
    String kid = jwt.getHeader().getKeyID();
    Optional<JWK> key = kid == null ? Optional.empty() : keys.byKid(kid);
    if (key.isEmpty()) {
      return false;
    }
    // The algorithm must be the key's own (no algorithm confusion, RFC 8725 section 3.1).
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
