package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.account.SignedInAccount;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.audit.AuditAction;
import uk.gov.residentportal.audit.AuditEvent;
import uk.gov.residentportal.audit.AuditOutcome;
import uk.gov.residentportal.audit.AuditTrail;
import uk.gov.residentportal.shared.SecretTokens;
import uk.gov.residentportal.web.ProblemException;

/**
 * Browser sessions, the basis of single sign-on: a 256-bit random value in a cookie, kept here only
 * as its SHA-256, with an idle timeout that slides as the session is used and an absolute maximum
 * age (OWASP ASVS V3.3). Ending a session ends what was issued in it (its refresh tokens and,
 * through the deny-list, their access tokens) and tells its clients by back-channel logout.
 */
@Singleton
class BrowserSessions {
  static final String COOKIE = "portal_session";

  private static final Logger LOG = LoggerFactory.getLogger(BrowserSessions.class);
  // The idle expiry moves at most once a minute: one write per minute of use, not per request.
  private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

  private final BrowserSessionRepository sessions;
  private final BrowserSessionClientRepository sessionClients;
  private final RefreshTokens refreshTokens;
  private final AuthorizationCodes codes;
  private final ClientService clients;
  private final BackchannelLogout backchannel;
  private final SecretTokens secrets;
  private final SessionConfig config;
  private final AuditTrail audit;
  private final Clock clock;

  BrowserSessions(
      BrowserSessionRepository sessions,
      BrowserSessionClientRepository sessionClients,
      RefreshTokens refreshTokens,
      AuthorizationCodes codes,
      ClientService clients,
      BackchannelLogout backchannel,
      SecretTokens secrets,
      SessionConfig config,
      AuditTrail audit,
      Clock clock) {
    this.sessions = sessions;
    this.sessionClients = sessionClients;
    this.refreshTokens = refreshTokens;
    this.codes = codes;
    this.clients = clients;
    this.backchannel = backchannel;
    this.secrets = secrets;
    this.config = config;
    this.audit = audit;
    this.clock = clock;
  }

  /** A new session and the cookie value that stands for it (returned once, never stored). */
  record Started(BrowserSession session, String cookieValue) {}

  /** The live session the browser's cookie names, if any; using it moves its idle expiry on. */
  @Transactional
  Optional<BrowserSession> current(HttpRequest<?> request) {
    Instant now = clock.instant();
    Optional<BrowserSession> found = fromCookie(request).filter(s -> s.activeAt(now));
    found
        .filter(s -> !s.lastSeenAt().plus(TOUCH_INTERVAL).isAfter(now))
        .ifPresent(s -> sessions.touch(s.id(), now, idleExpiry(now, s.expiresAt())));
    return found;
  }

  /**
   * Starts a session for a resident who has just signed in. The browser's previous session, if any,
   * ends: a sign-in always gets a new session id (OWASP session fixation), whoever held the old
   * one. The sign-in is audited in the same transaction (last, so the audit chain's lock is held
   * only until the commit).
   */
  @Transactional
  Started start(SignedInAccount account, boolean secondFactor, HttpRequest<?> request) {
    fromCookie(request).filter(s -> s.endedAt() == null).ifPresent(this::endSession);
    Instant now = clock.instant();
    String value = secrets.generate();
    Instant expiresAt = now.plus(config.maxAge());
    BrowserSession session =
        sessions.save(
            new BrowserSession(
                UUID.randomUUID().toString(),
                SecretTokens.hash(value),
                account.accountId(),
                AuthenticationStrength.acr(account.assurance(), secondFactor),
                AuthenticationStrength.amr(secondFactor),
                now,
                now,
                now,
                idleExpiry(now, expiresAt),
                expiresAt,
                null,
                DeviceDescription.of(request.getHeaders().get("User-Agent"))));
    LOG.info("browser session started id={} account={}", session.id(), session.accountId());
    audit.append(
        new AuditEvent(
            AuditAction.SIGN_IN,
            AuditOutcome.SUCCESS,
            Actor.account(account.accountId()),
            null,
            null,
            account.accountId(),
            List.of(session.id())));
    return new Started(session, value);
  }

  /** Notes that the client got a code in the session, for back-channel logout. */
  @Transactional
  void recordClient(String sessionId, String clientId) {
    if (sessionClients.existsBySessionIdAndClientId(sessionId, clientId)) {
      return;
    }
    try {
      sessionClients.save(
          new BrowserSessionClient(
              UUID.randomUUID().toString(), sessionId, clientId, clock.instant()));
    } catch (DataAccessException recordedByAConcurrentRequest) {
      // The unique key holds one row per client and session; that row is what matters.
    }
  }

