package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

/**
 * Who is calling the token and revocation endpoints. Public clients identify themselves with
 * client_id alone (RFC 6749 section 2.3; PKCE protects their codes); other methods come with the
 * confidential clients.
 */
@Singleton
final class ClientAuthentication {
  private final ClientService clients;

  ClientAuthentication(ClientService clients) {
    this.clients = clients;
  }

  Client authenticate(HttpRequest<?> request, TokenRequestParams params) {
    if (request.getHeaders().getAuthorization().isPresent()) {
      throw new OAuthException(
          OAuth2Error.INVALID_CLIENT, "This client authentication method is not supported");
    }
    String clientId = params.optional("client_id");
    if (clientId == null) {
      throw new OAuthException(OAuth2Error.INVALID_CLIENT, "client_id is required");
    }
    return clients
        .findActive(clientId)
        .filter(c -> c.clientType() == ClientType.PUBLIC)
        .orElseThrow(() -> new OAuthException(OAuth2Error.INVALID_CLIENT, "Unknown client"));
  }
}
