package uk.gov.residentportal.auth;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

/**
 * Who is calling the token and revocation endpoints. Public clients identify themselves with
 * client_id alone (RFC 6749 section 2.3; PKCE protects their codes). Every other client proves who
 * it is with a private_key_jwt assertion (RFC 7523 section 2.2, OIDC Core section 9), checked by
 * {@link ClientAssertionVerifier}. One method per client: a public client sending an assertion, or
 * another client sending none, is refused.
 */
@Singleton
final class ClientAuthentication {
  /** RFC 7523 section 2.2. */
  static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private final ClientService clients;
  private final ClientAssertionVerifier assertions;

  ClientAuthentication(ClientService clients, ClientAssertionVerifier assertions) {
    this.clients = clients;
    this.assertions = assertions;
  }

  Client authenticate(HttpRequest<?> request, TokenRequestParams params) {
    if (request.getHeaders().getAuthorization().isPresent()) {
      throw new OAuthException(
          OAuth2Error.INVALID_CLIENT, "This client authentication method is not supported");
    }
    String clientId = params.optional("client_id");
    String assertionType = params.optional("client_assertion_type");
    String assertion = params.optional("client_assertion");
    if (assertionType == null && assertion == null) {
      return publicClient(clientId);
    }
    if (assertionType == null) {
      throw new OAuthException(OAuth2Error.INVALID_REQUEST, "client_assertion_type is required");
    }
    if (assertion == null) {
      throw new OAuthException(OAuth2Error.INVALID_REQUEST, "client_assertion is required");
    }
    if (!JWT_BEARER.equals(assertionType)) {
      // RFC 6749 section 5.2: an unsupported authentication method is invalid_client.
      throw ClientAssertionVerifier.refused("This client_assertion_type is not supported");
    }
    SignedJWT jwt = ClientAssertionVerifier.parse(assertion);
    String claimed = ClientAssertionVerifier.claimedClientId(jwt);
    if (claimed == null || (clientId != null && !clientId.equals(claimed))) {
      throw ClientAssertionVerifier.refused("The client assertion iss must be the client_id");
    }
    Client client =
        clients
            .findActive(claimed)
            .filter(c -> c.clientType().usesPrivateKeyJwt())
            .orElseThrow(() -> ClientAssertionVerifier.refused("Unknown client"));
    assertions.verify(jwt, client);
    return client;
  }

  private Client publicClient(String clientId) {
    if (clientId == null) {
      throw new OAuthException(OAuth2Error.INVALID_CLIENT, "client_id is required");
    }
    return clients
        .findActive(clientId)
        // A confidential client must prove who it is: its client_id alone is not enough.
        .filter(c -> !c.clientType().usesPrivateKeyJwt())
        .orElseThrow(() -> new OAuthException(OAuth2Error.INVALID_CLIENT, "Unknown client"));
  }
}
