package uk.gov.residentportal.auth;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What other features may ask about registered clients without reaching into this feature's tables:
 * whether a client exists, and which clients sign residents in through us.
 */
@Singleton
public class SignInClients {
  private final ClientRepository clients;

  SignInClients(ClientRepository clients) {
    this.clients = clients;
  }

  /** Whether a client with this id is registered (active or not). */
  @Transactional(readOnly = true)
  public boolean exists(String clientId) {
    return clientId != null && clientId.length() <= 64 && clients.existsById(clientId);
  }

  /**
   * The clients among {@code clientIds} that use our sign-in: active, and of a type that signs
   * residents in with the authorization code flow (public and confidential relying parties), as
   * opposed to machine clients.
   */
  @Transactional(readOnly = true)
  public Set<String> usingOurSignIn(Collection<String> clientIds) {
    if (clientIds.isEmpty()) {
      return Set.of();
    }
    return clients.findByClientIdInAndActive(clientIds, true).stream()
        .filter(
            c -> c.clientType() == ClientType.PUBLIC || c.clientType() == ClientType.CONFIDENTIAL)
        .map(Client::clientId)
        .collect(Collectors.toUnmodifiableSet());
  }
}
