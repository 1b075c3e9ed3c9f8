package uk.gov.residentportal.auth;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
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
  private final SecureRandom random;
  private final Clock clock;

  ClientService(ClientRepository clients, SecureRandom random, Clock clock) {
    this.clients = clients;
    this.random = random;
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
    save(registration, clients.findById(registration.clientId()));
  }

  /** Registers a new client (administration); a taken clientId is a conflict. */
  @Transactional
  ClientView register(ClientRegistration registration) {
    String clientId =
        registration.clientId() != null ? registration.clientId() : generatedClientId();
    if (clients.existsById(clientId)) {
      throw new ProblemException.Conflict("A client with this clientId exists.");
    }
    return ClientView.of(save(registration.withClientId(clientId), Optional.empty()));
  }

  @Transactional(readOnly = true)
  ClientView get(String clientId) {
    return clients
        .findById(clientId)
        .map(ClientView::of)
        .orElseThrow(ProblemException.NotFound::new);
  }

  /** A page of clients in clientId order, after {@code cursor} (the last clientId seen). */
  @Transactional(readOnly = true)
  List<ClientView> list(String cursor, int limit) {
    return clients
        .findByClientIdGreaterThan(
            cursor == null ? "" : cursor,
            Pageable.from(0, limit, Sort.of(Sort.Order.asc("clientId"))))
        .stream()
        .map(ClientView::of)
        .toList();
  }

  /** Replaces the fields given; the rest stay. */
  @Transactional
  ClientView update(String clientId, ClientChanges changes) {
    Client current = clients.findById(clientId).orElseThrow(ProblemException.NotFound::new);
    ClientRegistration merged =
        new ClientRegistration(
            clientId,
            changes.name() != null ? changes.name() : current.name(),
            current.clientType(),
            changes.redirectUris() != null ? changes.redirectUris() : current.redirectUriList(),
            changes.postLogoutRedirectUris() != null
                ? changes.postLogoutRedirectUris()
                : Client.split(current.postLogoutRedirectUris()),
            current.backchannelLogoutUri(),
            changes.scopes() != null ? changes.scopes() : current.scopeList(),
            null,
            null,
            null);
    return ClientView.of(save(merged, Optional.of(current)));
  }

  /** Stops a client at once: its sign-in requests and token requests are refused. */
  @Transactional
  void deactivate(String clientId) {
    if (clients.deactivate(clientId, clock.instant()) != 1) {
      throw new ProblemException.NotFound();
    }
  }

  private String generatedClientId() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return "c-" + java.util.HexFormat.of().formatHex(bytes);
  }

  private Client save(ClientRegistration registration, Optional<Client> existing) {
    Instant now = clock.instant();
    List<String> redirectUris = uris("redirectUris", registration.redirectUris());
    List<String> postLogout = uris("postLogoutRedirectUris", registration.postLogoutRedirectUris());
    // Back-Channel Logout 1.0 section 2.2: same rules as redirect URIs (https, no fragment).
    String backchannel =
        registration.backchannelLogoutUri() == null
            ? null
            : uris("backchannelLogoutUri", List.of(registration.backchannelLogoutUri())).get(0);
    if (registration.type() == ClientType.PUBLIC && redirectUris.isEmpty()) {
      throw new ProblemException.InvalidField("redirectUris", "a public client needs at least one");
    }
    if (registration.type() != ClientType.PUBLIC) {
      // Confidential, back-office and partner clients need private_key_jwt (the next issue).
      throw new ProblemException.InvalidField(
          "type", "only PUBLIC clients can be registered by this version");
    }
    List<String> scopes = scopes(registration.scopes());
    Client client =
        new Client(
            registration.clientId(),
            registration.name().strip(),
            registration.type(),
            Client.join(redirectUris),
            Client.join(postLogout),
            backchannel,
            Client.join(scopes),
            null,
            null,
            null,
            existing.map(Client::active).orElse(true),
            existing.map(Client::createdAt).orElse(now),
            now);
    if (existing.isPresent()) {
      return clients.update(client);
    }
    try {
      return clients.save(client);
    } catch (DataAccessException anotherReplicaWasFirst) {
      return clients.update(client);
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
