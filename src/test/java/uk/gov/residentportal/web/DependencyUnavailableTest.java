package uk.gov.residentportal.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.exceptions.NoConnectionException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** Which failures are a 503 the caller may retry, and which stay a 500 (a fault of ours). */
class DependencyUnavailableTest {
  @Test
  void theDatabaseOutOfReachOrAFullExecutorIsRetryable() {
    assertThat(
            ProblemResponseProcessor.isDependencyUnavailable(
                new SQLTransientConnectionException("pool timed out")))
        .isTrue();
    assertThat(
            ProblemResponseProcessor.isDependencyUnavailable(
                new IllegalStateException("wrapped", new SQLException("gone", "08S01"))))
        .isTrue();
    assertThat(
            ProblemResponseProcessor.isDependencyUnavailable(
                new ConnectionException("could not open a connection")))
        .isTrue();
    assertThat(ProblemResponseProcessor.isDependencyUnavailable(new RejectedExecutionException()))
        .isTrue();
  }

  @Test
  void noCurrentConnectionAndOtherErrorsAreOurs() {
    assertThat(
            ProblemResponseProcessor.isDependencyUnavailable(
                new NoConnectionException("no current connection")))
        .isFalse();
    assertThat(
            ProblemResponseProcessor.isDependencyUnavailable(
                new SQLException("syntax error", "42000", 1064)))
        .isFalse();
    assertThat(ProblemResponseProcessor.isDependencyUnavailable(new IllegalStateException("bug")))
        .isFalse();
  }
}
