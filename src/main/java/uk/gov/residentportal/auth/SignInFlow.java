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
import uk.gov.residentportal.account.SecondFactor;
import uk.gov.residentportal.account.SignInResult;
import uk.gov.residentportal.account.SignedInAccount;

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
  static final String CODE = "code";
  private static final String WRONG_CODE =
      "Enter the security code your authenticator app shows now, or one of your recovery codes";
  private static final SignInPages.Errors SIGN_IN_AGAIN =
      new SignInPages.Errors("Your sign-in timed out. Sign in again.", Map.of());

  private final AccountService accounts;
  private final AuthorizationCodes codes;
  private final BruteForceProtection bruteForce;
  private final BrowserSessions sessions;
  private final SecondFactor secondFactor;
  private final SignInChallenges challenges;
  private final Clock clock;

  SignInFlow(
      AccountService accounts,
      AuthorizationCodes codes,
      BruteForceProtection bruteForce,
      BrowserSessions sessions,
      SecondFactor secondFactor,
      SignInChallenges challenges,
      Clock clock) {
    this.accounts = accounts;
    this.codes = codes;
    this.bruteForce = bruteForce;
    this.sessions = sessions;
    this.secondFactor = secondFactor;
    this.challenges = challenges;
    this.clock = clock;
  }

  /** Either a code for the client, or the page again with what went wrong. */
  sealed interface Outcome {}

  /** A code for the client; with a new session cookie to set when the resident just signed in. */
  record CodeIssued(String code, @Nullable Cookie sessionCookie) implements Outcome {}

  record Refused(HttpStatus status, SignInPages.Errors errors) implements Outcome {}

  /** Too many failures: 429 with Retry-After, the same for every email address. */
  record Throttled(long retryAfterSeconds, SignInPages.Errors errors) implements Outcome {}

  /**
   * The password was right and the account has an authenticator app: the security code page, with
   * the challenge cookie to set when it was just opened.
   */
  record SecondFactorRequired(
      @Nullable Cookie challengeCookie, SignInPages.Errors errors, HttpStatus status)
      implements Outcome {
    SecondFactorRequired(@Nullable Cookie challengeCookie, SignInPages.Errors errors) {
      this(
          challengeCookie,
          errors,
          errors.fields().isEmpty() ? HttpStatus.OK : HttpStatus.BAD_REQUEST);
    }
  }

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
    // Before the password is hashed: a refused attempt costs no Argon2id, and one let through is
    // already counted as a failure, so parallel attempts cannot all slip through together.
    BruteForceProtection.Attempt attempt = bruteForce.begin(email, sourceAddress);
    if (attempt.refused().isPresent()) {
      return throttled(attempt.refused().get());
    }
    SignInResult result = accounts.signIn(email, password);
    if (result instanceof SignInResult.SignedIn signedIn
        && secondFactor.enrolled(signedIn.account().accountId())) {
      // The password alone proves nothing yet: no failure, but the counters are reset only by
      // the code.
      bruteForce.refund(attempt);
      return new SecondFactorRequired(
          challenges.open(signedIn.account().accountId(), email), SignInPages.Errors.none());
    }
    bruteForce.settle(attempt, result);
    if (result instanceof SignInResult.SignedIn signedIn) {
      return signedIn(authorization, signedIn, false, request);
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

  /**
   * The security code step, for a browser holding an open challenge: the authenticator app's
   * current code or a recovery code (account feature). Wrong codes count toward the account's and
   * address's brute-force counters, and the challenge allows five.
   */
  Outcome secondFactor(
      AuthorizationRequest authorization,
      String code,
      String sourceAddress,
      HttpRequest<?> request) {
    Optional<SignInChallenge> open = challenges.current(request);
    if (open.isEmpty()) {
      return new Refused(HttpStatus.FORBIDDEN, SIGN_IN_AGAIN);
    }
    SignInChallenge challenge = open.get();
    if (code.isEmpty() || code.length() > 20) {
      return new SecondFactorRequired(
          null,
          new SignInPages.Errors(
              null, Map.of(CODE, code.isEmpty() ? "Enter the security code" : WRONG_CODE)));
    }
    BruteForceProtection.Attempt attempt = bruteForce.begin(challenge.email(), sourceAddress);
    if (attempt.refused().isPresent()) {
      return throttled(attempt.refused().get());
    }
    if (secondFactor.verify(challenge.accountId(), code).isEmpty()) {
      bruteForce.settle(attempt, new SignInResult.Refused());
      if (!challenges.wrongCode(challenge)) {
        return new Refused(
            HttpStatus.UNAUTHORIZED,
            new SignInPages.Errors(
                "You entered a wrong security code too many times. Sign in again.", Map.of()));
      }
      return new SecondFactorRequired(
          null, new SignInPages.Errors(null, Map.of(CODE, WRONG_CODE)), HttpStatus.UNAUTHORIZED);
    }
    Optional<SignedInAccount> account = accounts.signedIn(challenge.accountId());
    if (!challenges.spend(challenge) || account.isEmpty()) {
      // A right code, but the challenge was spent or the account closed meanwhile: no guess.
      bruteForce.refund(attempt);
      return new Refused(HttpStatus.FORBIDDEN, SIGN_IN_AGAIN);
    }
    SignInResult.SignedIn signedIn = new SignInResult.SignedIn(account.get());
    bruteForce.settle(attempt, signedIn);
    return signedIn(authorization, signedIn, true, request);
  }

  private static Throttled throttled(BruteForceProtection.Refusal refusal) {
    return new Throttled(
        refusal.retryAfterSeconds(), new SignInPages.Errors(refusal.message(), Map.of()));
  }

  private CodeIssued signedIn(
      AuthorizationRequest authorization,
      SignInResult.SignedIn signedIn,
      boolean secondFactor,
      HttpRequest<?> request) {
    accounts.signInCompleted(signedIn.account().accountId());
    BrowserSessions.Started started = sessions.start(signedIn.account(), secondFactor, request);
    return new CodeIssued(
        issue(authorization, started.session()), sessions.cookie(started.cookieValue()));
  }

  private String issue(AuthorizationRequest authorization, BrowserSession session) {
    String code = codes.issue(authorization, session);
    sessions.recordClient(session.id(), authorization.clientId());
    return code;
  }
}
