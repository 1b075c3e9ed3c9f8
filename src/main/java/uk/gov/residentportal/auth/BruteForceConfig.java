package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code portal.brute-force.*}: how {@link BruteForceProtection} slows down and locks out password
 * guessing. Built while the service starts ({@link Context}): a wrong setting stops it with a
 * message naming the variable.
 *
 * <p>The defaults follow Keycloak's brute-force detector (failureFactor 30, waitIncrement 60 s,
 * maxTemporaryLockoutWait 15 min, maxDeltaTime 12 h), which Keycloak leaves off and we switch on,
 * and OWASP ASVS 4.0.3 2.2.1 / 5.0 V6.3.1 (at most 100 failed attempts per hour on one account):
 *
 * <ul>
 *   <li>5 free failures (typos, a forgotten password) before any delay, then a delay between
 *       attempts doubling from {@code first-delay} 1 s up to {@code lock-min};
 *   <li>a lock after 30 consecutive failures, 60 s for the first and doubling with every further
 *       lock up to 15 min; 100 failures in one hour lock the account until that hour is over;
 *   <li>a source address locks after 100 failures in an hour, whichever accounts they were for: far
 *       more than one account's allowance, because a council library or a school shares one NAT
 *       address among many residents, but it stops one machine spraying passwords over many
 *       accounts (which per-account counting cannot see);
 *   <li>counters are forgotten 12 h after their last failure.
 * </ul>
 *
 * @param enabled PORTAL_BRUTE_FORCE_ENABLED
 * @param freeFailures PORTAL_BRUTE_FORCE_FREE_FAILURES: consecutive failures on one account before
 *     the next attempt has to wait
 * @param firstDelay PORTAL_BRUTE_FORCE_FIRST_DELAY: the wait after the first failure beyond the
 *     free ones; doubles with each further failure, never beyond {@code lockMin}
 * @param lockAfter PORTAL_BRUTE_FORCE_LOCK_AFTER: consecutive failures that lock an account
 * @param lockMin PORTAL_BRUTE_FORCE_LOCK_MIN: the first lock's length
 * @param lockMax PORTAL_BRUTE_FORCE_LOCK_MAX: the longest lock
 * @param maxFailuresPerHour PORTAL_BRUTE_FORCE_MAX_FAILURES_PER_HOUR: failures per account per hour
 *     (ASVS: at most 100)
 * @param addressLockAfter PORTAL_BRUTE_FORCE_ADDRESS_LOCK_AFTER: failures per source address per
 *     hour
 * @param resetAfter PORTAL_BRUTE_FORCE_RESET_AFTER: counters idle this long start again from zero
 * @param clientAddressHeader PORTAL_BRUTE_FORCE_CLIENT_ADDRESS_HEADER: the header in which a
 *     trusted reverse proxy puts the client's address (e.g. {@code X-Real-IP}, or {@code
 *     X-Forwarded-For}, whose last entry is used); empty: the TCP peer's address
 */
@Context
@ConfigurationProperties("portal.brute-force")
record BruteForceConfig(
    @Bindable(defaultValue = "true") boolean enabled,
    @Min(value = 0, message = "must be at least {value} (PORTAL_BRUTE_FORCE_FREE_FAILURES)")
        @Max(value = 1000, message = "must be at most {value} (PORTAL_BRUTE_FORCE_FREE_FAILURES)")
        @Bindable(defaultValue = "5")
        int freeFailures,
    @NotNull @Bindable(defaultValue = "1s") Duration firstDelay,
    @Min(value = 1, message = "must be at least {value} (PORTAL_BRUTE_FORCE_LOCK_AFTER)")
        @Max(value = 1000, message = "must be at most {value} (PORTAL_BRUTE_FORCE_LOCK_AFTER)")
        @Bindable(defaultValue = "30")
        int lockAfter,
    @NotNull @Bindable(defaultValue = "60s") Duration lockMin,
    @NotNull @Bindable(defaultValue = "15m") Duration lockMax,
    @Min(value = 1, message = "must be at least {value} (PORTAL_BRUTE_FORCE_MAX_FAILURES_PER_HOUR)")
        @Max(
            value = 100,
            message =
                "must be at most {value}, the ASVS limit (PORTAL_BRUTE_FORCE_MAX_FAILURES_PER_HOUR)")
        @Bindable(defaultValue = "100")
        int maxFailuresPerHour,
    @Min(value = 1, message = "must be at least {value} (PORTAL_BRUTE_FORCE_ADDRESS_LOCK_AFTER)")
        @Bindable(defaultValue = "100")
        int addressLockAfter,
    @NotNull @Bindable(defaultValue = "12h") Duration resetAfter,
    @Nullable String clientAddressHeader) {

  /** The window {@code maxFailuresPerHour} and {@code addressLockAfter} count in. */
  static final Duration WINDOW = Duration.ofHours(1);

  BruteForceConfig {
    // application.yml maps an unset environment variable to "", which means "not set".
    clientAddressHeader =
        clientAddressHeader == null || clientAddressHeader.isBlank()
            ? null
            : clientAddressHeader.strip();
    if (firstDelay != null && (firstDelay.isNegative() || firstDelay.isZero())) {
      throw new IllegalArgumentException("PORTAL_BRUTE_FORCE_FIRST_DELAY must be positive");
    }
    if (lockMin != null && (lockMin.isNegative() || lockMin.isZero())) {
      throw new IllegalArgumentException("PORTAL_BRUTE_FORCE_LOCK_MIN must be positive");
    }
    if (lockMin != null && lockMax != null && lockMax.compareTo(lockMin) < 0) {
      throw new IllegalArgumentException(
          "PORTAL_BRUTE_FORCE_LOCK_MAX must be at least PORTAL_BRUTE_FORCE_LOCK_MIN");
    }
    if (resetAfter != null && resetAfter.compareTo(WINDOW) < 0) {
      // Forgetting a counter sooner would forget the hourly count the ASVS limit rests on.
      throw new IllegalArgumentException("PORTAL_BRUTE_FORCE_RESET_AFTER must be at least 1h");
    }
  }
}
