package uk.gov.residentportal.auth;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import uk.gov.residentportal.web.ProblemException;

/** Registered clients: lookup for the endpoints, validated registration for bootstrap and admin. */
@Singleton
public class ClientService {
  /**
   * Scopes a public (resident sign-in) client may be given: {@code account} (the resident's own
   * account API) only to the council's own resident app, by registration.
   */
  static final Set<String> SIGN_IN_SCOPES = Set.of("openid", "profile", "email", "account");

  private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}");

  private final ClientRepository clients;
  private final Clock clock;

  ClientService(ClientRepository clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  @Transactional(readOnly = true)
  Optional<Client> findActive(String clientId) {
    if (clientId == null || clientId.length() > 64) {
      return Optional.empty();
    }
    return clients.findByClientIdAndActive(clientId, true);
  }

  /** Creates or replaces a registration (idempotent, for start-up bootstrap and GitOps). */
  @Transactional
  public void upsert(ClientRegistration registration) {
    if (registration.clientId() == null) {
      throw new ProblemException.InvalidField("clientId", "is required");
    }
    Instant now = clock.instant();
    List<String> redirectUris = uris("redirectUris", registration.redirectUris());
    List<String> postLogout = uris("postLogoutRedirectUris", registration.postLogoutRedirectUris());
    if (registration.type() == ClientType.PUBLIC && redirectUris.isEmpty()) {
      throw new ProblemException.InvalidField("redirectUris", "a public client needs at least one");
    }
    if (registration.type() != ClientType.PUBLIC) {
      // Confidential, back-office and partner clients need private_key_jwt (the next issue).
      throw new ProblemException.InvalidField(
          "type", "only PUBLIC clients can be registered by this version");
    }
    List<String> scopes = scopes(registration.scopes());
    Optional<Client> existing = clients.findById(registration.clientId());
    Client client =
        new Client(
            registration.clientId(),
            registration.name().strip(),
            registration.type(),
            Client.join(redirectUris),
            Client.join(postLogout),
            null,
            Client.join(scopes),
            null,
            null,
            null,
            true,
            existing.map(Client::createdAt).orElse(now),
            now);
    if (existing.isPresent()) {
      clients.update(client);
    } else {
      try {
        clients.save(client);
      } catch (DataAccessException anotherReplicaWasFirst) {
        clients.update(client);
      }
    }
  }

  private static List<String> scopes(List<String> requested) {
    List<String> scopes = requested == null || requested.isEmpty() ? List.of("openid") : requested;
    for (String scope : scopes) {
      if (scope == null || !SCOPE_TOKEN.matcher(scope).matches()) {
        throw new ProblemException.InvalidField("scopes", "contains an invalid scope token");
      }
      if (!SIGN_IN_SCOPES.contains(scope)) {
        throw new ProblemException.InvalidField(
            "scopes", "a public client may only have openid, profile, email and account");
      }
    }
    return scopes.stream().distinct().toList();
  }

  /**
   * Redirect URIs (RFC 9700 section 4.1): absolute, https except on loopback hosts, no fragment, no
   * wildcard, compared later by exact string match.
   */
  static List<String> uris(String field, List<String> uris) {
    if (uris == null) {
      return List.of();
    }
    for (String uri : uris) {
      String problem = redirectUriProblem(uri);
      if (problem != null) {
        throw new ProblemException.InvalidField(field, problem);
      }
    }
    return uris.stream().distinct().toList();
  }

  private static String redirectUriProblem(String value) {
    if (value == null || value.isBlank() || value.length() > 2000) {
      return "must be absolute URIs of at most 2000 characters";
    }
    if (value.contains("*") || value.chars().anyMatch(c -> c <= ' ')) {
      return "must not contain wildcards or spaces";
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return "must be valid URIs";
    }
    if (!uri.isAbsolute() || uri.getHost() == null) {
      return "must be absolute URIs with a host";
    }
    if (uri.getRawFragment() != null || value.contains("#")) {
      return "must not have a fragment";
    }
    if (uri.getUserInfo() != null) {
      return "must not carry user information";
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean loopback = Set.of("localhost", "127.0.0.1", "[::1]").contains(uri.getHost());
    if (!"https".equals(scheme) && !("http".equals(scheme) && loopback)) {
      return "must use https (http is allowed only for localhost)";
    }
    return null;
  }
}
