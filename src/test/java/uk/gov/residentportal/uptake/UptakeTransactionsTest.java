package uk.gov.residentportal.uptake;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/**
 * POST /api/v1/reports/transactions: services report their transactions for the digital take-up
 * KPI. The test client parking-push holds transactions:write
 * (src/test/resources/test-clients.json). Each test reports days of a year of its own, long past,
 * so sums are exact whatever else ran.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UptakeTransactionsTest {
  private static final String PATH = "/api/v1/reports/transactions";
  private static final String PROBLEM = "application/problem+json";

  @Inject EmbeddedServer server;
  @Inject UptakeReports reports;

  private Portal portal;
  private String token;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    token = MachineTokens.tokenFor(portal, MachineTokens.PARKING_SYSTEM);
  }

  private Portal.Response post(String body, String bearer) {
    return portal.json("POST", PATH, body, bearer);
  }

  private static String day(String day, int online, int total) {
    return "{\"day\":\"" + day + "\",\"online\":" + online + ",\"total\":" + total + "}";
  }

  private static void assertProblem(Portal.Response response, int status, String type) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith(PROBLEM);
    assertThat(response.json()).containsEntry("type", "urn:resident-portal:problem:" + type);
  }

  private static void assertInvalidField(Portal.Response response, String field) {
    assertProblem(response, 400, "validation");
    assertThat(response.body()).contains("\"field\":\"" + field + "\"");
  }

  private static long stored(String day) {
    return Sql.count(
        "SELECT COUNT(*) FROM uptake_transactions WHERE client_id = ? AND on_day = ?",
        MachineTokens.PARKING_SYSTEM,
        LocalDate.parse(day));
  }

  @Nested
  class Reporting {
    @Test
    void storesADayAndAnswersWithTheStoredRow() {
      Portal.Response response = post(day("2001-03-04", 120, 150), token);

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(response.json()).containsEntry("clientId", MachineTokens.PARKING_SYSTEM);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> days = (List<Map<String, Object>>) response.json().get("days");
      assertThat(days).hasSize(1);
      assertThat(days.get(0))
          .containsEntry("day", "2001-03-04")
          .containsEntry("online", 120L)
          .containsEntry("total", 150L)
          .containsKey("reportedAt");
      assertThat(
              Sql.string(
                  "SELECT CONCAT(online, '/', total) FROM uptake_transactions"
                      + " WHERE client_id = ? AND on_day = ?",
                  MachineTokens.PARKING_SYSTEM,
                  LocalDate.of(2001, 3, 4)))
          .isEqualTo("120/150");
    }

    @Test
    void aDayReportedAgainReplacesTheFiguresAndTheSameAgainChangesNothing() {
      assertThat(post(day("2001-04-01", 10, 20), token).status()).isEqualTo(200);
      assertThat(post(day("2001-04-01", 15, 30), token).status()).isEqualTo(200);
      assertThat(post(day("2001-04-01", 15, 30), token).status()).isEqualTo(200);

      assertThat(stored("2001-04-01")).isEqualTo(1);
      assertThat(
              Sql.string(
                  "SELECT CONCAT(online, '/', total) FROM uptake_transactions"
                      + " WHERE client_id = ? AND on_day = ?",
                  MachineTokens.PARKING_SYSTEM,
                  LocalDate.of(2001, 4, 1)))
          .isEqualTo("15/30");
    }

    @Test
    void storesAnArrayOfDaysAndIgnoresUnknownFields() {
      Portal.Response response =
          post(
              "[{\"day\":\"2001-05-01\",\"online\":1,\"total\":2,\"service\":\"parking\"},"
                  + day("2001-05-02", 0, 0)
                  + ","
                  + day("2001-05-03", 10000000, 10000000)
                  + "]",
              token);

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat((List<?>) response.json().get("days")).hasSize(3);
      assertThat(stored("2001-05-01") + stored("2001-05-02") + stored("2001-05-03")).isEqualTo(3);
    }

    @Test
    void acceptsToday() {
      String today = LocalDate.now(ZoneOffset.UTC).toString();
      assertThat(post(day(today, 0, 1), token).status()).isEqualTo(200);
    }

    @Test
    void theUptakeReportsDigitalTakeUpSumsTheReportedFigures() {
      post("[" + day("2002-02-01", 30, 40) + "," + day("2002-02-28", 45, 60) + "]", token);
      post(day("2002-03-01", 1000, 1000), token); // outside the range

      UptakeReport report =
          reports.report(
              UptakeQuery.parse("2002-02-01", "2002-02-28", "day", null, reports.today()));

      assertThat(report.kpis().onlineTransactions()).isEqualTo(75);
      assertThat(report.kpis().allTransactions()).isEqualTo(100);
      assertThat(report.kpis().digitalTakeUpPercent()).isEqualTo(75.0);
    }

    @Test
    void theUptakeReportHasNoTakeUpWithoutFigures() {
      UptakeReport report =
          reports.report(
              UptakeQuery.parse("2000-06-01", "2000-06-30", "day", null, reports.today()));
      assertThat(report.kpis().allTransactions()).isZero();
      assertThat(report.kpis().digitalTakeUpPercent()).isNull();
    }
  }

  @Nested
  class BadInput {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "{\"online\":1,\"total\":2}|day",
          "{\"day\":null,\"online\":1,\"total\":2}|day",
          "{\"day\":\"2001-13-01\",\"online\":1,\"total\":2}|day",
          "{\"day\":\"2001-02-29\",\"online\":1,\"total\":2}|day",
          "{\"day\":\"1.3.2001\",\"online\":1,\"total\":2}|day",
          "{\"day\":20010301,\"online\":1,\"total\":2}|day",
          "{\"day\":\"2001-03-01T00:00:00Z\",\"online\":1,\"total\":2}|day",
          "{\"day\":\"1999-12-31\",\"online\":1,\"total\":2}|day",
          "{\"day\":\"9999-01-01\",\"online\":1,\"total\":2}|day",
          "{\"day\":\"2001-03-01\",\"total\":2}|online",
          "{\"day\":\"2001-03-01\",\"online\":-1,\"total\":2}|online",
          "{\"day\":\"2001-03-01\",\"online\":1.5,\"total\":2}|online",
          "{\"day\":\"2001-03-01\",\"online\":\"1\",\"total\":2}|online",
          "{\"day\":\"2001-03-01\",\"online\":3,\"total\":2}|online",
          "{\"day\":\"2001-03-01\",\"online\":1}|total",
          "{\"day\":\"2001-03-01\",\"online\":1,\"total\":10000001}|total",
          "{\"day\":\"2001-03-01\",\"online\":1,\"total\":99999999999999999999}|total",
          "{\"day\":\"2001-03-01\",\"online\":1,\"total\":true}|total",
          "[]|body",
          "\"2001-03-01\"|body",
          "[{\"day\":\"2001-03-01\",\"online\":1,\"total\":2},17]|[1]",
          "[{\"day\":\"2001-03-01\",\"online\":1,\"total\":2},{\"day\":\"2001-03-02\",\"online\":1}]|[1].total",
          "[{\"day\":\"2001-03-01\",\"online\":1,\"total\":2},{\"day\":\"2001-03-01\",\"online\":1,\"total\":2}]|[1].day"
        })
    void refusesWith400NamingTheField(String body, String field) {
      assertInvalidField(post(body, token), field);
      assertThat(stored("2001-03-01")).isZero();
    }

    @Test
    void refusesTomorrow() {
      String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(2).toString();
      assertInvalidField(post(day(tomorrow, 1, 2), token), "day");
    }

    @Test
    void refusesMoreThan366Days() {
      StringBuilder body = new StringBuilder("[");
      LocalDate first = LocalDate.of(2004, 1, 1);
      for (int i = 0; i < 367; i++) {
        body.append(i == 0 ? "" : ",").append(day(first.plusDays(i).toString(), 1, 1));
      }
      assertInvalidField(post(body.append(']').toString(), token), "body");
      assertThat(
              Sql.count(
                  "SELECT COUNT(*) FROM uptake_transactions WHERE client_id = ? AND on_day >= ?"
                      + " AND on_day < ?",
                  MachineTokens.PARKING_SYSTEM,
                  first,
                  first.plusYears(2)))
          .isZero();
    }

    @Test
    void aBadDayInAnArrayStoresNoneOfIt() {
      Portal.Response response =
          post("[" + day("2005-01-01", 1, 2) + "," + day("2005-01-02", 3, 2) + "]", token);
      assertInvalidField(response, "[1].online");
      assertThat(stored("2005-01-01")).isZero();
    }

    @Test
    void refusesMalformedJsonWith400() {
      Portal.Response response = post("{\"day\":", token);
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.contentType()).startsWith(PROBLEM);
    }

    @Test
    void refusesAnotherContentTypeWith415() {
      Portal.Response response =
          portal.post(
              PATH, "text/plain", day("2001-03-01", 1, 2), "Authorization", "Bearer " + token);
      assertThat(response.status()).as(response.body()).isEqualTo(415);
      assertThat(response.contentType()).startsWith(PROBLEM);
      assertThat(stored("2001-03-01")).isZero();
    }
  }

  @Nested
  class Refused {
    @Test
    void withoutATokenWith401() {
      assertThat(post(day("2001-03-01", 1, 2), null).status()).isEqualTo(401);
    }

    @Test
    void aMachineTokenWithoutTheScopeWith403() {
      String recordsOnly = MachineTokens.tokenFor(portal, MachineTokens.RECORDS_ONLY_SYSTEM);
      Portal.Response response = post(day("2001-03-01", 1, 2), recordsOnly);
      assertProblem(response, 403, "forbidden");
      assertThat(response.header("www-authenticate")).contains("insufficient_scope");
      assertThat(stored("2001-03-01")).isZero();
    }

    @Test
    void aPartnerTokenWith403() {
      String partner = MachineTokens.tokenFor(portal, MachineTokens.PARTNER);
      assertProblem(post(day("2001-03-01", 1, 2), partner), 403, "forbidden");
    }

    @Test
    void aResidentTokenWith403() {
      String resident = portal.newResident(Portal.newEmail()).accessToken();
      Portal.Response response = post(day("2001-03-01", 1, 2), resident);
      assertProblem(response, 403, "forbidden");
      assertThat(response.header("www-authenticate")).contains("insufficient_scope");
    }
  }
}
