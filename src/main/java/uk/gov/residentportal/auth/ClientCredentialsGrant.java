package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import jakarta.inject.Singleton;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.partner.Organisations;

/**
 * grant_type=client_credentials (RFC 6749 section 4.4) for back-office systems and NHS partners,
 * who have authenticated with private_key_jwt. The token speaks for the client alone: no resident,
 * no refresh token. {@code scope} may narrow the registered scopes, never widen them. A partner's
 * organisation must be registered and active at the moment of the request (read each time, no
 * cache): deactivating an organisation stops its clients getting tokens at once.
 */
@Singleton
class ClientCredentialsGrant {
  private static final Logger LOG = LoggerFactory.getLogger(ClientCredentialsGrant.class);

  private final TokenIssuer issuer;
  private final Organisations organisations;

  ClientCredentialsGrant(TokenIssuer issuer, Organisations organisations) {
    this.issuer = issuer;
    this.organisations = organisations;
  }

  TokenResponse exchange(TokenRequestParams params, Client client) {
    if (client.clientType().signsInResidents()) {
      // RFC 6749 section 5.2: a client not registered for this grant is unauthorized_client.
      throw new OAuthException(
          OAuth2Error.UNAUTHORIZED_CLIENT, "This client may not use client_credentials");
    }
    if (client.clientType() == ClientType.PARTNER
        && !organisations.isActive(client.organisationOds())) {
      // The client authenticated (so not invalid_client), but may not be given a token now: RFC
      // 6749 section 5.2 unauthorized_client, as for a client not allowed this grant.
      LOG.warn(
          "token refused to client {}: organisation {} is not active",
          client.clientId(),
          client.organisationOds());
      throw new OAuthException(
          OAuth2Error.UNAUTHORIZED_CLIENT, "The client's organisation is not active");
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
