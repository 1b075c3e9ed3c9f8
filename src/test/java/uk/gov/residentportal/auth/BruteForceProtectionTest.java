package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.auth.BruteForceSteps.WRONG;
import static uk.gov.residentportal.auth.BruteForceSteps.accountKey;
import static uk.gov.residentportal.auth.BruteForceSteps.accountRow;
import static uk.gov.residentportal.auth.BruteForceSteps.newAddress;
import static uk.gov.residentportal.auth.BruteForceSteps.waitOutDelay;
import static uk.gov.residentportal.auth.BruteForceSteps.waitOutLock;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Outbox;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * Brute-force protection over HTTP, with small thresholds so that each rule shows in a few
 * attempts: 2 free failures, then a wait from 30 s; a lock after 4 consecutive failures, 60 s
 * doubling up to 4 min; 8 failures an hour per account; 5 per source address. Time passes by moving
 * the stored times back.
 */
@MicronautTest(transactional = false)
@Property(name = "portal.brute-force.free-failures", value = "2")
@Property(name = "portal.brute-force.first-delay", value = "30s")
@Property(name = "portal.brute-force.lock-after", value = "4")
@Property(name = "portal.brute-force.lock-min", value = "60s")
@Property(name = "portal.brute-force.lock-max", value = "4m")
@Property(name = "portal.brute-force.max-failures-per-hour", value = "8")
@Property(name = "portal.brute-force.address-lock-after", value = "5")
@Property(name = "portal.brute-force.client-address-header", value = "X-Forwarded-For")
class BruteForceProtectionTest {
  /**
   * The counters are rows every test context shares, and this class locks addresses (127.0.0.1
   * among them, for requests without a forwarded address) with thresholds of its own: the tests
   * that run later, with the suite's settings, must not find them locked.
   */
  @org.junit.jupiter.api.AfterAll
  static void forgetTheCounters() {
    AuthSteps.update("DELETE FROM sign_in_throttle");
  }

  private static final String LOCK_SUBJECT = "Sign-in to your council account is paused";

  @Inject EmbeddedServer server;

