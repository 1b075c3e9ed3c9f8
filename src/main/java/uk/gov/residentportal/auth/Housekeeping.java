package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.VerifyAuditCommand;

/**
 * Deletes what can no longer matter: expired authorization codes, expired deny-list entries, the
 * jti of expired client assertions, failed sign-in counters idle for longer than {@code
 * PORTAL_BRUTE_FORCE_RESET_AFTER}, retired signing keys whose last token has expired, browser
 * sessions ended or expired a week ago, and expired second-factor challenges. Every replica runs
 * it; the deletes are idempotent.
 */
@Singleton
@Requires(notEnv = VerifyAuditCommand.ENVIRONMENT) // the read-only --verify-audit writes nothing
final class Housekeeping {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  // Codes are kept a day past expiry so a late replay still finds its code and revokes the grant.
  private static final Duration CODE_GRACE = Duration.ofDays(1);

  // Ended and expired sessions stay a week: the resident's export still shows recent sign-outs.
  private static final Duration SESSION_GRACE = Duration.ofDays(7);

  private final AuthorizationCodeRepository codes;
  private final TokenRevocationRepository revocations;
  private final UsedAssertionRepository assertions;
  private final SignInThrottleRepository throttles;
  private final BruteForceConfig bruteForce;
  private final KeyRing keys;
  private final BrowserSessionRepository sessions;
  private final SignInChallenges challenges;
  private final Clock clock;

  Housekeeping(
      AuthorizationCodeRepository codes,
      TokenRevocationRepository revocations,
      UsedAssertionRepository assertions,
      SignInThrottleRepository throttles,
      BruteForceConfig bruteForce,
      KeyRing keys,
      BrowserSessionRepository sessions,
      SignInChallenges challenges,
      Clock clock) {
    this.codes = codes;
    this.revocations = revocations;
    this.assertions = assertions;
    this.throttles = throttles;
    this.bruteForce = bruteForce;
    this.keys = keys;
    this.sessions = sessions;
    this.challenges = challenges;
    this.clock = clock;
  }

  @Scheduled(initialDelay = "5m", fixedDelay = "1h")
  void deleteExpired() {
    int deletedCodes = codes.deleteExpired(clock.instant().minus(CODE_GRACE));
    int deletedRevocations = revocations.deleteExpired(clock.instant());
    // An expired assertion is refused on its exp, so its jti need not be remembered any more.
    int deletedAssertions = assertions.deleteExpired(clock.instant());
    int deletedThrottles =
        throttles.deleteIdle(clock.instant().minus(bruteForce.resetAfter()), clock.instant());
    int deletedKeys = keys.deleteExpired();
    int deletedSessions = sessions.deleteFinished(clock.instant().minus(SESSION_GRACE));
    int deletedChallenges = challenges.deleteExpired();
    LOG.info(
        "housekeeping: codes={} revocations={} clientAssertions={} sign-in counters={}"
            + " signing keys={} sessions={} sign-in challenges={}",
        deletedCodes,
        deletedRevocations,
        deletedAssertions,
        deletedThrottles,
        deletedKeys,
        deletedSessions,
        deletedChallenges);
  }
}
