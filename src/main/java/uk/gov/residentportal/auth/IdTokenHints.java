package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
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
      if (!JOSEObjectType.JWT.equals(jwt.getHeader().getType()) || !keys.signedByUs(jwt)) {
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
}
