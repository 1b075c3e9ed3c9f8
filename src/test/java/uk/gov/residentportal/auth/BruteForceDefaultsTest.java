package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.auth.BruteForceSteps.accountRow;
import static uk.gov.residentportal.auth.BruteForceSteps.newAddress;
import static uk.gov.residentportal.auth.BruteForceSteps.waitOutDelay;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * The shipped defaults (only the proxy header is set, so each test chooses its source address): 5
 * free failures, a lock of 60 s after 30.
 */
@MicronautTest(transactional = false)
@Property(name = "portal.brute-force.client-address-header", value = "X-Forwarded-For")
class BruteForceDefaultsTest {
  /**
   * The counters are rows every test context shares, and this class locks addresses (127.0.0.1
   * among them, for requests without a forwarded address) with thresholds of its own: the tests
   * that run later, with the suite's settings, must not find them locked.
   */
  @org.junit.jupiter.api.AfterAll
  static void forgetTheCounters() {
    AuthSteps.update("DELETE FROM sign_in_throttle");
  }

  @Inject EmbeddedServer server;

  Portal portal;
  BruteForceSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new BruteForceSteps(portal);
  }

  @Test
  void fiveFailuresCostNoWait() {
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);
    steps.fail(email, 5);

    assertThat(steps.attempt(email, Portal.PASSWORD, newAddress()).status()).isEqualTo(302);
  }

  @Test
  void locksAfterThirtyFailures_forOneMinute_evenTheRightPassword() {
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);
    String address = newAddress();
    for (int i = 0; i < 30; i++) {
      waitOutDelay(email);
      assertThat(steps.attempt(email, BruteForceSteps.WRONG, address).status()).isEqualTo(401);
    }

    Response refused = steps.attempt(email, Portal.PASSWORD, address);

    assertThat(refused.status()).isEqualTo(429);
    // 60 s from the locking attempt's arrival (it was counted before its password was hashed),
    // counted down in whole seconds: a busy machine may have taken a second since.
    long retryAfter = Long.parseLong(refused.header("retry-after"));
    assertThat(retryAfter).isBetween(50L, 60L);
    assertThat(refused.body())
        .contains(
            "Wait "
                + (retryAfter == 60 ? "1 minute" : retryAfter + " seconds")
                + " and try again.");
    assertThat(accountRow(email)).containsEntry("locks", 1).containsEntry("lock_seconds", 60L);
  }
}
