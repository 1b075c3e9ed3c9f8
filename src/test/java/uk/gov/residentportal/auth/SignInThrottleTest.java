package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The arithmetic of delays and locks, at fixed instants (no clock, no database). */
class SignInThrottleTest {
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final BruteForceConfig DEFAULTS = config(5, 30, 100, 100);
  private static final SignInThrottle.Key ACCOUNT =
      new SignInThrottle.Key(SignInThrottle.Kind.ACCOUNT, "a".repeat(64));
  private static final SignInThrottle.Key ADDRESS =
      new SignInThrottle.Key(SignInThrottle.Kind.ADDRESS, "b".repeat(64));

  static BruteForceConfig config(int free, int lockAfter, int perHour, int perAddress) {
    return new BruteForceConfig(
        true,
        free,
        Duration.ofSeconds(1),
        lockAfter,
        Duration.ofSeconds(60),
        Duration.ofMinutes(15),
        perHour,
        perAddress,
        Duration.ofHours(12),
        "");
  }

  /** Fails {@code times} times, each attempt as soon as the previous answer allows. */
  static SignInThrottle failPromptly(SignInThrottle row, int times, BruteForceConfig config) {
    SignInThrottle current = row;
    for (int i = 0; i < times; i++) {
      Instant at = current.lastFailureAt();
      Instant allowed = current.notBefore(at, config);
      current = current.afterFailure(allowed == null ? at : allowed, config);
    }
    return current;
  }

  @Nested
  class Delays {
    @Test
    void freeFailuresLeaveTheNextAttemptFree() {
      SignInThrottle row = failPromptly(SignInThrottle.fresh(ACCOUNT, T0), 5, DEFAULTS);

      assertThat(row.failures()).isEqualTo(5);
      assertThat(row.notBefore(row.lastFailureAt(), DEFAULTS)).isNull();
    }

    @Test
    void delaysDoubleFromTheFirstDelay_upToTheFirstLockPeriod() {
      SignInThrottle row = failPromptly(SignInThrottle.fresh(ACCOUNT, T0), 5, DEFAULTS);
      List<Long> waits = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        row = row.afterFailure(row.lastFailureAt(), DEFAULTS);
        Instant until = row.notBefore(row.lastFailureAt(), DEFAULTS);
        waits.add(Duration.between(row.lastFailureAt(), until).toSeconds());
        row =
            new SignInThrottle(
                row.key(),
                row.failures(),
                row.windowStart(),
                row.windowFailures(),
                row.locks(),
                row.lockedUntil(),
                until);
      }

      assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }

    @Test
    void addressesHaveNoDelays_onlyTheirHourlyLock() {
      SignInThrottle row = failPromptly(SignInThrottle.fresh(ADDRESS, T0), 99, DEFAULTS);

      assertThat(row.notBefore(row.lastFailureAt(), DEFAULTS)).isNull();
      assertThat(row.locks()).isZero();
    }
  }

  @Nested
  class Locks {
    @Test
    void locksAfterThirtyConsecutiveFailures_forSixtySeconds() {
      SignInThrottle row = failPromptly(SignInThrottle.fresh(ACCOUNT, T0), 29, DEFAULTS);
      assertThat(row.locks()).isZero();

      SignInThrottle locked = failPromptly(row, 1, DEFAULTS);

      assertThat(locked.locks()).isEqualTo(1);
      assertThat(Duration.between(locked.lastFailureAt(), locked.lockedUntil()))
          .isEqualTo(Duration.ofSeconds(60));
      assertThat(locked.firstLockSince(row, locked.lastFailureAt(), DEFAULTS)).isTrue();
    }

    @Test
    void eachFailureAfterALockLocksAgain_twiceAsLong_upToFifteenMinutes() {
      SignInThrottle row = failPromptly(SignInThrottle.fresh(ACCOUNT, T0), 30, DEFAULTS);
      List<Long> periods = new ArrayList<>();
      periods.add(Duration.between(row.lastFailureAt(), row.lockedUntil()).toSeconds());
      for (int i = 0; i < 6; i++) {
        SignInThrottle before = row;
        row = row.afterFailure(row.lockedUntil(), DEFAULTS);
        assertThat(row.firstLockSince(before, row.lastFailureAt(), DEFAULTS)).isFalse();
        periods.add(Duration.between(row.lastFailureAt(), row.lockedUntil()).toSeconds());
      }

      assertThat(periods).containsExactly(60L, 120L, 240L, 480L, 900L, 900L, 900L);
    }

    @Test
    void theHourlyAllowanceLocksUntilTheHourIsOver_evenWithoutConsecutiveFailures() {
      BruteForceConfig config = config(5, 30, 10, 100);
      SignInThrottle row = SignInThrottle.fresh(ACCOUNT, T0);
      Instant at = T0;
      for (int i = 0; i < 9; i++) {
        at = at.plusSeconds(60);
        // Between failures the resident signs in: consecutive failures never pass one.
        row = row.afterFailure(at, config);
        row =
            new SignInThrottle(row.key(), 0, row.windowStart(), row.windowFailures(), 0, null, at);
      }
      assertThat(row.windowFailures()).isEqualTo(9);

      SignInThrottle locked = row.afterFailure(T0.plusSeconds(600), config);

      assertThat(locked.lockedUntil()).isEqualTo(T0.plus(Duration.ofHours(1)));
      assertThat(locked.notBefore(T0.plusSeconds(3599), config))
          .isEqualTo(T0.plus(Duration.ofHours(1)));
      assertThat(locked.notBefore(T0.plus(Duration.ofHours(1)), config)).isNull();
    }

    @Test
    void anAddressLocksAtItsOwnHourlyAllowance() {
      SignInThrottle row = failPromptly(SignInThrottle.fresh(ADDRESS, T0), 100, DEFAULTS);

      assertThat(row.locks()).isEqualTo(1);
      assertThat(row.lockedUntil()).isEqualTo(T0.plus(Duration.ofHours(1)));
    }
  }

  @Nested
  class Forgetting {
    @Test
    void theHourlyCountStartsAgainWhenItsHourIsOver() {
      SignInThrottle row = failPromptly(SignInThrottle.fresh(ADDRESS, T0), 50, DEFAULTS);

      SignInThrottle later = row.afterFailure(T0.plus(Duration.ofMinutes(61)), DEFAULTS);

      assertThat(later.windowFailures()).isEqualTo(1);
      assertThat(later.windowStart()).isEqualTo(T0.plus(Duration.ofMinutes(61)));
      assertThat(later.failures()).isEqualTo(51);
    }

    @Test
    void countersIdleForTheResetPeriodAreForgotten_locksIncluded() {
      SignInThrottle row = failPromptly(SignInThrottle.fresh(ACCOUNT, T0), 32, DEFAULTS);
      Instant idle = row.lastFailureAt().plus(Duration.ofHours(12));

      SignInThrottle next = row.afterFailure(idle, DEFAULTS);

      assertThat(next.failures()).isEqualTo(1);
      assertThat(next.locks()).isZero();
      assertThat(next.lockedUntil()).isNull();
    }
  }

  @Nested
  class Refunds {
    @Test
    void undoesTheReservedFailureExactly_itsLockIncluded_whenNothingWasCountedSince() {
      SignInThrottle before = failPromptly(SignInThrottle.fresh(ACCOUNT, T0), 29, DEFAULTS);
      Instant at = before.notBefore(before.lastFailureAt(), DEFAULTS);
      SignInThrottle after = before.afterFailure(at, DEFAULTS);
      assertThat(after.locks()).isEqualTo(1);

      SignInThrottle refunded = after.refunded(before, after);

      assertThat(refunded).isEqualTo(before);
      assertThat(refunded.lockedUntil()).isNull();
    }

    @Test
    void takesOneFailureOff_keepingTheLaterAttemptsDelay_whenOthersWereCountedSince() {
      SignInThrottle before = failPromptly(SignInThrottle.fresh(ADDRESS, T0), 3, DEFAULTS);
      SignInThrottle after = before.afterFailure(before.lastFailureAt(), DEFAULTS);
      SignInThrottle later = after.afterFailure(after.lastFailureAt().plusSeconds(2), DEFAULTS);

      SignInThrottle refunded = later.refunded(before, after);

      assertThat(refunded.failures()).isEqualTo(4);
      assertThat(refunded.windowFailures()).isEqualTo(4);
      assertThat(refunded.lastFailureAt()).isEqualTo(later.lastFailureAt());
    }

    @Test
    void leavesTheHourlyCountAlone_whenItStartedAgainAfterTheReservedFailure() {
      SignInThrottle before = SignInThrottle.fresh(ADDRESS, T0);
      SignInThrottle after = before.afterFailure(T0, DEFAULTS);
      SignInThrottle nextHour = after.afterFailure(T0.plus(Duration.ofMinutes(61)), DEFAULTS);

      SignInThrottle refunded = nextHour.refunded(before, after);

      assertThat(refunded.failures()).isEqualTo(1);
      assertThat(refunded.windowFailures()).isEqualTo(1);
    }
  }

  @Nested
  class Refusals {
    @Test
    void saysSecondsUnderAMinute() {
      BruteForceProtection.Refusal refusal =
          BruteForceProtection.Refusal.waitUntil(T0.plusMillis(7_200), T0);

      assertThat(refusal.retryAfterSeconds()).isEqualTo(8);
      assertThat(refusal.message())
          .isEqualTo("Too many failed attempts to sign in. Wait 8 seconds and try again.");
    }

    @Test
    void roundsUpToWholeMinutes_andRetryAfterAgreesWithTheText() {
      BruteForceProtection.Refusal refusal =
          BruteForceProtection.Refusal.waitUntil(T0.plusSeconds(61), T0);

      assertThat(refusal.retryAfterSeconds()).isEqualTo(120);
      assertThat(refusal.message())
          .isEqualTo("Too many failed attempts to sign in. Wait 2 minutes and try again.");
      assertThat(BruteForceProtection.Refusal.waitUntil(T0.plusSeconds(60), T0).message())
          .contains("Wait 1 minute and");
    }
  }

  @Nested
  class Configuration {
    @Test
    void refusesALongestLockShorterThanTheFirst() {
      assertThatThrownBy(
              () ->
                  new BruteForceConfig(
                      true,
                      5,
                      Duration.ofSeconds(1),
                      30,
                      Duration.ofMinutes(10),
                      Duration.ofMinutes(5),
                      100,
                      100,
                      Duration.ofHours(12),
                      null))
          .hasMessageContaining("PORTAL_BRUTE_FORCE_LOCK_MAX");
    }

    @Test
    void refusesAResetPeriodShorterThanTheHourlyWindow() {
      assertThatThrownBy(
              () ->
                  new BruteForceConfig(
                      true,
                      5,
                      Duration.ofSeconds(1),
                      30,
                      Duration.ofMinutes(1),
                      Duration.ofMinutes(15),
                      100,
                      100,
                      Duration.ofMinutes(30),
                      null))
          .hasMessageContaining("PORTAL_BRUTE_FORCE_RESET_AFTER");
    }
  }
}
