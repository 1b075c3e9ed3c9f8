package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import java.util.Optional;
import uk.gov.residentportal.web.ProblemException;

/**
 * After Micronaut Security has accepted a bearer token, refuses it if it was revoked (RFC 7009):
 * its {@code jti} or its grant is on the deny-list. Only on the paths that take bearer tokens, on
 * the blocking executor their controllers use anyway.
 */
@ServerFilter({"/api/**", "/fhir/**", "/oauth2/userinfo"})
final class RevokedTokenFilter implements Ordered {
  private final Revocations revocations;

  RevokedTokenFilter(Revocations revocations) {
    this.revocations = revocations;
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.SECURITY.after();
  }

  @RequestFilter
  @ExecuteOn(TaskExecutors.BLOCKING)
  @Nullable
  HttpResponse<?> refuseRevoked(HttpRequest<?> request) {
    Optional<Authentication> authentication = request.getUserPrincipal(Authentication.class);
    Object jti = authentication.map(a -> a.getAttributes().get("jti")).orElse(null);
    if (jti instanceof String tokenId) {
      Object grant = authentication.get().getAttributes().get(TokenIssuer.GRANT_ID);
      if (revocations.isRevoked(tokenId, grant instanceof String g ? g : null)) {
        throw new ProblemException.Unauthorized("The access token has been revoked.");
      }
    }
    return null;
  }
}
