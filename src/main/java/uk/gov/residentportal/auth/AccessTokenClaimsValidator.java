package uk.gov.residentportal.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import java.util.Collection;
import uk.gov.residentportal.shared.PortalUrls;

/**
 * Micronaut checks only {@code exp} and {@code nbf} unless told: an access token must also come
 * from our issuer and be meant for our API ({@code aud}), and carry a subject and a {@code jti}.
 */
@Singleton
final class AccessTokenClaimsValidator implements GenericJwtClaimsValidator<HttpRequest<?>> {
  private final PortalUrls urls;

  AccessTokenClaimsValidator(PortalUrls urls) {
    this.urls = urls;
  }

  @Override
  public boolean validate(Claims claims, HttpRequest<?> request) {
    String issuer = urls.issuer();
    if (!issuer.equals(claims.get(Claims.ISSUER))) {
      return false;
    }
    Object audience = claims.get(Claims.AUDIENCE);
    boolean forUs =
        issuer.equals(audience)
            || (audience instanceof Collection<?> list && list.contains(issuer));
    return forUs && claims.get(Claims.SUBJECT) != null && claims.get("jti") != null;
  }
}
