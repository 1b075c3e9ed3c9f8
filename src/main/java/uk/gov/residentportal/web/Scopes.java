package uk.gov.residentportal.web;

import io.micronaut.security.authentication.Authentication;
import java.util.List;

/**
 * Scope checks on access tokens (RFC 6750 section 3.1). A token carries only what its client was
 * allowed and asked for: a council service that signs residents in gets {@code openid profile
 * email}, never the resident's account API ({@code account}).
 */
public final class Scopes {
  private Scopes() {}

  public static void require(Authentication authentication, String scope) {
    Object granted = authentication.getAttributes().get("scope");
    if (!(granted instanceof String s) || !List.of(s.split(" ")).contains(scope)) {
      throw new ProblemException.InsufficientScope(scope);
    }
  }
}
