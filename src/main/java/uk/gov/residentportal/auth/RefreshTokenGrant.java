package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * grant_type=refresh_token (RFC 6749 section 6) with rotation: the presented token is used up and a
 * new one in the same family comes back. A narrower {@code scope} may be asked for, never a wider
 * one.
 */
@Singleton
class RefreshTokenGrant {
  private final RefreshTokens refreshTokens;
  private final TokenIssuer issuer;

  RefreshTokenGrant(RefreshTokens refreshTokens, TokenIssuer issuer) {
    this.refreshTokens = refreshTokens;
    this.issuer = issuer;
  }

  @Transactional(noRollbackFor = {OAuthException.class, RefreshTokens.ReuseDetected.class})
  TokenResponse exchange(TokenRequestParams params, Client client) {
    TokenIssuer.Grant grant =
        refreshTokens.rotate(params.required("refresh_token"), client.clientId());
    String requested = params.optional("scope");
    if (requested != null && !requested.isBlank()) {
      Set<String> granted = new HashSet<>(List.of(grant.scope().split(" ")));
      List<String> asked = List.of(requested.trim().split(" +"));
      if (!granted.containsAll(asked)) {
        throw new OAuthException(OAuth2Error.INVALID_SCOPE, "scope is wider than the grant");
      }
      grant =
          new TokenIssuer.Grant(
              grant.clientId(),
              grant.accountId(),
              String.join(" ", asked),
              grant.acr(),
              grant.authTime(),
              null,
              grant.familyId());
    }
    return issuer.issueForResident(grant);
  }
}
