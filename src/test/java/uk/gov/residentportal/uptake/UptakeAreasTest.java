package uk.gov.residentportal.uptake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/**
 * The council's areas and population, loaded at start-up from the files the configuration names
 * (here src/test/resources/uptake/), and what the reports and sign-ups make of them.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UptakeAreasTest implements TestPropertyProvider {
  private static final Path AREAS = Path.of("src/test/resources/uptake/test-areas.csv");
  private static final Path POPULATION = Path.of("src/test/resources/uptake/test-population.csv");

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "portal.uptake.areas-file", AREAS.toString(),
        "portal.uptake.population-file", POPULATION.toString());
  }

  @Inject EmbeddedServer server;
  @Inject UptakeAreas areas;
  @Inject UptakeLedger ledger;
  @Inject UptakeReports reports;
  @Inject JdbcOperations jdbc;
  @Inject TransactionOperations<Connection> transactions;

  /** Other tests count every sign-up in no area: leave the tables as the suite found them. */
  @AfterAll
  void emptyTheTables() {
    areas.replace(new UptakeAreaFiles.Tables(Map.of(), Map.of()));
  }

  private String areaOf(String postcode) {
    return transactions.executeRead(status -> ledger.areaOf(postcode));
  }

  @Test
  void startUpLoadsTheConfiguredFiles() {
    assertThat(Sql.count("SELECT COUNT(*) FROM uptake_postcode_areas")).isEqualTo(3);
    assertThat(Sql.count("SELECT COUNT(*) FROM uptake_areas")).isEqualTo(4);
    assertThat(Sql.string("SELECT name FROM uptake_areas WHERE area_code = 'T05000002'"))
        .isEqualTo("Test Castle");
    assertThat(
            Sql.string(
                "SELECT area_code FROM uptake_postcode_areas WHERE postcode_key = ?", "ZZ9 8"))
        .isEqualTo("T05000002");
  }

  @Test
  void loadingTheSameFilesAgainChangesNothing() {
    assertThat(areas.replace(UptakeAreaFiles.read(AREAS, POPULATION))).isFalse();
    areas.loadFromFiles();
    assertThat(Sql.count("SELECT COUNT(*) FROM uptake_postcode_areas")).isEqualTo(3);
    assertThat(Sql.count("SELECT COUNT(*) FROM uptake_areas")).isEqualTo(4);
  }

  @Test
  void replacingMakesTheTablesExactlyTheNewContentAndBack() {
    UptakeAreaFiles.Tables smaller =
        new UptakeAreaFiles.Tables(
            Map.of("ZZ9", "T05000009"),
            Map.of(
                "T05000009", new UptakeAreaFiles.Area("T05000009", "Test Only", 10, "test", 2024)));
    try {
      assertThat(areas.replace(smaller)).isTrue();
      assertThat(Sql.count("SELECT COUNT(*) FROM uptake_postcode_areas")).isEqualTo(1);
      assertThat(Sql.count("SELECT COUNT(*) FROM uptake_areas")).isEqualTo(1);
      assertThat(areaOf("ZZ9 8ZZ")).isEqualTo("T05000009");
    } finally {
      assertThat(areas.replace(UptakeAreaFiles.read(AREAS, POPULATION))).isTrue();
    }
    assertThat(areaOf("ZZ9 8ZZ")).isEqualTo("T05000003");
  }

  @Test
  void theLongestMatchingKeyWins() {
    assertThat(areaOf("zz98zz")).isEqualTo("T05000003"); // the full postcode
    assertThat(areaOf("ZZ9 8AB")).isEqualTo("T05000002"); // its sector
    assertThat(areaOf("ZZ9 1AB")).isEqualTo("T05000001"); // its district
    assertThat(areaOf("ZZ99 8AB")).isEqualTo(UptakeDelta.NO_AREA); // ZZ99 is another district
    assertThat(areaOf("LE1 6ZG")).isEqualTo(UptakeDelta.NO_AREA);
    assertThat(areaOf(null)).isEqualTo(UptakeDelta.NO_AREA);
  }

  @Test
  void aSignUpCountsInTheAreaOfItsPostcode() {
    long sector = accountsIn("T05000002");
    long district = accountsIn("T05000001");
    long none = accountsIn(null);

    signUp("zz9 8ab");
    signUp("ZZ9 1AB");
    signUp("ZZ99 1AB");

    assertThat(accountsIn("T05000002")).isEqualTo(sector + 1);
    assertThat(accountsIn("T05000001")).isEqualTo(district + 1);
    assertThat(accountsIn(null)).isEqualTo(none + 1);
  }

  @Test
  void theReportShowsTheLoadedNamesAndPopulations() {
    UptakeReport report = report();

    assertThat(report.byArea())
        .filteredOn(a -> a.area() != null && a.area().startsWith("T0500000"))
        .extracting(
            UptakeReport.AreaUptake::area,
            UptakeReport.AreaUptake::name,
            UptakeReport.AreaUptake::population,
            UptakeReport.AreaUptake::populationSource,
            UptakeReport.AreaUptake::populationYear)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "T05000001", "Test Abbey", 1000L, "ONS mid-2022 ward estimates (test)", 2022),
            org.assertj.core.groups.Tuple.tuple(
                "T05000002", "Test Castle", 2000L, "ONS mid-2022 ward estimates (test)", 2022),
            org.assertj.core.groups.Tuple.tuple("T05000003", "Test Riverside", null, null, null),
            org.assertj.core.groups.Tuple.tuple(
                "T05000004", "Test Unused", 500L, "ONS mid-2022 ward estimates (test)", 2022));
    UptakeReport.AreaUptake unknown =
        report.byArea().stream()
            .filter(a -> "T05000003".equals(a.area()))
            .findFirst()
            .orElseThrow();
    assertThat(unknown.uptakePercent()).isNull();
    // The whole council's population is the sum of the known ones.
    assertThat(report.population()).isEqualTo(3500L);
  }

  @Test
  void anAreaReportNamesTheArea() {
    signUp("ZZ9 8ZZ");
    UptakeReport report =
        reports.report(UptakeQuery.parse(null, null, null, "T05000003", reports.today()));
    assertThat(report.areaName()).isEqualTo("Test Riverside");
    assertThat(report.totalAccounts()).isPositive();
    assertThat(report.population()).isNull();
    assertThat(report.uptakePercent()).isNull();
  }

  @Test
  void oneFileWithoutTheOtherStopsTheLoad() {
    UptakeAreas half = new UptakeAreas(ledger, jdbc, AREAS.toString(), "");
    assertThatThrownBy(half::loadFromFiles)
        .isInstanceOf(UptakeAreaFiles.BadFile.class)
        .hasMessageContaining("PORTAL_AREAS_FILE and PORTAL_POPULATION_FILE go together");
  }

  @Test
  void aBadFileChangesNothing() {
    UptakeAreas bad =
        new UptakeAreas(
            ledger,
            jdbc,
            "src/test/resources/uptake/test-population.csv", // the wrong header for an areas file
            POPULATION.toString());
    assertThatThrownBy(bad::loadFromFiles)
        .isInstanceOf(UptakeAreaFiles.BadFile.class)
        .hasMessageContaining("PORTAL_AREAS_FILE")
        .hasMessageContaining("line 2: the header must be postcode,area_code");
    assertThat(Sql.count("SELECT COUNT(*) FROM uptake_postcode_areas")).isEqualTo(3);
  }

  private UptakeReport report() {
    return reports.report(UptakeQuery.parse(null, null, null, null, reports.today()));
  }

  /** The accounts the report counts in the area (null: the postcodes in no loaded area). */
  private long accountsIn(String area) {
    return report().byArea().stream()
        .filter(a -> area == null ? a.area() == null : area.equals(a.area()))
        .mapToLong(UptakeReport.AreaUptake::accounts)
        .sum();
  }

  private void signUp(String postcode) {
    Portal portal = new Portal(server.getURI());
    Portal.Response response =
        portal.json(
            "POST",
            "/api/v1/accounts",
            "{\"email\":\""
                + Portal.newEmail()
                + "\",\"password\":\""
                + Portal.PASSWORD
                + "\",\"givenName\":\"Ada\","
                + "\"familyName\":\"Lovelace\",\"postcode\":\""
                + postcode
                + "\"}",
            null);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
  }
}