  /** Ends the session (RP-initiated logout) if it is still open. */
  @Transactional
  void end(String sessionId) {
    sessions.findById(sessionId).filter(s -> s.endedAt() == null).ifPresent(this::endSession);
  }

  /**
   * Ends the session an ID token's {@code sid} names (RP-initiated logout without the cookie) if it
   * is still open and belongs to {@code accountId}, the token's {@code sub}; true if it ended here.
   */
  @Transactional
  boolean end(String sessionId, String accountId) {
    if (sessionId.length() != 36) {
      return false; // Our session ids are UUIDs: nothing else names one.
    }
    Optional<BrowserSession> open =
        sessions
            .findById(sessionId)
            .filter(s -> s.endedAt() == null && s.accountId().equals(accountId));
    open.ifPresent(this::endSession);
    return open.isPresent();
  }

  /** Ends every open session of the account (password reset, erasure). */
  @Transactional
  int endAll(String accountId) {
    List<BrowserSession> open = sessions.findByAccountIdAndEndedAtIsNull(accountId);
    open.forEach(this::endSession);
    return open.size();
  }

  /**
   * The resident's signed-in devices, newest first (the newest 100: older live ones still work and
   * a password reset ends them all); the one the calling grant came from is marked.
   */
  @Transactional(readOnly = true)
  List<SessionView> list(String accountId, @Nullable String currentGrantId) {
    Instant now = clock.instant();
    String currentSession =
        currentGrantId == null ? null : refreshTokens.sessionOfGrant(currentGrantId).orElse(null);
    return sessions.findNewestOpen(accountId).stream()
        .filter(s -> s.activeAt(now))
        .map(s -> view(s, s.id().equals(currentSession)))
        .toList();
  }

  /** Signs a device out: the resident's own live session only, else not found. */
  @Transactional
  void revoke(String accountId, String sessionId) {
    if (sessionId.length() != 36) {
      throw new ProblemException.NotFound();
    }
    Instant now = clock.instant();
    BrowserSession session =
        sessions
            .findById(sessionId)
            .filter(s -> s.accountId().equals(accountId) && s.activeAt(now))
            .orElseThrow(ProblemException.NotFound::new);
    endSession(session);
  }

  /** Everything about the account's sessions for the subject access export (no secrets). */
  @Transactional(readOnly = true)
  List<BrowserSession> all(String accountId) {
    return sessions.findByAccountId(accountId);
  }

  /** The clients that got a code in the session. */
  List<String> clientIds(String sessionId) {
    return sessionClients.findBySessionId(sessionId).stream()
        .map(BrowserSessionClient::clientId)
        .toList();
  }

  /**
   * The session cookie: HttpOnly (no script reads it), Secure always (browsers accept Secure
   * cookies from http://localhost), SameSite=Lax so the top-level redirect from another council
   * service to /oauth2/authorize carries it, which single sign-on needs. No Max-Age: it ends with
   * the browser, and the server-side limits apply either way.
   */
  Cookie cookie(String value) {
    return Cookie.of(COOKIE, value).httpOnly(true).secure(true).sameSite(SameSite.Lax).path("/");
  }

  /** Tells the browser to drop the session cookie. */
  Cookie clearedCookie() {
    return cookie("").maxAge(0);
  }

  private void endSession(BrowserSession session) {
    if (sessions.end(session.id(), clock.instant()) != 1) {
      return; // Ended by a concurrent request, which also ended what it issued.
    }
    int grants = refreshTokens.revokeSession(session.id());
    codes.deleteUnused(session.id());
    LOG.info("browser session ended id={} grants={}", session.id(), grants);
    for (String clientId : clientIds(session.id())) {
      clients
          .findActive(clientId)
          .map(Client::backchannelLogoutUri)
          .filter(Objects::nonNull)
          .ifPresent(uri -> backchannel.send(clientId, uri, session.accountId(), session.id()));
    }
  }

  private Optional<BrowserSession> fromCookie(HttpRequest<?> request) {
    return request
        .getCookies()
        .findCookie(COOKIE)
        .map(Cookie::getValue)
        .filter(SecretTokens::wellFormed)
        .flatMap(value -> sessions.findBySecretHash(SecretTokens.hash(value)));
  }

  private Instant idleExpiry(Instant now, Instant expiresAt) {
    Instant idle = now.plus(config.idleTimeout());
    return idle.isBefore(expiresAt) ? idle : expiresAt;
  }

  private SessionView view(BrowserSession s, boolean current) {
    List<String> services =
        clientIds(s.id()).stream()
            .map(id -> clients.findActive(id).map(Client::name).orElse(null))
            .filter(Objects::nonNull)
            .toList();
    return new SessionView(
        s.id(),
        s.device(),
        s.authTime(),
        s.lastSeenAt(),
        s.idleExpiresAt(),
        s.expiresAt(),
        current,
        services);
  }
}