  Portal portal;
  BruteForceSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new BruteForceSteps(portal);
  }

  /** Four failures, waiting out the delay before the fourth: the account locks. */
  void lock(String email) {
    steps.fail(email, 3);
    waitOutDelay(email);
    steps.fail(email, 1);
    assertThat(accountRow(email)).containsEntry("locks", 1);
  }

  static void assertRefused(Response response, long retryAfter, String wait) {
    assertThat(response.status()).isEqualTo(429);
    // Counted from the moment of the lock: on a busy machine a second or two may pass before the
    // next attempt is answered.
    long header = Long.parseLong(response.header("retry-after"));
    assertThat(header).isBetween(retryAfter - 2, retryAfter);
    assertThat(response.header("location")).isNull();
    assertThat(response.contentType()).startsWith("text/html");
    // The text says what the header says (a lock a second older reads "59 seconds").
    assertThat(response.body())
        .contains(
            "Too many failed attempts to sign in. Wait "
                + (header == retryAfter ? wait : header + (header == 1 ? " second" : " seconds"))
                + " and try again.");
  }

  @Nested
  class Delays {
    @Test
    void refusesEvenTheRightPassword_with429_untilTheDelayHasPassed() {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      steps.fail(email, 3);

      Response refused = steps.attempt(email, Portal.PASSWORD, newAddress());
      // 30 s from the last failure, counted down in whole seconds (a busy machine takes a few).
      long retryAfter = Long.parseLong(refused.header("retry-after"));
      assertThat(retryAfter).isBetween(20L, 30L);
      assertRefused(refused, retryAfter, retryAfter + " seconds");

      waitOutDelay(email);
      assertThat(steps.attempt(email, Portal.PASSWORD, newAddress()).status()).isEqualTo(302);
    }

    @Test
    void doesNotCountTheRefusedAttempts() {
      String email = Portal.newEmail();
      steps.fail(email, 3);

      steps.attempt(email, WRONG, newAddress());
      steps.attempt(email, WRONG, newAddress());

      assertThat(accountRow(email)).containsEntry("failures", 3).containsEntry("locks", 0);
    }
  }

  @Nested
  class Locks {
    @Test
    void refusesALockedAccount_evenWithTheRightPassword() {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      lock(email);

      Response refused = steps.attempt(email, Portal.PASSWORD, newAddress());
      // 60 s from the locking attempt's arrival (it was counted before its password was hashed),
      // counted down in whole seconds: a busy machine may have taken a second since.
      long retryAfter = Long.parseLong(refused.header("retry-after"));
      assertThat(retryAfter).isBetween(50L, 60L);
      assertRefused(refused, retryAfter, retryAfter == 60 ? "1 minute" : retryAfter + " seconds");
    }

    @Test
    void answersAnUnknownEmailExactlyAsAKnownOne_statusHeadersAndPage() {
      String known = Portal.newEmail();
      String unknown = Portal.newEmail();
      portal.signUpAndVerify(known);
      lock(known);
      lock(unknown);
      // Both locks end at the same moment, so only the email addresses could tell them apart.
      AuthSteps.update(
          "UPDATE sign_in_throttle SET locked_until = DATE_ADD(UTC_TIMESTAMP(6), INTERVAL 200"
              + " SECOND) WHERE kind = 'ACCOUNT' AND key_hash IN (?, ?)",
          accountKey(known),
          accountKey(unknown));
      String address = newAddress();

      Response forKnown = steps.attempt(known, Portal.PASSWORD, address);
      Response forUnknown = steps.attempt(unknown, Portal.PASSWORD, address);

      assertRefused(forKnown, 240, "4 minutes");
      assertThat(forUnknown.status()).isEqualTo(forKnown.status());
      assertThat(comparableHeaders(forUnknown)).isEqualTo(comparableHeaders(forKnown));
      assertThat(forUnknown.body().replace(unknown, "EMAIL"))
          .isEqualTo(forKnown.body().replace(known, "EMAIL"));
    }

    /** All headers but those that differ on every response (date, request id). */
    Map<String, List<String>> comparableHeaders(Response response) {
      return response.headers().map().entrySet().stream()
          .filter(e -> !e.getKey().equalsIgnoreCase("date"))
          .filter(e -> !e.getKey().equalsIgnoreCase("x-request-id"))
          .collect(
              Collectors.toMap(
                  e -> e.getKey().toLowerCase(java.util.Locale.ROOT),
                  Map.Entry::getValue,
                  (a, b) -> a,
                  TreeMap::new));
    }

    @Test
    void eachFurtherLockLastsTwiceAsLong_upToTheLongest() {
      String email = Portal.newEmail();
      lock(email);
      List<Object> periods = new ArrayList<>();
      periods.add(accountRow(email).get("lock_seconds"));
      for (int i = 0; i < 3; i++) {
        waitOutLock("ACCOUNT", accountKey(email));
        steps.fail(email, 1);
        periods.add(accountRow(email).get("lock_seconds"));
      }

      assertThat(periods).containsExactly(60L, 120L, 240L, 240L);
      assertRefused(steps.attempt(email, WRONG, newAddress()), 240, "4 minutes");
    }

    @Test
    void letsTheOwnerSignInOnceTheLockHasRunOut() {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      lock(email);
      assertThat(steps.attempt(email, Portal.PASSWORD, newAddress()).status()).isEqualTo(429);

      waitOutLock("ACCOUNT", accountKey(email));

      assertThat(steps.attempt(email, Portal.PASSWORD, newAddress()).status()).isEqualTo(302);
      assertThat(accountRow(email))
          .containsEntry("failures", 0)
          .containsEntry("locks", 0)
          .containsEntry("locked_until", null);
    }
  }

  @Nested
  class Resets {
    @Test
    void aSuccessfulSignInStartsTheConsecutiveFailuresAgain_butKeepsTheHourlyCount() {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      steps.fail(email, 3);
      waitOutDelay(email);
      assertThat(steps.attempt(email, Portal.PASSWORD, newAddress()).status()).isEqualTo(302);

      steps.fail(email, 3);

      assertThat(accountRow(email))
          .containsEntry("failures", 3)
          .containsEntry("window_failures", 6)
          .containsEntry("locks", 0);
    }

    @Test
    void theHourlyAllowanceHolds_acrossSuccessfulSignIns_untilTheHourIsOver() {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      for (int round = 0; round < 2; round++) {
        steps.fail(email, 3);
        waitOutDelay(email);
        assertThat(steps.attempt(email, Portal.PASSWORD, newAddress()).status()).isEqualTo(302);
      }

      steps.fail(email, 2);

      Response refused = steps.attempt(email, Portal.PASSWORD, newAddress());
      assertThat(refused.status()).isEqualTo(429);
      // Longer than the longest lock (4 min): the rest of the hour.
      assertThat(Long.parseLong(refused.header("retry-after"))).isBetween(3000L, 3600L);

      AuthSteps.update(
          "UPDATE sign_in_throttle SET window_start = DATE_SUB(window_start, INTERVAL 1 HOUR),"
              + " locked_until = DATE_SUB(locked_until, INTERVAL 1 HOUR),"
              + " last_failure_at = DATE_SUB(last_failure_at, INTERVAL 1 HOUR)"
              + " WHERE kind = 'ACCOUNT' AND key_hash = ?",
          accountKey(email));
      assertThat(steps.attempt(email, Portal.PASSWORD, newAddress()).status()).isEqualTo(302);
    }
  }

  @Nested
  class SourceAddresses {
    @Test
    void locksAnAddressAfterItsAllowance_whicheverAccountsItTried() {
      String address = newAddress();
      for (int i = 0; i < 5; i++) {
        assertThat(steps.attempt(Portal.newEmail(), WRONG, address).status()).isEqualTo(401);
      }
      String resident = Portal.newEmail();
      portal.signUpAndVerify(resident);

      assertRefused(steps.attempt(resident, Portal.PASSWORD, address), 3600, "60 minutes");
      assertThat(steps.attempt(resident, Portal.PASSWORD, newAddress()).status()).isEqualTo(302);
      assertThat(BruteForceSteps.row("ADDRESS", BruteForceSteps.addressKey(address)))
          .containsEntry("window_failures", 5)
          .containsEntry("locks", 1);
    }
  }

  @Nested
  class ClientAddresses {
    @Test
    void countsTheLastForwardedAddress_theOneTheNearestProxyAdded() {
      String address = newAddress();
      for (int i = 0; i < 5; i++) {
        steps.attempt(Portal.newEmail(), WRONG, "203.0.113." + (i + 1) + ", " + address);
      }

      assertThat(BruteForceSteps.row("ADDRESS", BruteForceSteps.addressKey(address)))
          .containsEntry("window_failures", 5)
          .containsEntry("locks", 1);
    }

    @Test
    void countsAnIpv6AddressAsItsSlash64Network() {
      String network = "2001:db8:" + Integer.toHexString(newAddress().hashCode() & 0xffff) + ":7";
      for (int i = 1; i <= 5; i++) {
        steps.attempt(Portal.newEmail(), WRONG, network + "::" + Integer.toHexString(i));
      }

      Response refused = steps.attempt(Portal.newEmail(), Portal.PASSWORD, network + "::beef");

      assertThat(refused.status()).isEqualTo(429);
    }

    @Test
    void ignoresAForwardedValueThatIsNoAddress_countingThePeerInstead() {
      String email = Portal.newEmail();
      try {
        steps.attempt(email, WRONG, "attacker.example");

        assertThat(
                AuthSteps.count(
                    "SELECT COUNT(*) FROM sign_in_throttle WHERE kind = 'ADDRESS' AND key_hash = ?",
                    BruteForceSteps.addressKey("attacker.example")))
            .isZero();
        assertThat(accountRow(email)).containsEntry("failures", 1);
      } finally {
        // The peer is 127.0.0.1, which every other test signs in from: with this class's allowance
        // of 5, this failure on top of their wrong passwords and codes would lock it for the hour
        // and every later test class would be refused.
        AuthSteps.update(
            "DELETE FROM sign_in_throttle WHERE kind = 'ADDRESS' AND key_hash = ?",
            BruteForceSteps.addressKey("127.0.0.1"));
      }
    }
  }

  @Nested
  class Metrics {
    @Test
    void countsRefusalsAndLocks_withoutPersonalData() {
      String email = Portal.newEmail();
      lock(email);
      steps.attempt(email, WRONG, newAddress());

      String metrics = portal.get("/prometheus", null).body();

      assertThat(metrics)
          .containsPattern("portal_sign_in_throttled_total(\\{[^}]*\\})? [1-9]")
          .containsPattern("portal_sign_in_locks_total\\{[^}]*kind=\"account\"[^}]*\\} [1-9]")
          .doesNotContain(email)
          .doesNotContain(accountKey(email));
    }
  }

  @Nested
  class LockEmail {
    @Test
    void tellsTheOwnerOnce_andNobodyWhenNoAccountHasTheAddress() throws InterruptedException {
      String unknown = Portal.newEmail();
      String owner = Portal.newEmail();
      portal.signUpAndVerify(owner);
      lock(unknown);
      lock(owner);

      Outbox.Email email = awaitLockEmail(owner);
      assertThat(email.body())
          .contains("wrong password many times")
          .contains("1 minute")
          .contains("/account/reset-password");

      waitOutLock("ACCOUNT", accountKey(owner));
      steps.fail(owner, 1);
      assertThat(accountRow(owner)).containsEntry("locks", 2);
      Thread.sleep(1500);
      assertThat(lockEmails(owner)).hasSize(1);
      assertThat(portal.outbox().to(unknown)).isEmpty();
    }

    List<Outbox.Email> lockEmails(String address) {
      return portal.outbox().to(address).stream()
          .filter(e -> e.subject().equals(LOCK_SUBJECT))
          .toList();
    }

    Outbox.Email awaitLockEmail(String address) throws InterruptedException {
      // Sent off the request thread, so that the answer takes no longer for a real account.
      for (int i = 0; i < 100; i++) {
        List<Outbox.Email> emails = lockEmails(address);
        if (!emails.isEmpty()) {
          return emails.get(0);
        }
        Thread.sleep(100);
      }
      throw new AssertionError("no lock email to the owner");
    }
  }

  @Nested
  class SharedCounters {
    @Test
    void keepsTheCountsInTheDatabase_underTheHashOfTheAddressOnly() {
      String email = Portal.newEmail();
      steps.fail(email, 2);

      assertThat(accountRow(email)).containsEntry("failures", 2);
      assertThat(
              AuthSteps.count(
                  "SELECT COUNT(*) FROM sign_in_throttle WHERE key_hash = ? OR key_hash = ?",
                  email,
                  email.toUpperCase(java.util.Locale.ROOT)))
          .isZero();
    }

    @Test
    void honoursALockAnotherReplicaWrote() {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      AuthSteps.update(
          "INSERT INTO sign_in_throttle (kind, key_hash, failures, window_start, window_failures,"
              + " locks, locked_until, last_failure_at) VALUES ('ACCOUNT', ?, 4, UTC_TIMESTAMP(6),"
              + " 4, 1, DATE_ADD(UTC_TIMESTAMP(6), INTERVAL 100 SECOND), UTC_TIMESTAMP(6))",
          accountKey(email));

      assertRefused(steps.attempt(email, Portal.PASSWORD, newAddress()), 120, "2 minutes");
    }

    @Test
    void checksNoMorePasswordsThanTheRulesAllow_whenAttemptsArriveInParallel() throws Exception {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      ExecutorService pool = Executors.newFixedThreadPool(12);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Response>> answers = new ArrayList<>();
      try {
        for (int i = 0; i < 12; i++) {
          answers.add(
              pool.submit(
                  () -> {
                    start.await();
                    return steps.attempt(email, WRONG, newAddress());
                  }));
        }
        start.countDown();
        int checked = 0;
        for (Future<Response> answer : answers) {
          int status = answer.get().status();
          assertThat(status).isIn(401, 429);
          checked += status == 401 ? 1 : 0;
        }

        // 2 free failures, then the third starts a 30 s wait: exactly three passwords checked,
        // however many attempts raced past the check together before.
        assertThat(checked).isEqualTo(3);
        assertThat(accountRow(email)).containsEntry("failures", 3).containsEntry("locks", 0);
        Response refused = steps.attempt(email, Portal.PASSWORD, newAddress());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("retry-after"))).isBetween(20L, 30L);
        assertThat(accountRow(email)).containsEntry("failures", 3);
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void countsNoFailureForTheRightPassword_onTheAccountNorTheAddress() {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      String address = newAddress();
      steps.fail(email, 1);

      assertThat(steps.attempt(email, Portal.PASSWORD, address).status()).isEqualTo(302);

      assertThat(accountRow(email))
          .containsEntry("failures", 0)
          .containsEntry("window_failures", 1)
          .containsEntry("locks", 0);
      assertThat(BruteForceSteps.row("ADDRESS", BruteForceSteps.addressKey(address)))
          .containsEntry("failures", 0)
          .containsEntry("window_failures", 0);
    }

    @Test
    void countsNoFailureForTheRightPasswordOfAnUnverifiedAccount() {
      String email = Portal.newEmail();
      assertThat(portal.signUp(email, Portal.PASSWORD).status()).isEqualTo(201);
      String address = newAddress();

      assertThat(steps.attempt(email, Portal.PASSWORD, address).status()).isEqualTo(403);

      assertThat(accountRow(email))
          .containsEntry("failures", 0)
          .containsEntry("window_failures", 0);
      assertThat(BruteForceSteps.row("ADDRESS", BruteForceSteps.addressKey(address)))
          .containsEntry("window_failures", 0);
    }

    @Test
    void losesNoFailure_whenAttemptsOnOneAccountRace() throws Exception {
      String email = Portal.newEmail();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Response>> answers = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          answers.add(pool.submit(() -> steps.attempt(email, WRONG, newAddress())));
        }
        int checked = 0;
        for (Future<Response> answer : answers) {
          int status = answer.get().status();
          assertThat(status).isIn(401, 429);
          checked += status == 401 ? 1 : 0;
        }

        // Every attempt whose password was checked is counted: none lost to a racing update.
        assertThat(accountRow(email)).containsEntry("failures", checked);
        assertThat(checked).isEqualTo(3);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
