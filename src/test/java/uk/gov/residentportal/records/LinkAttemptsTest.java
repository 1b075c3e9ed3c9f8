package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.records.LinkSteps.TOO_MANY_REQUESTS;
import static uk.gov.residentportal.records.LinkSteps.UNPROCESSABLE;
import static uk.gov.residentportal.records.LinkSteps.assertProblem;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/**
 * At most 5 failed linking attempts per account in a sliding hour, counted in the database; a
 * conflict of right details counts too.
 */
@MicronautTest(transactional = false)
class LinkAttemptsTest {
  private static final int LIMIT = 5;

  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;

  Portal portal;
  LinkSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new LinkSteps(portal, ingestion);
  }

  private Portal.Response wrongAttempt(String resident) {
    return steps.linkByReference(resident, LinkSteps.newReference(), "LE1 5WW");
  }

  private static long failuresOf(String accountId) {
    return LinkSteps.count("SELECT failures FROM link_attempts WHERE account_id = ?", accountId);
  }

  @Nested
  class Limit {
    @Test
    void refusesTheSixthFailedAttemptWithRetryAfterEvenWithTheRightDetails() {
      // Five failures at once: one more fits when they have faded to four, a fifth of the next
      // hour after this one ends (the sliding window), 60 + 12 minutes from the first.
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String resident = portal.newResident(Portal.newEmail()).accessToken();
      for (int i = 0; i < LIMIT; i++) {
        assertProblem(wrongAttempt(resident), 422, UNPROCESSABLE);
      }

      Portal.Response wrong = wrongAttempt(resident);
      Portal.Response right = steps.linkByReference(resident, subject);
      Portal.Response byCode = steps.linkByCode(resident, steps.codeFor(subject));

      for (Portal.Response refused : List.of(wrong, right, byCode)) {
        Map<String, Object> problem = assertProblem(refused, 429, TOO_MANY_REQUESTS);
        long retryAfter = Long.parseLong(refused.header("retry-after"));
        assertThat(retryAfter).isBetween(4000L, 4320L);
        assertThat((String) problem.get("detail")).contains("Wait " + retryAfter / 60 + " minutes");
      }
      assertThat(steps.links(resident)).isEmpty();
    }

    @Test
    void givesBackTheAttemptsThatSucceed() {
      String email = Portal.newEmail();
      String accountId = portal.signUpAndVerify(email);
      String resident = portal.signIn(email).accessToken();
      for (int i = 0; i < LIMIT - 1; i++) {
        assertProblem(wrongAttempt(resident), 422, UNPROCESSABLE);
      }

      assertThat(steps.linkByReference(resident, steps.councilTaxAccount()).status())
          .isEqualTo(201);
      assertThat(steps.linkByCode(resident, steps.codeFor(steps.councilTaxAccount())).status())
          .isEqualTo(201);

      assertThat(failuresOf(accountId)).isEqualTo(LIMIT - 1);
      assertProblem(wrongAttempt(resident), 422, UNPROCESSABLE);
      assertProblem(wrongAttempt(resident), 429, TOO_MANY_REQUESTS);
    }

    @Test
    void doesNotCountMalformedRequests() {
      String email = Portal.newEmail();
      String accountId = portal.signUpAndVerify(email);
      String resident = portal.signIn(email).accessToken();

      for (int i = 0; i <= LIMIT; i++) {
        assertThat(steps.linkByReference(resident, "CT1", "not a postcode").status())
            .isEqualTo(400);
        assertThat(steps.linkByCode(resident, "  ").status()).isEqualTo(400);
      }

      assertThat(
              LinkSteps.count("SELECT COUNT(*) FROM link_attempts WHERE account_id = ?", accountId))
          .isZero();
    }

    @Test
    void countsTheConflictOfRightDetailsAsAFailure() {
      // A 409 confirms that the reference and postcode are right: free, it would let anyone test
      // details against linked accounts without limit.
      String email = Portal.newEmail();
      String accountId = portal.signUpAndVerify(email);
      String resident = portal.signIn(email).accessToken();
      LinkSteps.Subject taken = steps.councilTaxAccount();
      assertThat(
              steps
                  .linkByReference(portal.newResident(Portal.newEmail()).accessToken(), taken)
                  .status())
          .isEqualTo(201);

      for (int i = 0; i < LIMIT; i++) {
        assertThat(steps.linkByReference(resident, taken).status()).isEqualTo(409);
      }

      assertThat(failuresOf(accountId)).isEqualTo(LIMIT);
      assertProblem(steps.linkByReference(resident, taken), 429, TOO_MANY_REQUESTS);
    }

    @Test
    void countsEachAccountOnItsOwn() {
      String exhausted = portal.newResident(Portal.newEmail()).accessToken();
      for (int i = 0; i < LIMIT; i++) {
        wrongAttempt(exhausted);
      }
      assertProblem(wrongAttempt(exhausted), 429, TOO_MANY_REQUESTS);

      String other = portal.newResident(Portal.newEmail()).accessToken();

      assertThat(steps.linkByReference(other, steps.councilTaxAccount()).status()).isEqualTo(201);
    }
  }

  @Nested
  class SlidingWindow {
    @Test
    void failuresOfTheHourJustEndedStillCountAfterItsEnd() {
      // A fixed window would allow five more at once right after the boundary.
      String email = Portal.newEmail();
      String accountId = portal.signUpAndVerify(email);
      String resident = portal.signIn(email).accessToken();
      for (int i = 0; i < LIMIT; i++) {
        assertProblem(wrongAttempt(resident), 422, UNPROCESSABLE);
      }
      moveWindowBack(accountId, "61 MINUTE");

      Portal.Response afterTheBoundary = steps.linkByReference(resident, steps.councilTaxAccount());

      Map<String, Object> problem = assertProblem(afterTheBoundary, 429, TOO_MANY_REQUESTS);
      assertThat(Long.parseLong(afterTheBoundary.header("retry-after"))).isBetween(600L, 660L);
      assertThat((String) problem.get("detail")).contains("Wait 11 minutes");
    }

    @Test
    void failuresOfTheHourJustEndedFadeOutOverTheNextHour() {
      String email = Portal.newEmail();
      String accountId = portal.signUpAndVerify(email);
      String resident = portal.signIn(email).accessToken();
      for (int i = 0; i < LIMIT; i++) {
        assertProblem(wrongAttempt(resident), 422, UNPROCESSABLE);
      }
      // 5 failures of the last hour weigh 5 * 30/60 = 2.5: two more fit, not a third.
      moveWindowBack(accountId, "90 MINUTE");

      assertProblem(wrongAttempt(resident), 422, UNPROCESSABLE);
      assertProblem(wrongAttempt(resident), 422, UNPROCESSABLE);
      assertProblem(wrongAttempt(resident), 429, TOO_MANY_REQUESTS);
    }

    @Test
    void forgetsEverythingAfterTwoQuietHours() {
      String email = Portal.newEmail();
      String accountId = portal.signUpAndVerify(email);
      String resident = portal.signIn(email).accessToken();
      for (int i = 0; i < LIMIT; i++) {
        assertProblem(wrongAttempt(resident), 422, UNPROCESSABLE);
      }
      moveWindowBack(accountId, "121 MINUTE");

      for (int i = 0; i < LIMIT; i++) {
        assertProblem(wrongAttempt(resident), 422, UNPROCESSABLE);
      }
      assertProblem(wrongAttempt(resident), 429, TOO_MANY_REQUESTS);
    }

    private static void moveWindowBack(String accountId, String interval) {
      LinkSteps.update(
          "UPDATE link_attempts SET window_start = DATE_SUB(window_start, INTERVAL "
              + interval
              + ") WHERE account_id = ?",
          accountId);
    }
  }

  @Nested
  class InParallel {
    @Test
    void parallelFailedAttemptsNeverExceedTheLimit() {
      String email = Portal.newEmail();
      String accountId = portal.signUpAndVerify(email);
      String resident = portal.signIn(email).accessToken();
      int attempts = 3 * LIMIT;
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(attempts);
      try {
        List<Future<Portal.Response>> answers =
            IntStream.range(0, attempts)
                .mapToObj(
                    i ->
                        pool.submit(
                            () -> {
                              start.await();
                              return wrongAttempt(resident);
                            }))
                .toList();
        start.countDown();
        List<Integer> statuses = answers.stream().map(LinkAttemptsTest::status).toList();

        assertThat(statuses).filteredOn(s -> s == 422).hasSize(LIMIT);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(attempts - LIMIT);
      } finally {
        pool.shutdownNow();
      }
      assertThat(failuresOf(accountId)).isEqualTo(LIMIT);
    }
  }

  private static int status(Future<Portal.Response> answer) {
    try {
      return answer.get().status();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
