package uk.gov.residentportal.uptake;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.Portal;

/**
 * The uptake report's figures, read through the API as a manager would. Each test puts accounts at
 * chosen past moments in an area of its own (and a year of its own), and reads that area, or the
 * difference its accounts made to the whole council: other tests share the database.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UptakeReportTest implements TestPropertyProvider {
  private static final String ADMIN = Portal.newEmail();
  private static final String PROBLEM = "application/problem+json";

  @Override
  public Map<String, String> getProperties() {
    return Map.of("portal.bootstrap-admin-email", ADMIN);
  }

  @Inject EmbeddedServer server;
  @Inject UptakeLedger ledger;
  @Inject UptakeReports reports;
  @Inject JdbcOperations jdbc;
  @Inject TransactionOperations<Connection> transactions;

  private Portal portal;
  private String adminToken;
  private UptakeFixture accounts;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    if (adminToken == null) {
      portal.signUpAndVerify(ADMIN);
      adminToken = portal.signIn(ADMIN).accessToken();
    }
    accounts = new UptakeFixture(ledger, transactions);
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  private static Instant noon(String day) {
    return LocalDate.parse(day).atTime(12, 0).toInstant(ZoneOffset.UTC);
  }

  private Map<String, Object> report(String query) {
    Portal.Response response = portal.get("/api/v1/reports/uptake?" + query, adminToken);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    return response.json();
  }

  private static long number(Map<String, Object> json, String key) {
    return ((Number) json.get(key)).longValue();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
    return (List<Map<String, Object>>) json.get(key);
  }

  /** The series as "period start end new total" strings. */
  private static List<String> series(Map<String, Object> report) {
    return list(report, "series").stream()
        .map(
            p ->
                p.get("period")
                    + " "
                    + p.get("start")
                    + " "
                    + p.get("end")
                    + " "
                    + p.get("newAccounts")
                    + " "
                    + p.get("totalAccounts"))
        .toList();
  }

  private void assertInvalid(String query, String field) {
    Portal.Response response = portal.get("/api/v1/reports/uptake?" + query, adminToken);
    assertThat(response.status()).as(query + " " + response.body()).isEqualTo(400);
    assertThat(response.contentType()).startsWith(PROBLEM);
    assertThat(response.body()).contains("\"field\":\"" + field + "\"");
  }

  @Nested
  class AsOf {
    @Test
    void beforeTheFirstAccountEverythingIsZero() {
      String area = UptakeFixture.area("Before ward", 1000L);
      String postcode = UptakeFixture.postcodeIn(area);
      accounts.signUp(postcode, at("2001-06-15T00:00:00Z"));
      accounts.signUp(postcode, at("2001-06-15T23:59:59Z"));

      Map<String, Object> before =
          report("area=" + area + "&from=2001-06-10&to=2001-06-14&interval=day");
      assertThat(before)
          .containsEntry("asOf", "2001-06-14")
          .containsEntry("area", area)
          .containsEntry("areaName", "Before ward");
      assertThat(number(before, "totalAccounts")).isZero();
      assertThat(number(before, "verifiedAccounts")).isZero();
      assertThat(number(before, "deletedAccounts")).isZero();
      assertThat(((Number) before.get("uptakePercent")).doubleValue()).isZero();
      assertThat(series(before))
          .containsExactly(
              "2001-06-10 2001-06-10 2001-06-10 0 0",
              "2001-06-11 2001-06-11 2001-06-11 0 0",
              "2001-06-12 2001-06-12 2001-06-12 0 0",
              "2001-06-13 2001-06-13 2001-06-13 0 0",
              "2001-06-14 2001-06-14 2001-06-14 0 0");
      assertThat(list(before, "byArea")).hasSize(1);
      assertThat(number(list(before, "byArea").get(0), "accounts")).isZero();

      Map<String, Object> on =
          report("area=" + area + "&from=2001-06-15&to=2001-06-15&interval=day");
      assertThat(number(on, "totalAccounts")).isEqualTo(2);
      assertThat(((Number) on.get("uptakePercent")).doubleValue()).isEqualTo(0.2);
      assertThat(series(on)).containsExactly("2001-06-15 2001-06-15 2001-06-15 2 2");
      // A manager of a single area sees no whole-council active counts.
      assertThat(on).doesNotContainKeys("activeAccounts7d", "activeAccounts30d");
    }

    @Test
    void aToInTheFutureIsAnsweredAsOfToday() {
      String area = UptakeFixture.area("Future ward", 50L);
      accounts.signUp(UptakeFixture.postcodeIn(area), at("2001-07-01T10:00:00Z"));
      LocalDate today = reports.today();

      Map<String, Object> report =
          report("area=" + area + "&from=" + today.minusDays(2) + "&to=2999-12-31&interval=day");

      assertThat(report)
          .containsEntry("asOf", today.toString())
          .containsEntry("to", today.toString())
          .containsEntry("from", today.minusDays(2).toString());
      assertThat(number(report, "totalAccounts")).isEqualTo(1);
      assertThat(series(report)).hasSize(3);
      assertThat(series(report).get(2)).endsWith(" 0 1");
      assertThat(((Number) report.get("uptakePercent")).doubleValue()).isEqualTo(2.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWholeCouncilCountsEveryArea_asADifference() {
      String area = UptakeFixture.area("Council ward", null);
      String postcode = UptakeFixture.postcodeIn(area);
      String query = "from=2001-08-01&to=2001-08-31&interval=month";
      Map<String, Object> before = report(query);

      String verified = accounts.signUp(postcode, at("2001-08-02T08:00:00Z"));
      accounts.verify(verified, at("2001-08-02T08:10:00Z"));
      accounts.link(verified, at("2001-08-03T08:00:00Z"));
      accounts.signUp(postcode, at("2001-08-04T08:00:00Z"));
      accounts.signUp(null, at("2001-08-05T08:00:00Z"));
      Map<String, Object> after = report(query);

      assertThat(after).doesNotContainKey("area");
      assertThat(number(after, "totalAccounts") - number(before, "totalAccounts")).isEqualTo(3);
      assertThat(number(after, "verifiedAccounts") - number(before, "verifiedAccounts"))
          .isEqualTo(1);
      assertThat(number(after, "linkedAccounts") - number(before, "linkedAccounts")).isEqualTo(1);
      Map<String, Object> kpisBefore = (Map<String, Object>) before.get("kpis");
      Map<String, Object> kpisAfter = (Map<String, Object>) after.get("kpis");
      assertThat(number(kpisAfter, "signUpsStarted") - number(kpisBefore, "signUpsStarted"))
          .isEqualTo(3);
      assertThat(number(kpisAfter, "signUpsCompleted") - number(kpisBefore, "signUpsCompleted"))
          .isEqualTo(1);
      Map<String, Object> ours =
          list(after, "byArea").stream()
              .filter(a -> area.equals(a.get("area")))
              .findFirst()
              .orElseThrow();
      assertThat(number(ours, "accounts")).isEqualTo(2);
      assertThat(ours).containsEntry("name", "Council ward").doesNotContainKeys("uptakePercent");
      // Accounts with no postcode (or one in no area) have a row of their own, with no code.
      assertThat(list(after, "byArea"))
          .anySatisfy(
              a ->
                  assertThat(a)
                      .doesNotContainKey("area")
                      .containsEntry("name", "Postcode in no known area"));
    }
  }

  @Nested
  class Ranges {
    @Test
    void aRangeWithNoSignUpsHasEveryPeriod_atZero() {
      String area = UptakeFixture.area("Quiet ward", 10L);
      accounts.signUp(UptakeFixture.postcodeIn(area), at("2002-01-10T09:00:00Z"));

      Map<String, Object> days =
          report("area=" + area + "&from=2002-03-01&to=2002-03-31&interval=day");
      assertThat(list(days, "series")).hasSize(31);
      assertThat(list(days, "series"))
          .allSatisfy(
              p -> {
                assertThat(number(p, "newAccounts")).isZero();
                assertThat(number(p, "totalAccounts")).isEqualTo(1);
              });

      Map<String, Object> months =
          report("area=" + area + "&from=2002-02-01&to=2002-12-31&interval=month");
      assertThat(list(months, "series")).hasSize(11);
      assertThat(series(months).get(0)).isEqualTo("2002-02 2002-02-01 2002-02-28 0 1");
    }

    @Test
    void aReversedRangeIsRefused_namingFrom() {
      assertInvalid("from=2002-03-02&to=2002-03-01", "from");
      assertInvalid("from=2002-03-02&to=2002-03-01&interval=day", "from");
    }

    @Test
    void eachInterval_withIsoWeeksAcrossTheYearEnd() {
      String area = UptakeFixture.area("Weeks ward", 1000L);
      String postcode = UptakeFixture.postcodeIn(area);
      accounts.signUp(postcode, at("2020-12-31T23:59:59.999Z"));
      accounts.signUp(postcode, at("2021-01-01T00:00:00Z"));
      accounts.signUp(postcode, at("2021-01-04T00:00:00Z"));
      String range = "area=" + area + "&from=2020-12-30&to=2021-01-05";

      assertThat(series(report(range + "&interval=week")))
          .containsExactly(
              "2020-W53 2020-12-30 2021-01-03 2 2", "2021-W01 2021-01-04 2021-01-05 1 3");
      assertThat(series(report(range + "&interval=day")))
          .containsExactly(
              "2020-12-30 2020-12-30 2020-12-30 0 0",
              "2020-12-31 2020-12-31 2020-12-31 1 1",
              "2021-01-01 2021-01-01 2021-01-01 1 2",
              "2021-01-02 2021-01-02 2021-01-02 0 2",
              "2021-01-03 2021-01-03 2021-01-03 0 2",
              "2021-01-04 2021-01-04 2021-01-04 1 3",
              "2021-01-05 2021-01-05 2021-01-05 0 3");
      assertThat(series(report(range + "&interval=month")))
          .containsExactly(
              "2020-12 2020-12-30 2020-12-31 1 1", "2021-01 2021-01-01 2021-01-05 2 3");
      assertThat(report(range + "&interval=WEEK")).containsEntry("interval", "week");
      assertThat(report(range)).containsEntry("interval", "month");
    }

    @Test
    void leapDaysAndMonthAndYearEnds_inUtc() {
      String area = UptakeFixture.area("Leap ward", 1000L);
      String postcode = UptakeFixture.postcodeIn(area);
      accounts.signUp(postcode, at("2023-12-31T23:59:59.999Z"));
      accounts.signUp(postcode, at("2024-01-01T00:00:00Z"));
      accounts.signUp(postcode, at("2024-02-29T23:59:59.999Z"));
      accounts.signUp(postcode, at("2024-03-01T00:00:00Z"));

      assertThat(series(report("area=" + area + "&from=2024-02-28&to=2024-03-01&interval=day")))
          .containsExactly(
              "2024-02-28 2024-02-28 2024-02-28 0 2",
              "2024-02-29 2024-02-29 2024-02-29 1 3",
              "2024-03-01 2024-03-01 2024-03-01 1 4");
      assertThat(series(report("area=" + area + "&from=2023-12-01&to=2024-03-31&interval=month")))
          .containsExactly(
              "2023-12 2023-12-01 2023-12-31 1 1",
              "2024-01 2024-01-01 2024-01-31 1 2",
              "2024-02 2024-02-01 2024-02-29 1 3",
              "2024-03 2024-03-01 2024-03-31 1 4");
      // As of the last day of a month (the areas' sums: whole months, then days).
      Map<String, Object> leap = report("area=" + area + "&from=2024-02-01&to=2024-02-29");
      assertThat(number(leap, "totalAccounts")).isEqualTo(3);
      assertThat(number(list(leap, "byArea").get(0), "accounts")).isEqualTo(3);
      assertThat(number(report("area=" + area + "&from=2023-12-31&to=2023-12-31"), "totalAccounts"))
          .isEqualTo(1);
    }
  }

  @Nested
  class Erasures {
    @Test
    void anErasedAccountStillCountsBeforeItsErasure_andIsCountedAsDeletedAfter() {
      String area = UptakeFixture.area("Erasure ward", 100L);
      String postcode = UptakeFixture.postcodeIn(area);
      String id = accounts.signUp(postcode, at("2005-03-10T10:00:00Z"));
      accounts.verify(id, at("2005-03-10T10:05:00Z"));
      accounts.signUp(postcode, at("2005-04-01T10:00:00Z"));
      String past = "area=" + area + "&from=2005-03-01&to=2005-05-31&interval=month";
      Map<String, Object> before = report(past);

      accounts.erase(id, at("2005-06-20T10:00:00Z"));

      // A report as of a past day is the same afterwards.
      assertThat(report(past)).isEqualTo(before);
      assertThat(number(before, "totalAccounts")).isEqualTo(2);
      assertThat(number(before, "verifiedAccounts")).isEqualTo(1);
      Map<String, Object> dayBefore = report("area=" + area + "&from=2005-06-19&to=2005-06-19");
      assertThat(number(dayBefore, "totalAccounts")).isEqualTo(2);
      assertThat(number(dayBefore, "deletedAccounts")).isZero();
      Map<String, Object> dayOf =
          report("area=" + area + "&from=2005-06-01&to=2005-06-30&interval=day");
      assertThat(number(dayOf, "totalAccounts")).isEqualTo(1);
      assertThat(number(dayOf, "verifiedAccounts")).isZero();
      assertThat(number(dayOf, "deletedAccounts")).isEqualTo(1);
      assertThat(series(dayOf).get(18)).isEqualTo("2005-06-19 2005-06-19 2005-06-19 0 2");
      assertThat(series(dayOf).get(19)).isEqualTo("2005-06-20 2005-06-20 2005-06-20 0 1");
      assertThat(((Number) dayOf.get("uptakePercent")).doubleValue()).isEqualTo(1.0);
    }

    @Test
    void aMoveCountsInTheNewAreaFromItsDay() {
      String from = UptakeFixture.area("Old ward", null);
      String to = UptakeFixture.area("New ward", null);
      String id = accounts.signUp(UptakeFixture.postcodeIn(from), at("2005-08-01T10:00:00Z"));
      accounts.move(id, UptakeFixture.postcodeIn(to), at("2005-08-15T10:00:00Z"));

      assertThat(number(report("area=" + from + "&from=2005-08-14&to=2005-08-14"), "totalAccounts"))
          .isEqualTo(1);
      assertThat(number(report("area=" + from + "&from=2005-08-15&to=2005-08-15"), "totalAccounts"))
          .isZero();
      assertThat(number(report("area=" + to + "&from=2005-08-14&to=2005-08-14"), "totalAccounts"))
          .isZero();
      assertThat(number(report("area=" + to + "&from=2005-08-15&to=2005-08-15"), "totalAccounts"))
          .isEqualTo(1);
    }
  }

  @Nested
  class Areas {
    @Test
    void anAreaWithNoPopulationHasNoUptake_neverAnError() {
      String area = UptakeFixture.area("Unknown population ward", null);
      accounts.signUp(UptakeFixture.postcodeIn(area), at("2006-02-01T10:00:00Z"));

      Map<String, Object> report = report("area=" + area + "&from=2006-02-01&to=2006-02-28");

      assertThat(number(report, "totalAccounts")).isEqualTo(1);
      assertThat(report).doesNotContainKeys("population", "uptakePercent");
      assertThat(list(report, "byArea"))
          .singleElement()
          .satisfies(
              a ->
                  assertThat(a)
                      .containsEntry("area", area)
                      .doesNotContainKeys("population", "uptakePercent", "populationSource"));
    }

    @Test
    void anAreaWithAPopulationOfZeroHasNoUptake() {
      String area = UptakeFixture.area("Empty ward", 0L);
      accounts.signUp(UptakeFixture.postcodeIn(area), at("2006-03-01T10:00:00Z"));

      Map<String, Object> report = report("area=" + area + "&from=2006-03-01&to=2006-03-31");

      assertThat(number(report, "population")).isZero();
      assertThat(report).doesNotContainKey("uptakePercent");
    }

    @Test
    void anAreaWithAccountsButNoAreaRowIsReportedByItsCode() {
      String area = UptakeFixture.newAreaCode();
      accounts.signUp(UptakeFixture.postcodeIn(area), at("2006-04-01T10:00:00Z"));

      Map<String, Object> report = report("area=" + area + "&from=2006-04-01&to=2006-04-30");

      assertThat(report).containsEntry("area", area).containsEntry("areaName", area);
      assertThat(number(report, "totalAccounts")).isEqualTo(1);
      assertThat(report).doesNotContainKeys("population", "uptakePercent");
      assertThat(list(report, "byArea"))
          .singleElement()
          .satisfies(a -> assertThat(a).containsEntry("area", area).containsEntry("name", area));
    }

    @Test
    void theWholeCouncilHasNoUptakeWhenNoAreaHasAPopulation() {
      // In a transaction rolled back: no other test sees the populations gone.
      transactions.executeWrite(
          status -> {
            status.setRollbackOnly();
            jdbc.prepareStatement(
                "UPDATE uptake_areas SET population = NULL", s -> s.executeUpdate());
            UptakeReport report =
                reports.report(
                    UptakeQuery.parse("2006-01-01", "2006-12-31", "month", null, reports.today()));
            assertThat(report.population()).isNull();
            assertThat(report.uptakePercent()).isNull();
            assertThat(report.byArea()).allSatisfy(a -> assertThat(a.uptakePercent()).isNull());
            return null;
          });
      assertThat(UptakeReports.percent(5, null)).isNull();
      assertThat(UptakeReports.percent(5, 0L)).isNull();
      assertThat(UptakeReports.percent(1, 3L)).isEqualTo(33.33);
    }

    @Test
    void anUnknownAreaIsRefused() {
      assertInvalid("area=" + UptakeFixture.newAreaCode(), "area");
    }
  }

  @Nested
  class Active {
    private long active(String key, String day) {
      return number(report("from=" + day + "&to=" + day + "&interval=day"), key);
    }

    @Test
    void aSignInCountsForSevenAndThirtyDays() {
      String id = accounts.signUp(null, at("2007-04-20T10:00:00Z"));
      List<String> days =
          List.of(
              "2007-04-30",
              "2007-05-01",
              "2007-05-07",
              "2007-05-08",
              "2007-05-11",
              "2007-05-12",
              "2007-05-30",
              "2007-06-03",
              "2007-06-04");
      long[] sevenBefore = days.stream().mapToLong(d -> active("activeAccounts7d", d)).toArray();
      long[] thirtyBefore = days.stream().mapToLong(d -> active("activeAccounts30d", d)).toArray();

      accounts.signIn(id, at("2007-05-01T23:00:00Z"));
      accounts.signIn(id, at("2007-05-01T23:30:00Z")); // the same day: nothing more
      accounts.signIn(id, at("2007-05-05T00:00:00Z"));

      // Active on 1 and 5 May: 7 days through 11 May, 30 days through 3 June.
      long[] seven = {0, 1, 1, 1, 1, 0, 0, 0, 0};
      long[] thirty = {0, 1, 1, 1, 1, 1, 1, 1, 0};
      for (int i = 0; i < days.size(); i++) {
        assertThat(active("activeAccounts7d", days.get(i)) - sevenBefore[i])
            .as("7 days to %s", days.get(i))
            .isEqualTo(seven[i]);
        assertThat(active("activeAccounts30d", days.get(i)) - thirtyBefore[i])
            .as("30 days to %s", days.get(i))
            .isEqualTo(thirty[i]);
      }
    }
  }

  @Nested
  class BadParameters {
    @ParameterizedTest
    @ValueSource(strings = {"2019-02-30", "2019-2-1", "x", "2019-02-28T00:00:00Z", "2019-13-01"})
    void refusesBadDates(String date) {
      assertInvalid("from=" + date + "&to=2020-01-01", "from");
      assertInvalid("from=2019-01-01&to=" + date, "to");
    }

    @Test
    void refusesOtherBadValues() {
      assertInvalid("interval=year", "interval");
      assertInvalid("from=2000-01-01&to=2020-12-31&interval=day", "interval");
      assertInvalid("from=1999-12-31&to=2000-01-31", "from");
      assertInvalid("from=2999-01-01&to=2999-01-02", "from");
      assertInvalid("area=not%20an%20area", "area");
      assertInvalid("area=%3DHYPERLINK(1)", "area");
      assertInvalid("area=ABCDEFGHIJKLMNOPQ", "area");
    }

    @Test
    void refusesRepeatedParameters() {
      assertInvalid("from=2010-01-01&from=2010-02-01&to=2010-03-01", "from");
      assertInvalid("to=2010-03-01&to=2010-03-01", "to");
      assertInvalid("interval=day&interval=week", "interval");
      assertInvalid("area=A&area=B", "area");
    }

    @Test
    void aQueryLongerThanTheServerReadsIsRefused_notAnError() {
      Portal.Response response =
          portal.get("/api/v1/reports/uptake?area=" + "a".repeat(9000), adminToken);

      assertThat(response.status()).isBetween(400, 499);
    }

    @Test
    void refusesVeryLongValues() {
      String longValue = "2".repeat(2000);
      for (String name : List.of("from", "to", "interval", "area")) {
        assertInvalid(name + "=" + longValue, name);
      }
    }
  }
}
