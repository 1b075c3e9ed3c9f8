package uk.gov.residentportal.shared;

import java.sql.SQLIntegrityConstraintViolationException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an idempotent start-up step again when another replica starting at the same moment got in
 * its way: replicas of a fresh deployment register the same clients and organisations from the same
 * files together, so one may be the victim of a deadlock, or find the row it was about to insert
 * just inserted by another (a duplicate key). Run again a moment later, the step finds the other
 * replica's rows and writes nothing or an update. Any other error, or the same race more than
 * {@value #ATTEMPTS} times, stops the start-up as before.
 */
public final class StartupRace {
  static final int ATTEMPTS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(StartupRace.class);

  private StartupRace() {}

  public static void run(Runnable step) {
    for (int attempt = 1; ; attempt++) {
      try {
        step.run();
        return;
      } catch (RuntimeException e) {
        if (attempt >= ATTEMPTS || !isRace(e)) {
          throw e;
        }
        LOG.info(
            "a start-up step met another replica's writes ({}); running it again",
            e.getClass().getSimpleName());
      }
      try {
        // Apart, so the replicas do not meet again at the same row.
        Thread.sleep(ThreadLocalRandom.current().nextLong(50, 250L * attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted during start-up", e);
      }
    }
  }

  static boolean isRace(Throwable error) {
    if (DeadlockRetry.isDeadlock(error)) {
      return true;
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLIntegrityConstraintViolationException) {
        return true;
      }
    }
    return false;
  }
}
