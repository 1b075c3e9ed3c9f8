package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/**
 * grant_type=authorization_code (RFC 6749 section 4.1.3 with RFC 7636 section 4.5). The code is
 * marked used and the tokens issued in one transaction; a replayed code's revocation commits even
 * though the request fails.
 */
@Singleton
class AuthorizationCodeGrant {
  private final AuthorizationCodes codes;
  private final TokenIssuer issuer;

  AuthorizationCodeGrant(AuthorizationCodes codes, TokenIssuer issuer) {
    this.codes = codes;
    this.issuer = issuer;
  }

  @Transactional(noRollbackFor = {OAuthException.class, RefreshTokens.ReuseDetected.class})
  TokenResponse exchange(TokenRequestParams params, Client client) {
    if (!client.clientType().signsInResidents()) {
      throw new OAuthException(
          OAuth2Error.UNAUTHORIZED_CLIENT, "This client may only use client_credentials");
    }
    TokenIssuer.Grant grant =
        codes.redeem(
            params.required("code"),
            client.clientId(),
            params.required("redirect_uri"),
            params.optional("code_verifier"));
    return issuer.issueForResident(grant);
  }
}
