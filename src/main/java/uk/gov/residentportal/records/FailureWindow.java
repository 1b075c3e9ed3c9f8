package uk.gov.residentportal.records;

import java.time.Duration;
import java.time.Instant;

/**
 * A sliding-window counter of failures: the count of the current fixed window, and that of the
 * window just before it, weighted by how much of it still overlaps the sliding window that ends
 * now. With a window of length W, {@code elapsed} into the current window:
 *
 * <pre>estimate = previousFailures * (W - elapsed) / W + failures</pre>
 *
 * <p>An attempt is allowed only when the estimate <em>with</em> it stays within the limit. A plain
 * fixed window lets a caller spend the whole limit just before a boundary and again just after it
 * (twice the limit in moments); here the failures of the window that just ended still weigh almost
 * fully after the boundary and fade out over the next window, so no burst ever exceeds the limit
 * and the long-run rate is the limit per window. It is an approximation (it assumes the previous
 * window's failures were spread evenly): someone who times every attempt can reach a little under
 * twice the limit within one sliding window, but only by spreading the second half over it, never
 * at once. Two integers per key instead of a log of every attempt.
 *
 * <p>Windows follow one another: the window after {@code [start, start + W)} starts at {@code start
 * + W}. After two windows without a failure the counter is back to nothing and its next window
 * starts with its next attempt.
 *
 * @param windowStart the start of the current window
 * @param failures failures counted in the current window
 * @param previousFailures failures counted in the window before it
 */
record FailureWindow(Instant windowStart, int failures, int previousFailures) {

  /** A counter with nothing counted, whose window starts at {@code now}. */
  static FailureWindow empty(Instant now) {
    return new FailureWindow(now, 0, 0);
  }

  /** The counter as it stands at {@code now}: moved on to the window {@code now} falls in. */
  FailureWindow at(Instant now, Duration length) {
    Instant end = windowStart.plus(length);
    if (now.isBefore(end)) {
      return this;
    }
    if (now.isBefore(end.plus(length))) {
      return new FailureWindow(end, 0, failures);
    }
    return empty(now);
  }

  /**
   * Whether one more failure fits under {@code limit} at {@code now}. The counter must have been
   * moved on to {@code now} ({@link #at}).
   */
  boolean allowsOneMore(Instant now, Duration length, int limit) {
    return waitForOneMore(now, length, limit).isZero();
  }

  /** This counter with one more failure in its current window. */
  FailureWindow plusOne() {
    return new FailureWindow(windowStart, failures + 1, previousFailures);
  }

  /**
   * How long until one more failure fits under {@code limit}: zero when it fits now. The counter
   * must have been moved on to {@code now} ({@link #at}).
   */
  Duration waitForOneMore(Instant now, Duration length, int limit) {
    long w = length.toMillis();
    long remaining = remainingMillis(now, w);
    if (failures + 1 <= limit) {
      // previous * r / W + failures + 1 <= limit, i.e. r <= (limit - failures - 1) * W / previous;
      // r shrinks as time passes.
      if (previousFailures == 0) {
        return Duration.ZERO;
      }
      long fits = Math.floorDiv((long) (limit - failures - 1) * w, previousFailures);
      return Duration.ofMillis(Math.max(0, remaining - fits));
    }
    // Not in this window: after it ends, this window's failures become the previous ones, and they
    // must fade to (limit - 1) before one more fits.
    long fitsNext = Math.floorDiv((long) (limit - 1) * w, failures);
    return Duration.ofMillis(remaining + Math.max(0, w - fitsNext));
  }

  /** What is left of the current window at {@code now}, in milliseconds, within 0 and W. */
  private long remainingMillis(Instant now, long w) {
    long elapsed = Duration.between(windowStart, now).toMillis();
    // A window started by another replica whose clock is a little ahead: nothing elapsed yet.
    return w - Math.min(w, Math.max(0, elapsed));
  }
}
