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
import java.util.TreeSet;
import java.util.regex.Pattern;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.audit.AuditAction;
import uk.gov.residentportal.audit.AuditEvent;
import uk.gov.residentportal.audit.AuditOutcome;
import uk.gov.residentportal.audit.AuditTrail;
import uk.gov.residentportal.partner.Organisations;
import uk.gov.residentportal.shared.DeadlockRetry;
import uk.gov.residentportal.web.ProblemException;

/**
 * Registered clients: lookup for the endpoints, validated registration for bootstrap and admin.
 * What each {@link ClientType} may hold is checked here, the keys by {@link ClientJwks}.
 */
@Singleton
public class ClientService {
  // A back-office system's name as its records carry it (records/{sourceSystem}/{externalRef}).
  private static final Pattern SOURCE_SYSTEM = Pattern.compile("[A-Z0-9_-]{2,64}");
  // NHS Organisation Data Service codes: 3 to 10 upper-case letters and digits (e.g. RX1, A81001).
  private static final Pattern ODS_CODE = Pattern.compile("[A-Z0-9]{3,10}");
  private static final Pattern ACCOUNT_ID_SHAPE =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}");
  // A partner's own rate limit: requests a second and burst, each within these bounds.
  private static final int RATE_LIMIT_MAX = 10_000;

  private final ClientRepository clients;
  private final Organisations organisations;
  private final SecureRandom random;
  private final AuditTrail audit;
  private final Clock clock;

  ClientService(
      ClientRepository clients,
      Organisations organisations,
      SecureRandom random,
      AuditTrail audit,
      Clock clock) {
    this.clients = clients;
    this.organisations = organisations;
    this.random = random;
    this.audit = audit;
    this.clock = clock;
  }

  @Transactional(readOnly = true)
  Optional<Client> findActive(String clientId) {
    if (clientId == null || clientId.length() > 64) {
      return Optional.empty();
    }
    return clients.findByClientIdAndActive(clientId, true);
  }

  /**
   * An active client's own partner API rate limit, read now (no cache): empty when the client is
   * not registered or not active (its tokens already issued stop at once wherever this is checked);
   * otherwise its values, either of which may be absent (the configured default stands in).
   */
  @Transactional(readOnly = true)
  public Optional<ClientRateLimit> activeClientRateLimit(String clientId) {
    return findActive(clientId)
        .map(c -> new ClientRateLimit(c.rateLimitPerSecond(), c.rateLimitBurst()));
  }

  /** An active client's own partner API rate limit, if its registration sets one. */
  @Transactional(readOnly = true)
  public Optional<ClientRateLimit> rateLimitOf(String clientId) {
    return activeClientRateLimit(clientId).filter(l -> l.perSecond() != null || l.burst() != null);
  }

  /** A client's own partner API rate limit: sustained requests per second and burst. */
  public record ClientRateLimit(
      @io.micronaut.core.annotation.Nullable Integer perSecond,
      @io.micronaut.core.annotation.Nullable Integer burst) {}

  /**
   * Creates or replaces a registration (idempotent, for start-up bootstrap and GitOps). Every
   * replica runs it at every start with the same file, so only a real change is written and
   * audited, by the system: a new client ({@code ADMIN_CLIENT_REGISTERED}) or a changed
   * registration ({@code ADMIN_CLIENT_CHANGED}); an unchanged one writes nothing.
   */
  @Transactional
  public void upsert(ClientRegistration registration) {
    if (registration.clientId() == null) {
      throw new ProblemException.InvalidField("clientId", "is required");
    }
    Saved saved = save(registration, clients.findById(registration.clientId()));
    switch (saved.change()) {
      case CREATED ->
          audited(AuditAction.ADMIN_CLIENT_REGISTERED, Actor.system(), registration.clientId());
      case CHANGED ->
          audited(AuditAction.ADMIN_CLIENT_CHANGED, Actor.system(), registration.clientId());
      case UNCHANGED -> {
        // Nothing written, nothing to audit.
      }
    }
  }

  /** Registers a new client (administration); a taken clientId is a conflict. */
  @Transactional
  ClientView register(ClientRegistration registration, Actor admin) {
    String clientId =
        registration.clientId() != null ? registration.clientId() : generatedClientId();
    if (clients.existsById(clientId)) {
      throw new ProblemException.Conflict("A client with this clientId exists.");
    }
    ClientView registered =
        ClientView.of(save(registration.withClientId(clientId), Optional.empty()).client());
    audited(AuditAction.ADMIN_CLIENT_REGISTERED, admin, clientId);
    return registered;
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

  /**
   * Replaces the fields given; the rest stay. The type, sourceSystem and organisationOds never
   * change (they say whose records a client writes or reads); the key set may be replaced, which is
   * how a client rotates its keys; a partner's rate limit may be replaced or, with an empty one,
   * removed.
   */
  @Transactional
  ClientView update(String clientId, ClientChanges changes, Actor admin) {
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
            changes.backchannelLogoutUri() != null
                ? changes.backchannelLogoutUri()
                : current.backchannelLogoutUri(),
            changes.scopes() != null ? changes.scopes() : current.scopeList(),
            changes.jwks() != null
                ? changes.jwks()
                : current.jwks() == null ? null : ClientJwks.view(current.jwks()),
            current.sourceSystem(),
            current.organisationOds(),
            changes.rateLimit() != null ? changes.rateLimit() : ClientView.rateLimitOf(current));
    ClientView changed = ClientView.of(save(merged, Optional.of(current)).client());
    audited(AuditAction.ADMIN_CLIENT_CHANGED, admin, clientId);
    return changed;
  }

  /** Stops a client at once: its sign-in requests and token requests are refused. */
  @Transactional
  void deactivate(String clientId, Actor admin) {
    if (clients.deactivate(clientId, clock.instant()) != 1) {
      throw new ProblemException.NotFound();
    }
    audited(AuditAction.ADMIN_CLIENT_REMOVED, admin, clientId);
  }

  /** An administrator's change, last in its transaction (the chain's lock lasts to the commit). */
  private void audited(AuditAction action, Actor admin, String clientId) {
    audit.append(
        new AuditEvent(action, AuditOutcome.SUCCESS, admin, null, null, null, List.of(clientId)));
  }

  private String generatedClientId() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return "c-" + java.util.HexFormat.of().formatHex(bytes);
  }

  /**
   * Validates a registration against its type and stores it. PUBLIC and CONFIDENTIAL clients sign
   * residents in (redirect URIs, sign-in scopes); BACK_OFFICE and PARTNER clients are machines
   * (client_credentials only: no redirect URIs). Every type but PUBLIC authenticates with
   * private_key_jwt and so needs its public keys.
   */
  private Saved save(ClientRegistration registration, Optional<Client> existing) {
    Instant now = clock.instant();
    ClientType type = registration.type();
    if (ACCOUNT_ID_SHAPE.matcher(registration.clientId()).matches()) {
      // Machine tokens carry the client as their subject (RFC 9068 section 2.2): a client id that
      // could be a resident's account id could make one pass as the other.
      throw new ProblemException.InvalidField("clientId", "must not have the shape of a UUID");
    }
    List<String> redirectUris = uris("redirectUris", registration.redirectUris());
    List<String> postLogout = uris("postLogoutRedirectUris", registration.postLogoutRedirectUris());
    String backchannelLogoutUri =
        registration.backchannelLogoutUri() == null
            ? null
            : uris("backchannelLogoutUri", List.of(registration.backchannelLogoutUri())).get(0);
    if (type.signsInResidents()) {
      if (redirectUris.isEmpty()) {
        throw new ProblemException.InvalidField(
            "redirectUris", "a " + type + " client needs at least one");
      }
    } else {
      refuseFor(type, "redirectUris", !redirectUris.isEmpty());
      refuseFor(type, "postLogoutRedirectUris", !postLogout.isEmpty());
      refuseFor(type, "backchannelLogoutUri", backchannelLogoutUri != null);
    }
    String jwks = null;
    if (type.usesPrivateKeyJwt()) {
      if (registration.jwks() == null) {
        throw new ProblemException.InvalidField(
            "jwks", "is required: a " + type + " client authenticates with private_key_jwt");
      }
      jwks = ClientJwks.validated(registration.jwks());
    } else {
      refuseFor(type, "jwks", registration.jwks() != null);
    }
    String sourceSystem = registration.sourceSystem();
    if (type == ClientType.BACK_OFFICE) {
      if (sourceSystem == null || !SOURCE_SYSTEM.matcher(sourceSystem).matches()) {
        throw new ProblemException.InvalidField(
            "sourceSystem", "is required: 2 to 64 upper-case letters, digits, _ or -");
      }
    } else {
      refuseFor(type, "sourceSystem", sourceSystem != null);
    }
    String ods = registration.organisationOds();
    if (type == ClientType.PARTNER) {
      if (ods == null || !ODS_CODE.matcher(ods).matches()) {
        throw new ProblemException.InvalidField(
            "organisationOds", "is required: an ODS code of 3 to 10 upper-case letters or digits");
      }
      // Every partner client belongs to a registered organisation (active or not: an inactive
      // organisation's clients exist but get no token), the one its tokens speak for.
      if (!organisations.isRegistered(ods)) {
        throw new ProblemException.InvalidField(
            "organisationOds", "is not a registered organisation");
      }
    } else {
      refuseFor(type, "organisationOds", ods != null);
    }
    ClientRegistration.RateLimit rateLimit = rateLimit(type, registration.rateLimit());
    List<String> scopes = scopes(type, registration.scopes());
    Client client =
        new Client(
            registration.clientId(),
            registration.name().strip(),
            type,
            Client.join(redirectUris),
            Client.join(postLogout),
            backchannelLogoutUri,
            Client.join(scopes),
            jwks,
            sourceSystem,
            ods,
            rateLimit == null ? null : rateLimit.perSecond(),
            rateLimit == null ? null : rateLimit.burst(),
            existing.map(Client::active).orElse(true),
            existing.map(Client::createdAt).orElse(now),
            now);
    if (existing.isPresent()) {
      return updated(existing.get(), client);
    }
    try {
      return new Saved(clients.save(client), Change.CREATED);
    } catch (DataAccessException anotherReplicaWasFirst) {
      if (DeadlockRetry.isDeadlock(anotherReplicaWasFirst)) {
        // The whole transaction was rolled back: the caller runs it again (StartupRace).
        throw anotherReplicaWasFirst;
      }
      // It registered the same entry a moment ago: a change only if its copy differs.
      Optional<Client> first = clients.findById(client.clientId());
      return first.isPresent()
          ? updated(first.get(), client)
          : new Saved(clients.update(client), Change.CHANGED);
    }
  }

  /** What a save did. */
  private enum Change {
    CREATED,
    CHANGED,
    UNCHANGED
  }

  private record Saved(Client client, Change change) {}

  /** Writes {@code wanted} over {@code current} unless only the update time would differ. */
  private Saved updated(Client current, Client wanted) {
    Client sameTime =
        new Client(
            wanted.clientId(),
            wanted.name(),
            wanted.clientType(),
            wanted.redirectUris(),
            wanted.postLogoutRedirectUris(),
            wanted.backchannelLogoutUri(),
            wanted.scopes(),
            wanted.jwks(),
            wanted.sourceSystem(),
            wanted.organisationOds(),
            wanted.rateLimitPerSecond(),
            wanted.rateLimitBurst(),
            current.active(),
            current.createdAt(),
            current.updatedAt());
    if (sameTime.equals(current)) {
      return new Saved(current, Change.UNCHANGED);
    }
    return new Saved(clients.update(wanted), Change.CHANGED);
  }

  /**
   * A partner's own rate limit: both values, each 1 to 10,000, the burst at least the sustained
   * rate (a smaller bucket could never hold a second's worth). Null when none is set (an empty
   * object included): the configured default applies.
   */
  private static ClientRegistration.RateLimit rateLimit(
      ClientType type, ClientRegistration.RateLimit given) {
    if (given == null) {
      return null;
    }
    refuseFor(type, "rateLimit", type != ClientType.PARTNER);
    if (given.perSecond() == null && given.burst() == null) {
      return null;
    }
    int perSecond = rateLimitValue("rateLimit.perSecond", given.perSecond());
    int burst = rateLimitValue("rateLimit.burst", given.burst());
    if (burst < perSecond) {
      throw new ProblemException.InvalidField(
          "rateLimit.burst", "must be at least rateLimit.perSecond");
    }
    return given;
  }

  private static int rateLimitValue(String field, Integer value) {
    if (value == null) {
      throw new ProblemException.InvalidField(
          field, "is required: rateLimit needs both perSecond and burst");
    }
    if (value < 1 || value > RATE_LIMIT_MAX) {
      throw new ProblemException.InvalidField(field, "must be 1 to " + RATE_LIMIT_MAX);
    }
    return value;
  }

  private static void refuseFor(ClientType type, String field, boolean given) {
    if (given) {
      throw new ProblemException.InvalidField(field, "does not apply to a " + type + " client");
    }
  }

  /**
   * The scopes a type allows. Sign-in clients get {@code openid} when none are given; machine
   * clients must say which of theirs they need.
   */
  private static List<String> scopes(ClientType type, List<String> requested) {
    List<String> scopes = requested == null ? List.of() : requested;
    if (scopes.isEmpty()) {
      if (!type.signsInResidents()) {
        throw new ProblemException.InvalidField(
            "scopes", "a " + type + " client needs at least one of " + allowed(type));
      }
      scopes = List.of("openid");
    }
    for (String scope : scopes) {
      if (scope == null || !SCOPE_TOKEN.matcher(scope).matches()) {
        throw new ProblemException.InvalidField("scopes", "contains an invalid scope token");
      }
      if (!type.allowedScopes().contains(scope)) {
        throw new ProblemException.InvalidField(
            "scopes", "a " + type + " client may only have " + allowed(type));
      }
    }
    return scopes.stream().distinct().toList();
  }

  private static String allowed(ClientType type) {
    return String.join(", ", new TreeSet<>(type.allowedScopes()));
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
