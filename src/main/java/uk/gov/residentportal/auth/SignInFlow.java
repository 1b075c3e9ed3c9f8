package uk.gov.residentportal.auth;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.account.SignInResult;

/**
 * The rules of the sign-in form: what must be filled in, checking the password (through the account
 * feature), and issuing the authorization code. The endpoint only maps the outcome to a page or a
 * redirect.
 */
@Singleton
final class SignInFlow {
  static final String EMAIL = "email";
  static final String PASSWORD = "password";

  private final AccountService accounts;
  private final AuthorizationCodes codes;
  private final BruteForceProtection bruteForce;
  private final Clock clock;

  SignInFlow(
      AccountService accounts,
      AuthorizationCodes codes,
      BruteForceProtection bruteForce,
      Clock clock) {
    this.accounts = accounts;
    this.codes = codes;
    this.bruteForce = bruteForce;
    this.clock = clock;
  }

  /** Either a code for the client, or the page again with what went wrong. */
  sealed interface Outcome {}

  record CodeIssued(String code) implements Outcome {}

  record Refused(HttpStatus status, SignInPages.Errors errors) implements Outcome {}

  /** Too many failures: 429 with Retry-After, the same for every email address. */
  record Throttled(long retryAfterSeconds, SignInPages.Errors errors) implements Outcome {}

  Outcome signIn(
      AuthorizationRequest authorization, String email, String password, String sourceAddress) {
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
      return new CodeIssued(codes.issue(authorization, signedIn.account(), clock.instant()));
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
}
