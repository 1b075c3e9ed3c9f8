package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;

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
    if (!client.clientType().signsInResidents()) {
      throw new OAuthException(
          OAuth2Error.UNAUTHORIZED_CLIENT, "This client may only use client_credentials");
    }
    String requested = params.optional("scope");
    List<String> asked = requested == null ? null : List.of(requested.trim().split(" +"));
    TokenIssuer.Grant grant =
        refreshTokens.rotate(
            params.required("refresh_token"),
            client.clientId(),
            // Checked before the token is used up, so a refused request leaves it usable.
            granted ->
                asked == null || new HashSet<>(List.of(granted.split(" "))).containsAll(asked));
    // RFC 6749 section 6: the new refresh token keeps the grant's scope; only the access and ID
    // tokens of this response are narrowed.
    return issuer.issueForResident(grant, asked == null ? grant.scope() : String.join(" ", asked));
  }
}
