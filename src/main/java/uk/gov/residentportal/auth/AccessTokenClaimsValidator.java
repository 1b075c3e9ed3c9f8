package uk.gov.residentportal.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import uk.gov.residentportal.shared.PortalUrls;

/**
 * Micronaut checks only {@code exp} unless told: an access token must also come from our issuer, be
 * meant for our API ({@code aud}), be past its {@code nbf}, and carry a subject and a {@code jti}.
 */
@Singleton
final class AccessTokenClaimsValidator implements GenericJwtClaimsValidator<HttpRequest<?>> {
  static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private final PortalUrls urls;
  private final Clock clock;

  AccessTokenClaimsValidator(PortalUrls urls, Clock clock) {
    this.urls = urls;
    this.clock = clock;
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
    return forUs
        && notBeforeHasPassed(claims.get(Claims.NOT_BEFORE))
        && claims.get(Claims.SUBJECT) != null
        && claims.get("jti") != null;
  }

  /** RFC 7519 section 4.1.5; Micronaut's own not-before check is off by default. */
  private boolean notBeforeHasPassed(Object nbf) {
    if (nbf == null) {
      return true;
    }
    Instant notBefore =
        nbf instanceof Date date
            ? date.toInstant()
            : nbf instanceof Number seconds ? Instant.ofEpochSecond(seconds.longValue()) : null;
    return notBefore != null && !notBefore.isAfter(clock.instant().plus(CLOCK_SKEW));
  }
}
