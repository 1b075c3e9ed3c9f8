package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/**
 * RecordsHousekeeping: link codes expired more than 30 days ago go, and so do failed-attempt
 * counters idle for two of their windows; everything younger stays.
 */
@MicronautTest(transactional = false)
class LinkHousekeepingTest {
  private static final String CODES_OF =
      "SELECT COUNT(*) FROM link_codes WHERE subject_id ="
          + " (SELECT id FROM record_subjects WHERE subject_ref = ?)";

  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;
  @Inject RecordsHousekeeping housekeeping;

  Portal portal;
  LinkSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new LinkSteps(portal, ingestion);
  }

  /** Sets when the subject's codes expire, {@code days} from now (negative: in the past). */
  private static void codesExpireIn(String subjectRef, int days) {
    LinkSteps.update(
        "UPDATE link_codes SET expires_at = DATE_ADD(UTC_TIMESTAMP(), INTERVAL "
            + days
            + " DAY) WHERE subject_id = (SELECT id FROM record_subjects WHERE subject_ref = ?)",
        subjectRef);
  }

  private static void execute(String sql, String key, int minutesAgo) {
    try (Connection c = LinkSteps.connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, key);
      s.setInt(2, minutesAgo);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("test update failed", e);
    }
  }

  private static void accountCounter(String key, int minutesAgo) {
    execute(
        "INSERT INTO link_attempts (account_id, window_start, failures, previous_failures)"
            + " VALUES (?, DATE_SUB(UTC_TIMESTAMP(), INTERVAL ? MINUTE), 3, 1)",
        key,
        minutesAgo);
  }

  private static void referenceCounter(String key, int minutesAgo) {
    execute(
        "INSERT INTO link_reference_attempts"
            + " (reference_hash, window_start, failures, previous_failures)"
            + " VALUES (?, DATE_SUB(UTC_TIMESTAMP(), INTERVAL ? MINUTE), 3, 1)",
        key,
        minutesAgo);
  }

  private static String newKey() {
    return java.util.UUID.randomUUID().toString();
  }

  @Nested
  class Codes {
    @Test
    void deletesCodesExpiredMoreThanThirtyDaysAgoUsedOrNot() {
      LinkSteps.Subject unused = steps.councilTaxAccount();
      steps.codeFor(unused);
      codesExpireIn(unused.ref(), -31);
      LinkSteps.Subject used = steps.councilTaxAccount();
      assertThat(
              steps
                  .linkByCode(
                      portal.newResident(Portal.newEmail()).accessToken(), steps.codeFor(used))
                  .status())
          .isEqualTo(201);
      codesExpireIn(used.ref(), -31);

      housekeeping.deleteExpired();

      assertThat(LinkSteps.count(CODES_OF, unused.ref())).isZero();
      assertThat(LinkSteps.count(CODES_OF, used.ref())).isZero();
    }

    @Test
    void keepsCodesExpiredLessThanThirtyDaysAgoAndValidOnes() {
      LinkSteps.Subject expired = steps.councilTaxAccount();
      steps.codeFor(expired);
      codesExpireIn(expired.ref(), -29);
      LinkSteps.Subject valid = steps.councilTaxAccount();
      steps.codeFor(valid);

      housekeeping.deleteExpired();

      assertThat(LinkSteps.count(CODES_OF, expired.ref())).isEqualTo(1);
      assertThat(LinkSteps.count(CODES_OF, valid.ref())).isEqualTo(1);
    }
  }

  @Nested
  class AttemptCounters {
    @Test
    void deletesAccountCountersIdleForTwoHoursAndKeepsTheOthers() {
      String idle = newKey();
      String recent = newKey();
      accountCounter(idle, 121);
      accountCounter(recent, 119);

      housekeeping.deleteExpired();

      String counters = "SELECT COUNT(*) FROM link_attempts WHERE account_id = ?";
      assertThat(LinkSteps.count(counters, idle)).isZero();
      assertThat(LinkSteps.count(counters, recent)).isEqualTo(1);
    }

    @Test
    void deletesReferenceCountersIdleForTwoDaysAndKeepsTheOthers() {
      String idle = newKey();
      String recent = newKey();
      referenceCounter(idle, 48 * 60 + 1);
      referenceCounter(recent, 48 * 60 - 1);

      housekeeping.deleteExpired();

      String counters = "SELECT COUNT(*) FROM link_reference_attempts WHERE reference_hash = ?";
      assertThat(LinkSteps.count(counters, idle)).isZero();
      assertThat(LinkSteps.count(counters, recent)).isEqualTo(1);
    }
  }
}
