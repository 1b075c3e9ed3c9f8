package uk.gov.residentportal.uptake;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;

/** The uptake and SSO coverage reports as CSV files, and who may read any report. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UptakeCsvTest implements TestPropertyProvider {
  private static final String ADMIN = Portal.newEmail();
  private static final String PROBLEM = "application/problem+json";
  private static final List<String> REPORTS =
      List.of(
          "/api/v1/reports/uptake",
          "/api/v1/reports/uptake?interval=week",
          "/api/v1/reports/uptake.csv",
          "/api/v1/reports/uptake.csv?table=areas",
          "/api/v1/reports/sso-coverage",
          "/api/v1/reports/sso-coverage.csv");

  @Override
  public Map<String, String> getProperties() {
    return Map.of("portal.bootstrap-admin-email", ADMIN);
  }

  @Inject EmbeddedServer server;
  @Inject UptakeLedger ledger;
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

  private static List<CSVRecord> parse(String csv) {
    try {
      return CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Portal.Response csv(String path) {
    Portal.Response response = portal.get(path, adminToken);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.contentType()).isEqualToIgnoringCase("text/csv; charset=utf-8");
    assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
    return response;
  }

  private static void assertProblem(Portal.Response response, int status, String type) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith(PROBLEM);
    assertThat(response.json()).containsEntry("type", "urn:resident-portal:problem:" + type);
  }

  @Nested
  class Series {
    @Test
    void isTheSeriesAsAnAttachment_withCrlfLineEnds() {
      String area = UptakeFixture.area("Csv ward", 100L);
      String postcode = UptakeFixture.postcodeIn(area);
      accounts.signUp(postcode, Instant.parse("2008-01-31T23:59:59Z"));
      accounts.signUp(postcode, Instant.parse("2008-02-29T12:00:00Z"));
      accounts.signUp(postcode, Instant.parse("2008-02-29T13:00:00Z"));

      Portal.Response response =
          csv(
              "/api/v1/reports/uptake.csv?area="
                  + area
                  + "&from=2008-01-15&to=2008-03-10&interval=month");

      assertThat(response.header("content-disposition"))
          .isEqualTo("attachment; filename=\"uptake-2008-01-15-to-2008-03-10.csv\"");
      assertThat(response.body())
          .isEqualTo(
              "period,start,end,new_accounts,total_accounts\r\n"
                  + "2008-01,2008-01-15,2008-01-31,1,1\r\n"
                  + "2008-02,2008-02-01,2008-02-29,2,3\r\n"
                  + "2008-03,2008-03-01,2008-03-10,0,3\r\n");
      // The same as the JSON's series.
      Map<String, Object> json =
          portal
              .get(
                  "/api/v1/reports/uptake?area="
                      + area
                      + "&from=2008-01-15&to=2008-03-10&interval=month",
                  adminToken)
              .json();
      assertThat((List<?>) json.get("series")).hasSize(3);
    }

    @Test
    void weeksAreNamedByIsoWeek() {
      String area = UptakeFixture.area("Csv weeks", null);
      accounts.signUp(UptakeFixture.postcodeIn(area), Instant.parse("2021-01-01T00:00:00Z"));

      List<CSVRecord> rows =
          parse(
              csv("/api/v1/reports/uptake.csv?area="
                      + area
                      + "&from=2020-12-28&to=2021-01-04&interval=week")
                  .body());

      assertThat(rows.get(1).toList())
          .containsExactly("2020-W53", "2020-12-28", "2021-01-03", "1", "1");
      assertThat(rows.get(2).toList())
          .containsExactly("2021-W01", "2021-01-04", "2021-01-04", "0", "1");
    }

    @Test
    void refusesBadParametersAsTheJsonReportDoes() {
      for (String query :
          List.of(
              "from=2019-02-30",
              "from=2010-02-02&to=2010-02-01",
              "interval=year",
              "area=%40x",
              "table=chart",
              "table=areas&table=series",
              "table=" + "a".repeat(500))) {
        Portal.Response response = portal.get("/api/v1/reports/uptake.csv?" + query, adminToken);
        assertProblem(response, 400, "validation");
      }
    }
  }

  @Nested
  class Areas {
    @Test
    void areaNamesAreSafeInASpreadsheet() {
      List<String> names =
          List.of(
              "=HYPERLINK(\"http://evil.example\",\"Click\")",
              "+1",
              "-2",
              "@SUM(A1)",
              "North, East",
              "The \"Old\" Town",
              "Two\nLines",
              "Ynys Môn");
      Map<String, String> codes = new java.util.LinkedHashMap<>();
      for (String name : names) {
        codes.put(UptakeFixture.area(name, 1000L), name);
      }
      String first = codes.keySet().iterator().next();
      accounts.signUp(UptakeFixture.postcodeIn(first), Instant.parse("2009-05-05T05:05:05Z"));

      Portal.Response response =
          csv("/api/v1/reports/uptake.csv?table=areas&from=2009-05-01&to=2009-05-31");

      assertThat(response.header("content-disposition"))
          .isEqualTo("attachment; filename=\"uptake-areas-2009-05-01-to-2009-05-31.csv\"");
      String body = response.body();
      assertThat(body)
          .startsWith(
              "area,name,accounts,population,population_source,population_year,uptake_percent\r\n")
          .contains(
              first
                  + ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\",1,1000,"
                  + "ONS mid-year estimates,2022,0.1\r\n")
          .contains(",'+1,0,1000,")
          .contains(",'-2,0,1000,")
          .contains(",'@SUM(A1),0,1000,")
          .contains(",\"North, East\",0,")
          .contains(",\"The \"\"Old\"\" Town\",0,")
          .contains(",\"Two\nLines\",0,")
          .contains(",Ynys Môn,0,");
      List<CSVRecord> rows = parse(body);
      for (CSVRecord row : rows) {
        assertThat(row.size()).isEqualTo(7);
        if (codes.containsKey(row.get(0))) {
          assertThat(row.get(1))
              .isEqualTo(uk.gov.residentportal.web.CsvWriter.text(codes.get(row.get(0))));
          assertThat(row.get(1))
              .doesNotStartWith("=")
              .doesNotStartWith("+")
              .doesNotStartWith("-")
              .doesNotStartWith("@");
        }
      }
      assertThat(rows.stream().filter(r -> codes.containsKey(r.get(0)))).hasSize(names.size());
      // The whole council comes last.
      CSVRecord council = rows.get(rows.size() - 1);
      assertThat(council.get(0)).isEqualTo("*");
      assertThat(council.get(1)).isEqualTo("Whole council");
    }

    @Test
    void oneAreaHasNoWholeCouncilRow_andUnknownFiguresAreEmpty() {
      String area = UptakeFixture.area("No population", null);
      accounts.signUp(UptakeFixture.postcodeIn(area), Instant.parse("2009-06-06T06:06:06Z"));

      List<CSVRecord> rows =
          parse(
              csv("/api/v1/reports/uptake.csv?table=AREAS&area="
                      + area
                      + "&from=2009-06-01&to=2009-06-30")
                  .body());

      assertThat(rows).hasSize(2);
      assertThat(rows.get(1).toList()).containsExactly(area, "No population", "1", "", "", "", "");
    }
  }

  @Nested
  class SsoCoverage {
    @Test
    void aRowPerDepartment_thenTheTotal() {
      String department = "=Dept " + UUID.randomUUID();
      Portal.Response added =
          portal.json(
              "POST",
              "/api/v1/admin/services",
              "{\"name\":\"Bins\",\"department\":\"" + department + "\",\"online\":true}",
              adminToken);
      assertThat(added.status()).as(added.body()).isEqualTo(201);

      Portal.Response response = csv("/api/v1/reports/sso-coverage.csv");

      assertThat(response.header("content-disposition"))
          .isEqualTo("attachment; filename=\"sso-coverage.csv\"");
      assertThat(response.body())
          .startsWith("department,services,sso_enabled,percent\r\n")
          .contains("\r\n'" + department + ",1,0,0\r\n");
      List<CSVRecord> rows = parse(response.body());
      Map<String, Object> json = portal.get("/api/v1/reports/sso-coverage", adminToken).json();
      CSVRecord total = rows.get(rows.size() - 1);
      assertThat(total.get(0)).isEmpty();
      assertThat(Long.parseLong(total.get(1)))
          .isEqualTo(((Number) json.get("services")).longValue());
      assertThat(Long.parseLong(total.get(2)))
          .isEqualTo(((Number) json.get("ssoEnabled")).longValue());
      assertThat(Double.parseDouble(total.get(3)))
          .isEqualTo(((Number) json.get("percent")).doubleValue());
      assertThat(rows).hasSize(((List<?>) json.get("byDepartment")).size() + 2);
    }
  }

  @Nested
  class Access {
    @Test
    void managersAndAdministratorsMayReadEveryReport() {
      String email = Portal.newEmail();
      String id = portal.signUpAndVerify(email);
      Portal.Response granted =
          portal.json(
              "POST",
              "/api/v1/admin/accounts/" + id + "/roles",
              "{\"roles\":[\"MANAGER\"]}",
              adminToken);
      assertThat(granted.status()).as(granted.body()).isEqualTo(200);
      String manager = portal.signIn(email).accessToken();

      for (String path : REPORTS) {
        assertThat(portal.get(path, manager).status()).as(path).isEqualTo(200);
        assertThat(portal.get(path, adminToken).status()).as(path).isEqualTo(200);
      }
    }

    @Test
    void refusesCallersWithoutAToken() {
      for (String path : REPORTS) {
        assertProblem(portal.get(path, null), 401, "unauthorized");
      }
    }

    @Test
    void refusesResidents() {
      String resident = portal.newResident(Portal.newEmail()).accessToken();
      for (String path : REPORTS) {
        assertProblem(portal.get(path, resident), 403, "forbidden");
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {MachineTokens.PARTNER, MachineTokens.COUNCIL_TAX_SYSTEM})
    void refusesMachineClients(String client) {
      String token = MachineTokens.tokenFor(portal, client);
      for (String path : REPORTS) {
        assertProblem(portal.get(path, token), 403, "forbidden");
      }
    }

    @Test
    void badParametersAreNotShownToTheRefused() {
      String resident = portal.newResident(Portal.newEmail()).accessToken();
      assertProblem(portal.get("/api/v1/reports/uptake?from=x", resident), 403, "forbidden");
      assertProblem(portal.get("/api/v1/reports/uptake.csv?from=x", null), 401, "unauthorized");
    }
  }
}
