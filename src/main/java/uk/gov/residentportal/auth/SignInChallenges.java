package uk.gov.residentportal.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import uk.gov.residentportal.shared.SecretTokens;

/**
 * The step between a right password and the security code. The browser holds a 256-bit value in an
 * HttpOnly, SameSite=Strict cookie scoped to the authorization endpoint; the database keeps its
 * SHA-256, the account, and the wrong codes counted against it. Five minutes and five wrong codes
 * at most, then the resident signs in again (and each wrong code also counts toward the account's
 * brute-force counters).
 */
@Singleton
class SignInChallenges {
  static final String COOKIE = "portal_challenge";
  static final int MAX_ATTEMPTS = 5;
  private static final Duration LIFETIME = Duration.ofMinutes(5);
  private static final String PATH = "/oauth2/authorize";

  private final SignInChallengeRepository challenges;
  private final SecretTokens secrets;
  private final Clock clock;

  SignInChallenges(SignInChallengeRepository challenges, SecretTokens secrets, Clock clock) {
    this.challenges = challenges;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** Opens a challenge for the account; returns the cookie that stands for it. */
  @Transactional
  Cookie open(String accountId, String email) {
    String value = secrets.generate();
    Instant now = clock.instant();
    challenges.save(
        new SignInChallenge(
            SecretTokens.hash(value), accountId, email, now, now.plus(LIFETIME), 0));
    return cookie(value).maxAge(LIFETIME);
  }

  /** The open challenge the browser's cookie names, if any. */
  @Transactional(readOnly = true)
  Optional<SignInChallenge> current(HttpRequest<?> request) {
    Instant now = clock.instant();
    return request
        .getCookies()
        .findCookie(COOKIE)
        .map(Cookie::getValue)
        .filter(SecretTokens::wellFormed)
        .flatMap(value -> challenges.findById(SecretTokens.hash(value)))
        .filter(c -> c.expiresAt().isAfter(now) && c.attempts() < MAX_ATTEMPTS);
  }

  /** Counts a wrong code; false when that was the last one allowed. */
  @Transactional
  boolean wrongCode(SignInChallenge challenge) {
    return challenges.countWrongCode(challenge.tokenHash(), MAX_ATTEMPTS, clock.instant()) == 1
        && challenge.attempts() + 1 < MAX_ATTEMPTS;
  }

  /** Spends the challenge once; false when another request already did, or it ran out. */
  @Transactional
  boolean spend(SignInChallenge challenge) {
    return challenges.spend(challenge.tokenHash(), MAX_ATTEMPTS, clock.instant()) == 1;
  }

  Cookie cleared() {
    return cookie("").maxAge(0);
  }

  int deleteExpired() {
    return challenges.deleteExpired(clock.instant());
  }

  private static Cookie cookie(String value) {
    return Cookie.of(COOKIE, value)
        .httpOnly(true)
        .secure(true)
        .sameSite(SameSite.Strict)
        .path(PATH);
  }
}
