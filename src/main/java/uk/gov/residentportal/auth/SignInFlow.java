package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.cookie.Cookie;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.account.SignInResult;

/**
 * The rules of signing in: whether a browser session answers the request without a password (single
 * sign-on, OIDC Core 3.1.2.1 prompt and max_age), what the sign-in form must hold, checking the
 * password (through the account feature), starting the browser session and issuing the
 * authorization code. The endpoint only maps the outcome to a page or a redirect.
 */
@Singleton
final class SignInFlow {
  static final String EMAIL = "email";
  static final String PASSWORD = "password";

  private final AccountService accounts;
  private final AuthorizationCodes codes;
  private final BruteForceProtection bruteForce;
  private final BrowserSessions sessions;
  private final Clock clock;

  SignInFlow(
      AccountService accounts,
      AuthorizationCodes codes,
      BruteForceProtection bruteForce,
      BrowserSessions sessions,
      Clock clock) {
    this.accounts = accounts;
    this.codes = codes;
    this.bruteForce = bruteForce;
    this.sessions = sessions;
    this.clock = clock;
  }

  /** Either a code for the client, or the page again with what went wrong. */
  sealed interface Outcome {}

  /** A code for the client; with a new session cookie to set when the resident just signed in. */
  record CodeIssued(String code, @Nullable Cookie sessionCookie) implements Outcome {}

  record Refused(HttpStatus status, SignInPages.Errors errors) implements Outcome {}

  /** Too many failures: 429 with Retry-After, the same for every email address. */
  record Throttled(long retryAfterSeconds, SignInPages.Errors errors) implements Outcome {}

  /** The resident must sign in, and the client asked us not to show a page (prompt=none). */
  record LoginRequired() implements Outcome {}

  /** The sign-in page is to be shown. */
  record ShowSignIn() implements Outcome {}

  /**
   * A GET of the authorization endpoint: a live browser session answers at once with a code (single
   * sign-on) unless the client asked for a fresh sign-in with prompt=login or a max_age the
   * session's sign-in is older than.
   */
  Outcome resume(AuthorizationRequestParser.Valid valid, HttpRequest<?> request) {
    Optional<BrowserSession> session =
        valid.promptLogin() ? Optional.empty() : sessions.current(request);
    Instant now = clock.instant();
    Optional<BrowserSession> usable =
        session.filter(
            s -> valid.maxAge() == null || !s.authTime().plusSeconds(valid.maxAge()).isBefore(now));
    if (usable.isPresent()) {
      return new CodeIssued(issue(valid.request(), usable.get()), null);
    }
    // OIDC Core 3.1.2.6: prompt=none and no usable session is login_required, never a page.
    return valid.promptNone() ? new LoginRequired() : new ShowSignIn();
  }

  Outcome signIn(
      AuthorizationRequest authorization,
      String email,
      String password,
      String sourceAddress,
      HttpRequest<?> request) {
    Map<String, String> missing = new LinkedHashMap<>();
    if (email.isEmpty()) {
      missing.put(EMAIL, "Enter your email address");
    } else if (email.length() > 254) {
      missing.put(EMAIL, "Email address must be 254 characters or fewer");
    }
    if (password.isEmpty()) {
      missing.put(PASSWORD, "Enter your password");
    } else if (password.length() > 1024) {
      missing.put(PASSWORD, "Password must be 1024 characters or fewer");
    }
    if (!missing.isEmpty()) {
      return new Refused(HttpStatus.BAD_REQUEST, new SignInPages.Errors(null, missing));
    }
    // Before the password is hashed: a refused attempt costs no Argon2id.
    Optional<BruteForceProtection.Refusal> refusal = bruteForce.check(email, sourceAddress);
    if (refusal.isPresent()) {
      return new Throttled(
          refusal.get().retryAfterSeconds(),
          new SignInPages.Errors(refusal.get().message(), Map.of()));
    }
    SignInResult result = accounts.signIn(email, password);
    bruteForce.record(email, sourceAddress, result);
    if (result instanceof SignInResult.SignedIn signedIn) {
      BrowserSessions.Started started = sessions.start(signedIn.account(), request);
      return new CodeIssued(
          issue(authorization, started.session()), sessions.cookie(started.cookieValue()));
    }
    if (result instanceof SignInResult.EmailNotVerified) {
      return new Refused(
          HttpStatus.FORBIDDEN,
          new SignInPages.Errors(
              "Confirm your email address first: use the link we emailed you", Map.of()));
    }
    // Unknown address and wrong password read the same (no account enumeration).
    return new Refused(
        HttpStatus.UNAUTHORIZED,
        new SignInPages.Errors("Enter the email address and password of your account", Map.of()));
  }

  private String issue(AuthorizationRequest authorization, BrowserSession session) {
    String code = codes.issue(authorization, session);
    sessions.recordClient(session.id(), authorization.clientId());
    return code;
  }
}
