package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.uri.UriBuilder;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of RP-Initiated Logout 1.0: which requests are refused, which end the browser session
 * at once, and which first ask the resident (a logout link on another site must not sign anyone out
 * on its own: section 2, "CSRF" of section 6). A valid {@code id_token_hint} also ends the session
 * its {@code sid} names, which a client's cross-site POST reaches without our cookie. The endpoint
 * only renders the outcome.
 */
@Singleton
final class LogoutFlow {
  private static final Logger LOG = LoggerFactory.getLogger(LogoutFlow.class);
  private static final int MAX_PARAM = 8192;

  private final IdTokenHints hints;
  private final ClientService clients;
  private final BrowserSessions sessions;

  LogoutFlow(IdTokenHints hints, ClientService clients, BrowserSessions sessions) {
    this.hints = hints;
    this.clients = clients;
    this.sessions = sessions;
  }

  /** The parameters of a logout request, carried through the confirmation form. */
  record LogoutRequest(
      @Nullable String idTokenHint,
      @Nullable String clientId,
      @Nullable String postLogoutRedirectUri,
      @Nullable String state) {

    Map<String, String> formParameters() {
      Map<String, String> params = new LinkedHashMap<>();
      putIfSet(params, "id_token_hint", idTokenHint);
      putIfSet(params, "client_id", clientId);
      putIfSet(params, "post_logout_redirect_uri", postLogoutRedirectUri);
      putIfSet(params, "state", state);
      return params;
    }

    private static void putIfSet(Map<String, String> params, String name, @Nullable String value) {
      if (value != null) {
        params.put(name, value);
      }
    }
  }

  sealed interface Outcome {}

  /** Not acted on: shown on our error page, never redirected. */
  record Refused(String message) implements Outcome {}

  /** The resident is asked to confirm (no valid hint, or a hint about someone else). */
  record Confirm(LogoutRequest request, @Nullable String clientName) implements Outcome {}

  /** Signed out: back to the client's registered URI (with state), or our signed-out page. */
  record SignedOut(@Nullable String redirectUri) implements Outcome {}

  /**
   * Handles a logout request; {@code confirmed} is true only for the resident's own confirmation
   * (the form with a matching CSRF token).
   */
  Outcome logout(Map<String, List<String>> params, HttpRequest<?> browser, boolean confirmed) {
    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      if (param.getValue().size() > 1) {
        return new Refused("The sign-out request repeats " + param.getKey() + ".");
      }
      if (param.getValue().get(0).length() > MAX_PARAM) {
        return new Refused("The sign-out request is too long.");
      }
    }
    LogoutRequest request =
        new LogoutRequest(
            nonEmpty(params, "id_token_hint"),
            nonEmpty(params, "client_id"),
            nonEmpty(params, "post_logout_redirect_uri"),
            nonEmpty(params, "state"));
    Optional<IdTokenHints.Hint> hint =
        request.idTokenHint() == null ? Optional.empty() : hints.read(request.idTokenHint());
    if (request.idTokenHint() != null && hint.isEmpty()) {
      return new Refused("The service that sent you here gave a sign-out request we cannot check.");
    }
    // Section 2: client_id, when sent with a hint, must be the hint's audience.
    if (hint.isPresent()
        && request.clientId() != null
        && !hint.get().clientId().equals(request.clientId())) {
      return new Refused("The sign-out request names two different services.");
    }
    String clientId = hint.map(IdTokenHints.Hint::clientId).orElse(request.clientId());
    Optional<Client> client = clientId == null ? Optional.empty() : clients.findActive(clientId);
    String redirectUri = request.postLogoutRedirectUri();
    // Section 3: only a URI registered for the client, compared exactly (no open redirect).
    if (redirectUri != null
        && client
            .map(c -> !Client.split(c.postLogoutRedirectUris()).contains(redirectUri))
            .orElse(true)) {
      return new Refused(
          "The service that sent you here gave an address to return to that is not registered.");
    }
    Optional<BrowserSession> session = sessions.current(browser);
    boolean sameResident =
        hint.isPresent()
            && session.map(s -> s.accountId().equals(hint.get().accountId())).orElse(true);
    if (session.isPresent() && !sameResident && !confirmed) {
      return new Confirm(request, client.map(Client::name).orElse(null));
    }
    session.ifPresent(s -> sessions.end(s.id()));
    // Section 2 makes the OP support POST, and a client's cross-site form POST does not carry our
    // SameSite=Lax cookie: the session the hint names (its sid) is the one the client asks to end,
    // whether or not this browser still shows it. Only for a hint we issued (checked above) to a
    // registered client, and only the hint's own resident's session: a forged or mismatched hint
    // ends nothing. An old genuine ID token can sign its resident out, which section 6 accepts.
    boolean hintedEnded =
        hint.isPresent()
            && client.isPresent()
            && hint.get().sessionId() != null
            && sessions.end(hint.get().sessionId(), hint.get().accountId());
    // Only a registered client's id is logged: the raw parameter is the caller's text (CR/LF).
    LOG.info(
        "logout session={} hintedSessionEnded={} clientId={}",
        session.map(BrowserSession::id).orElse("none"),
        hintedEnded,
        client.map(Client::clientId).orElse("unknown"));
    if (redirectUri == null) {
      return new SignedOut(null);
    }
    UriBuilder back = UriBuilder.of(redirectUri);
    if (request.state() != null) {
      back.queryParam("state", request.state());
    }
    return new SignedOut(back.toString());
  }

  private static String nonEmpty(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }
}
