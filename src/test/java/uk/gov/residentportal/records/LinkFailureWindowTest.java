package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The sliding-window counter behind both linking limits, without a server. */
class LinkFailureWindowTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final int LIMIT = 5;
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  private static Instant after(Duration elapsed) {
    return START.plus(elapsed);
  }

  /** Counts failures one after the other at {@code now} while they fit; answers how many did. */
  private static int failUntilRefused(FailureWindow[] counter, Instant now) {
    int counted = 0;
    while (true) {
      FailureWindow current = counter[0].at(now, HOUR);
      if (!current.allowsOneMore(now, HOUR, LIMIT)) {
        counter[0] = current;
        return counted;
      }
      counter[0] = current.plusOne();
      counted++;
    }
  }

  @Nested
  class WithinOneWindow {
    @Test
    void allowsTheLimitAndNoMore() {
      FailureWindow[] counter = {FailureWindow.empty(START)};

      assertThat(failUntilRefused(counter, after(Duration.ofMinutes(1)))).isEqualTo(LIMIT);
      assertThat(failUntilRefused(counter, after(Duration.ofMinutes(59)))).isZero();
    }
  }

  @Nested
  class AtTheBoundary {
    @Test
    void neverAllowsABurstOverTheLimitAcrossIt() {
      // A fixed window would allow 5 at 10:59 and 5 more at 11:00.
      FailureWindow[] counter = {FailureWindow.empty(START)};
      int before = failUntilRefused(counter, after(Duration.ofMinutes(59)));
      int justAfter = failUntilRefused(counter, after(Duration.ofMinutes(60)));

      assertThat(before).isEqualTo(LIMIT);
      assertThat(justAfter).isZero();
    }

    @Test
    void letsThePreviousWindowFadeOutOverTheNextOne() {
      FailureWindow[] counter = {FailureWindow.empty(START)};
      failUntilRefused(counter, START);

      // 5 previous failures weigh 5 * (60 - m) / 60 at minute m of the next window.
      assertThat(failUntilRefused(counter, after(Duration.ofMinutes(60 + 11)))).isZero();
      assertThat(failUntilRefused(counter, after(Duration.ofMinutes(60 + 12)))).isEqualTo(1);
      assertThat(failUntilRefused(counter, after(Duration.ofMinutes(60 + 30)))).isEqualTo(1);
      assertThat(failUntilRefused(counter, after(Duration.ofMinutes(60 + 60)))).isEqualTo(3);
    }

    @Test
    void startsAfreshAfterTwoQuietWindows() {
      FailureWindow[] counter = {FailureWindow.empty(START)};
      failUntilRefused(counter, START);

      assertThat(failUntilRefused(counter, after(Duration.ofMinutes(120)))).isEqualTo(LIMIT);
      assertThat(counter[0].windowStart()).isEqualTo(after(Duration.ofMinutes(120)));
    }

    @Test
    void keepsWindowsBackToBack() {
      FailureWindow moved = new FailureWindow(START, 2, 0).at(after(Duration.ofMinutes(75)), HOUR);

      assertThat(moved).isEqualTo(new FailureWindow(after(HOUR), 0, 2));
    }
  }

  @Nested
  class Wait {
    @Test
    void isZeroWhileOneMoreFits() {
      assertThat(new FailureWindow(START, 4, 0).waitForOneMore(START, HOUR, LIMIT)).isZero();
    }

    @Test
    void lastsUntilTheFailuresHaveFadedEnoughInTheNextWindow() {
      // Full at 10:00: one more fits once 5 * remaining / 60 <= 4, 12 minutes into the next hour.
      assertThat(new FailureWindow(START, 5, 0).waitForOneMore(START, HOUR, LIMIT))
          .isEqualTo(Duration.ofMinutes(72));
    }

    @Test
    void countsFromTheCurrentTimeWhenThePreviousWindowStillWeighs() {
      // At 11:05 with 5 previous and 2 current: one more fits when 5 * remaining / 60 <= 2.
      Instant now = after(Duration.ofMinutes(65));
      FailureWindow current = new FailureWindow(after(HOUR), 2, 5);

      assertThat(current.waitForOneMore(now, HOUR, LIMIT)).isEqualTo(Duration.ofMinutes(31));
    }

    @Test
    void treatsAWindowStartedByAClockAheadAsJustStarted() {
      FailureWindow ahead = new FailureWindow(START.plusSeconds(5), 5, 0);

      assertThat(ahead.waitForOneMore(START, HOUR, LIMIT)).isEqualTo(Duration.ofMinutes(72));
    }
  }
}
