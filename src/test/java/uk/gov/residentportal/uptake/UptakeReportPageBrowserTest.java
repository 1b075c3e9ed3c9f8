package uk.gov.residentportal.uptake;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import uk.gov.residentportal.support.Portal;

/**
 * The uptake report in a real headless browser (Debian's Chromium through playwright-core), as a
 * manager opens it: sent to sign in, signed in through the real form, back on the report; its
 * headline figures and every table row equal the report's JSON for the same query; it works without
 * JavaScript (filters, CSV link) and passes axe-core's WCAG 2.2 AA and best-practice rules with
 * zero violations, as do the page with filter errors and the 403 page a resident gets. The checks
 * are in {@code tools/report-check.mjs}; the screenshot goes to {@code
 * target/screenshots/uptake-report.png} (a copy is in {@code docs/screenshots/}).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UptakeReportPageBrowserTest implements TestPropertyProvider {
  private static final String ADMIN = "uptake-browser-admin@example.org";
  private static final String QUERY = "from=2021-01-01&to=2021-12-31&interval=month";

  @Inject EmbeddedServer server;
  @Inject UptakeLedger ledger;
  @Inject TransactionOperations<Connection> transactions;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("portal.bootstrap-admin-email", ADMIN);
  }

  @Test
  void aManagerSignsInAndReadsTheSameFiguresAsTheJsonInAnAccessiblePageWithoutJavaScript()
      throws Exception {
    Portal portal = new Portal(server.getURI());
    portal.signUpAndVerify(ADMIN);
    String admin = portal.signIn(ADMIN).accessToken();
    String manager = Portal.newEmail();
    String managerId = portal.signUpAndVerify(manager);
    assertThat(
            portal
                .json(
                    "POST",
                    "/api/v1/admin/accounts/" + managerId + "/roles",
                    "{\"roles\":[\"MANAGER\"]}",
                    admin)
                .status())
        .isEqualTo(200);
    String resident = Portal.newEmail();
    portal.signUpAndVerify(resident);
    ledgerOf2021();

    // The report for the query, from GET /api/v1/reports/uptake with the manager's token.
    Portal.Response api =
        portal.json(
            "GET", "/api/v1/reports/uptake?" + QUERY, null, portal.signIn(manager).accessToken());
    assertThat(api.status()).isEqualTo(200);
    Path expected = Path.of("target/uptake-report-expected.json").toAbsolutePath();
    Files.createDirectories(expected.getParent());
    Files.writeString(expected, api.body());

    Process node =
        new ProcessBuilder(
                "node",
                "tools/report-check.mjs",
                portal.base(),
                manager,
                resident,
                Portal.PASSWORD,
                QUERY,
                expected.toString(),
                Path.of("target/screenshots").toAbsolutePath().toString())
            .redirectErrorStream(true)
            .start();
    boolean finished = node.waitFor(300, TimeUnit.SECONDS);
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!finished) {
      node.destroyForcibly();
    }
    System.out.println(output);

    assertThat(finished).as("the report check finished").isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("signing in lands on the report (200)")
        .contains("the figure totalAccounts is ")
        .contains("every period's total and new accounts equal the JSON")
        .contains("an area without a population is among them")
        .contains("the filter form shows the report by week")
        .contains("axe finds no violations on the report (")
        .contains("axe finds no violations on the report with filter errors (")
        .contains("axe finds no violations on the 403 page (");
    assertThat(Path.of("target/screenshots/uptake-report.png")).exists();
  }

  /**
   * A year of sign-ups in four wards (one without a population), most verified, a few erased: each
   * month's count grows, so the charts have a shape.
   */
  private void ledgerOf2021() {
    ReportPageFixtures.Area[] areas = {
      ReportPageFixtures.area("Abbey", 1200L),
      ReportPageFixtures.area("Belgrave", 950L),
      ReportPageFixtures.area("Castle", 1500L),
      ReportPageFixtures.area("Westcotes", null)
    };
    for (int month = 1; month <= 12; month++) {
      for (int i = 0; i < 3 + month; i++) {
        ReportPageFixtures.Area area = areas[(month + i) % areas.length];
        Instant signedUp =
            LocalDate.of(2021, month, 1 + (i * 3) % 28).atTime(9, 30).toInstant(ZoneOffset.UTC);
        Instant verified = i % 5 == 4 ? null : signedUp.plusSeconds(3600);
        Instant erased = i % 9 == 8 ? signedUp.plusSeconds(86400L * 40) : null;
        ReportPageFixtures.account(ledger, transactions, area, signedUp, verified, erased);
      }
    }
  }
}
