package uk.gov.residentportal.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransactionRollbackException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Start-up steps run again after losing a race with another replica, and only then. */
class StartupRaceTest {
  /** As Micronaut Data reports a failed statement: the driver's exception as the cause. */
  static RuntimeException wrapped(SQLException cause) {
    return new IllegalStateException("Error executing UPDATE", cause);
  }

  @Test
  void runsAStepThatSucceedsOnce() {
    AtomicInteger runs = new AtomicInteger();

    StartupRace.run(runs::incrementAndGet);

    assertThat(runs).hasValue(1);
  }

  @Test
  void runsAgainAfterADeadlock() {
    AtomicInteger runs = new AtomicInteger();

    StartupRace.run(
        () -> {
          if (runs.incrementAndGet() == 1) {
            throw wrapped(new SQLTransactionRollbackException("Deadlock found", "40001", 1213));
          }
        });

    assertThat(runs).hasValue(2);
  }

  @Test
  void runsAgainAfterADuplicateKey_theRowAnotherReplicaJustInserted() {
    AtomicInteger runs = new AtomicInteger();

    StartupRace.run(
        () -> {
          if (runs.incrementAndGet() < 3) {
            throw wrapped(
                new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", 1062));
          }
        });

    assertThat(runs).hasValue(3);
  }

  @Test
  void stopsAtOnceOnAnyOtherError() {
    AtomicInteger runs = new AtomicInteger();

    assertThatThrownBy(
            () ->
                StartupRace.run(
                    () -> {
                      runs.incrementAndGet();
                      throw new IllegalStateException("PORTAL_CLIENTS_FILE entry 3: bad");
                    }))
        .hasMessage("PORTAL_CLIENTS_FILE entry 3: bad");
    assertThat(runs).hasValue(1);
  }

  @Test
  void givesUpAfterTheLastAttempt_withTheRaceItLost() {
    AtomicInteger runs = new AtomicInteger();
    RuntimeException deadlock =
        wrapped(new SQLTransactionRollbackException("Deadlock found", "40001", 1213));

    assertThatThrownBy(
            () ->
                StartupRace.run(
                    () -> {
                      runs.incrementAndGet();
                      throw deadlock;
                    }))
        .isSameAs(deadlock);
    assertThat(runs).hasValue(StartupRace.ATTEMPTS);
  }
}
