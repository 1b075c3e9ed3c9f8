package uk.gov.residentportal.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Who is signed in in this browser, for the portal's own staff pages (the reports): the account of
 * the live browser session the session cookie names, and the way to sign in when there is none.
 * Reading the session uses it, as any request with it does: its idle expiry moves on.
 */
@Singleton
public final class SignedInBrowser {
  private final BrowserSessions sessions;
  private final ReportsClient reports;

  SignedInBrowser(BrowserSessions sessions, ReportsClient reports) {
    this.sessions = sessions;
    this.reports = reports;
  }

  /** The account id of the browser's live session, if any. */
  public Optional<String> accountId(HttpRequest<?> request) {
    return sessions.current(request).map(BrowserSession::accountId);
  }

  /**
   * A 302 to the portal's sign-in for the reports client, coming back to this request's path and
   * query (a {@code /reports/} page; anything else comes back to the uptake report).
   */
  public MutableHttpResponse<?> signIn(HttpRequest<?> request) {
    return reports.signIn(request);
  }
}
