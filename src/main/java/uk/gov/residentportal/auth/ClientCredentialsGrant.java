package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import jakarta.inject.Singleton;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * grant_type=client_credentials (RFC 6749 section 4.4) for back-office systems and NHS partners,
 * who have authenticated with private_key_jwt. The token speaks for the client alone: no resident,
 * no refresh token. {@code scope} may narrow the registered scopes, never widen them.
 */
@Singleton
class ClientCredentialsGrant {
  private final TokenIssuer issuer;

  ClientCredentialsGrant(TokenIssuer issuer) {
    this.issuer = issuer;
  }

  TokenResponse exchange(TokenRequestParams params, Client client) {
    if (client.clientType().signsInResidents()) {
      // RFC 6749 section 5.2: a client not registered for this grant is unauthorized_client.
      throw new OAuthException(
          OAuth2Error.UNAUTHORIZED_CLIENT, "This client may not use client_credentials");
    }
    List<String> registered = client.scopeList();
    String requested = params.optional("scope");
    List<String> scope;
    if (requested == null) {
      scope = registered;
    } else {
      Set<String> asked = new LinkedHashSet<>(List.of(requested.trim().split(" +")));
      if (!registered.containsAll(asked)) {
        throw new OAuthException(
            OAuth2Error.INVALID_SCOPE, "The scope is not registered for this client");
      }
      scope = List.copyOf(asked);
    }
    return issuer.issueForMachine(client, String.join(" ", scope));
  }
}
