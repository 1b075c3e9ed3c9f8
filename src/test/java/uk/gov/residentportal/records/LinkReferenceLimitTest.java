package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.records.LinkSteps.CONFLICT;
import static uk.gov.residentportal.records.LinkSteps.UNPROCESSABLE;
import static uk.gov.residentportal.records.LinkSteps.assertProblem;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.shared.SecretTokens;
import uk.gov.residentportal.support.Portal;

/**
 * At most 10 failed reference + postcode attempts per council tax account reference in a sliding 24
 * hours, from all accounts together; over it, the reference answers as wrong details, and one-time
 * codes still work.
 */
@MicronautTest(transactional = false)
class LinkReferenceLimitTest {
  private static final int LIMIT = 10;
  private static final int PER_ACCOUNT = 5;

  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;
  @Inject LinkAttempts attempts;

  Portal portal;
  LinkSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new LinkSteps(portal, ingestion);
  }

  private String newResident() {
    return portal.newResident(Portal.newEmail()).accessToken();
  }

  private long failuresOf(String reference) {
    return LinkSteps.count(
        "SELECT failures FROM link_reference_attempts WHERE reference_hash = ?",
        attempts.referenceKey(reference));
  }

  /** Sets the reference's counter as if its current window had started that long ago. */
  private void setCounter(String reference, int minutesAgo, int failures, int previous) {
    try (Connection c = LinkSteps.connect();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO link_reference_attempts"
                    + " (reference_hash, window_start, failures, previous_failures)"
                    + " VALUES (?, DATE_SUB(UTC_TIMESTAMP(), INTERVAL ? MINUTE), ?, ?)"
                    + " ON DUPLICATE KEY UPDATE window_start = VALUES(window_start),"
                    + " failures = VALUES(failures), previous_failures = VALUES(previous_failures)")) {
      s.setString(1, attempts.referenceKey(reference));
      s.setInt(2, minutesAgo);
      s.setInt(3, failures);
      s.setInt(4, previous);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("test update failed", e);
    }
  }

  @Nested
  class Limit {
    @Test
    void answersTheRightDetailsAsWrongOnesAfterTenFailuresFromAnyAccountsButCodesStillWork() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      for (String guesser : java.util.List.of(newResident(), newResident())) {
        for (int i = 0; i < PER_ACCOUNT; i++) {
          assertProblem(
              steps.linkByReference(guesser, subject.ref(), "SW1A " + i + "AA"),
              422,
              UNPROCESSABLE);
        }
      }
      assertThat(failuresOf(subject.ref())).isEqualTo(LIMIT);
      String resident = newResident();

      Portal.Response right = steps.linkByReference(resident, subject);
      Portal.Response wrong = steps.linkByReference(resident, LinkSteps.newReference(), "LE1 5WW");

      assertProblem(right, 422, UNPROCESSABLE);
      assertThat(LinkSteps.withoutRequestId(right)).isEqualTo(LinkSteps.withoutRequestId(wrong));
      assertThat(steps.links(resident)).isEmpty();
      assertThat(failuresOf(subject.ref())).isEqualTo(LIMIT);
      Portal.Response byCode = steps.linkByCode(resident, steps.codeFor(subject));
      assertThat(byCode.status()).as(byCode.body()).isEqualTo(201);
    }

    @Test
    void givesBackTheAttemptWhenTheDetailsAreRight() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String resident = newResident();
      assertProblem(steps.linkByReference(resident, subject.ref(), "SW1A 1AA"), 422, UNPROCESSABLE);

      assertThat(steps.linkByReference(resident, subject).status()).isEqualTo(201);
      assertThat(steps.linkByReference(resident, subject).status()).isEqualTo(200);

      assertThat(failuresOf(subject.ref())).isEqualTo(1);
    }

    @Test
    void countsTheConflictOfRightDetailsForTheReference() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      assertThat(steps.linkByReference(newResident(), subject).status()).isEqualTo(201);

      assertProblem(steps.linkByReference(newResident(), subject), 409, CONFLICT);

      assertThat(failuresOf(subject.ref())).isEqualTo(1);
    }

    @Test
    void countsAReferenceNobodyHoldsLikeAnyOther() {
      String unknown = LinkSteps.newReference();

      assertProblem(steps.linkByReference(newResident(), unknown, "LE1 5WW"), 422, UNPROCESSABLE);

      assertThat(failuresOf(unknown)).isEqualTo(1);
    }

    @Test
    void keepsOnlyAKeyedHashOfTheReference() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      assertProblem(
          steps.linkByReference(newResident(), subject.ref(), "SW1A 1AA"), 422, UNPROCESSABLE);

      String key = attempts.referenceKey(subject.ref());

      assertThat(key).matches("^[0-9a-f]{64}$").isNotEqualTo(SecretTokens.hash(subject.ref()));
      assertThat(
              LinkSteps.count(
                  "SELECT COUNT(*) FROM link_reference_attempts WHERE reference_hash = ?", key))
          .isEqualTo(1);
    }
  }

  @Nested
  class SlidingWindow {
    @Test
    void failuresOfTheDayJustEndedStillCountAfterItsEnd() {
      // A fixed window would start again from nothing right after the boundary.
      LinkSteps.Subject subject = steps.councilTaxAccount();
      setCounter(subject.ref(), 24 * 60 + 1, LIMIT, 0);
      String resident = newResident();

      assertProblem(steps.linkByReference(resident, subject), 422, UNPROCESSABLE);
      assertThat(steps.links(resident)).isEmpty();
    }

    @Test
    void failuresOfTheDayJustEndedFadeOutOverTheNextDay() {
      // Ten failures of the previous day, 23 of 24 hours ago: they weigh 10/24 now.
      LinkSteps.Subject subject = steps.councilTaxAccount();
      setCounter(subject.ref(), 47 * 60, LIMIT, 0);

      Portal.Response linked = steps.linkByReference(newResident(), subject);

      assertThat(linked.status()).as(linked.body()).isEqualTo(201);
    }
  }
}
