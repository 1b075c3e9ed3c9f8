package uk.gov.residentportal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.gov.residentportal.uptake.UptakeQuery;
import uk.gov.residentportal.uptake.UptakeReport;
import uk.gov.residentportal.uptake.UptakeReports;

/**
 * {@code --generate-accounts} and {@code --rebuild-uptake} on the embedded first-run database (H2
 * in MySQL mode), each test in a database of its own: the council's published figure, exact
 * roll-ups, the refusals and the rebuild's cross-check.
 */
class GenerateAccountsCommandH2Test {
  @TempDir Path dir;

  private record Run(int status, String output) {}

  private String url() {
    return "jdbc:h2:file:"
        + dir.resolve("portal").toAbsolutePath()
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
  }

  private String[] args(String... extra) {
    String[] base = {
      "--datasources.default.url=" + url(),
      "--datasources.default.username=sa",
      "--datasources.default.password=",
      "--datasources.default.driver-class-name=org.h2.Driver",
      "--portal.data-dir=" + dir,
      "--portal.email.outbox=" + dir.resolve("outbox")
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(extra, 0, all, 0, extra.length);
    System.arraycopy(base, 0, all, extra.length, base.length);
    return all;
  }

  private static Run run(boolean generate, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status =
          generate ? GenerateAccountsCommand.run(args, out) : RebuildUptakeCommand.run(args, out);
    }
    return new Run(status, bytes.toString(StandardCharsets.UTF_8));
  }

  private Run generate(String... options) {
    String[] all = new String[options.length + 1];
    all[0] = "--generate-accounts";
    System.arraycopy(options, 0, all, 1, options.length);
    return run(true, args(all));
  }

  private Run rebuild() {
    return run(false, args("--rebuild-uptake"));
  }

  /** The service's context makes and migrates the database, then the council loads its areas. */
  private void migratedWithAreas() throws SQLException {
    try (ApplicationContext service = ApplicationContext.builder().args(args()).start()) {
      assertThat(service.isRunning()).isTrue();
    }
    try (Connection db = connect();
        Statement s = db.createStatement()) {
      s.execute(
          "INSERT INTO uptake_postcode_areas (postcode_key, area_code) VALUES"
              + " ('LE1', 'E05000001'), ('LE2', 'E05000002'), ('LE2 7', 'E05000003'),"
              + " ('LE3 9QP', 'E05000004')");
      s.execute(
          "INSERT INTO uptake_areas (area_code, name, population) VALUES"
              + " ('E05000001', 'Castle', 20000), ('E05000002', 'Knighton', 15000),"
              + " ('E05000003', 'Stoneygate', NULL), ('E05000004', 'Westcotes', 12000)");
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), "sa", "");
  }

  private UptakeReport report(String from, String to) {
    try (ApplicationContext context = ApplicationContext.builder().args(args()).start()) {
      UptakeReports reports = context.getBean(UptakeReports.class);
      return reports.report(UptakeQuery.parse(from, to, "month", null, reports.today()));
    }
  }

  @Test
  void reproducesTheCouncilsFigure_64230AccountsToTheEndOfFebruary2019() throws SQLException {
    Run run = generate("--from=2017-01-01", "--to=2019-02-28", "--count=64230");

    assertThat(run.status()).as(run.output()).isEqualTo(GenerateAccountsCommand.WRITTEN);
    assertThat(run.output())
        .contains("Generated 64,230 synthetic accounts signed up 2017-01-01 to 2019-02-28")
        .contains("The uptake report as of 2019-02-28: 64,230 accounts");
    UptakeReport report = report("2017-01-01", "2019-02-28");
    assertThat(report.totalAccounts()).isEqualTo(64_230);
    assertThat(report.series()).hasSize(26);
    assertThat(report.series().stream().mapToLong(UptakeReport.Period::newAccounts).sum())
        .isEqualTo(64_230);
    assertThat(report.series().get(25).totalAccounts()).isEqualTo(64_230);
    // A growth curve: the last month has more sign-ups than the first.
    assertThat(report.series().get(25).newAccounts())
        .isGreaterThan(report.series().get(0).newAccounts());
    // Nothing before the start, all of it by the end.
    assertThat(report("2016-01-01", "2016-12-31").totalAccounts()).isZero();
    try (Connection db = connect()) {
      assertThat(count(db, "SELECT COUNT(*) FROM accounts")).isEqualTo(64_230);
      assertThat(count(db, "SELECT COUNT(*) FROM accounts WHERE password_hash IS NOT NULL"))
          .isZero();
      assertThat(
              count(
                  db,
                  "SELECT COUNT(*) FROM accounts WHERE created_at < TIMESTAMP '2017-01-01 00:00:00'"
                      + " OR created_at >= TIMESTAMP '2019-03-01 00:00:00'"))
          .isZero();
      assertThat(count(db, "SELECT COUNT(*) FROM accounts WHERE status = 'ACTIVE'"))
          .isEqualTo(report.verifiedAccounts());
      assertThat(
              count(
                  db,
                  "SELECT COUNT(*) FROM accounts WHERE email = 'synthetic-00000001@generated.invalid'"))
          .isEqualTo(1);
      assertThat(count(db, "SELECT COUNT(*) FROM uptake_accounts")).isEqualTo(64_230);
    }
  }

  @Test
  void writesRollupsTheRebuildReproduces_andTheRebuildAgreesWithTheAccountsTable()
      throws SQLException {
    migratedWithAreas();
    Run run =
        generate(
            "--from=2020-02-01",
            "--to=2021-03-31",
            "--count=6000",
            "--seed=7",
            "--erased-share=0.1",
            "--linked-share=0.4");
    assertThat(run.status()).as(run.output()).isEqualTo(GenerateAccountsCommand.WRITTEN);
    List<String> daily;
    List<String> monthly;
    try (Connection db = connect()) {
      daily = rows(db, "uptake_daily");
      monthly = rows(db, "uptake_monthly");
      // Every account has a postcode in one of the loaded areas (a district, sector or postcode).
      assertThat(count(db, "SELECT COUNT(*) FROM uptake_accounts WHERE area_code = ''")).isZero();
      assertThat(count(db, "SELECT COUNT(DISTINCT area_code) FROM uptake_accounts")).isEqualTo(4);
      assertThat(count(db, "SELECT COUNT(*) FROM accounts WHERE status = 'ERASED'"))
          .isGreaterThan(300);
      assertThat(
              count(
                  db,
                  "SELECT COUNT(*) FROM accounts WHERE status = 'ERASED' AND email IS NOT NULL"))
          .isZero();
    }

    Run rebuilt = rebuild();

    assertThat(rebuilt.status()).as(rebuilt.output()).isEqualTo(RebuildUptakeCommand.AGREE);
    assertThat(rebuilt.output()).contains("Uptake roll-ups rebuilt from").contains("Agree");
    try (Connection db = connect()) {
      assertThat(rows(db, "uptake_daily")).isEqualTo(daily);
      assertThat(rows(db, "uptake_monthly")).isEqualTo(monthly);
    }
    UptakeReport report = report("2020-02-01", "2021-03-31");
    try (Connection db = connect()) {
      assertThat(report.totalAccounts())
          .isEqualTo(count(db, "SELECT COUNT(*) FROM accounts WHERE status <> 'ERASED'"));
      assertThat(report.deletedAccounts())
          .isEqualTo(count(db, "SELECT COUNT(*) FROM accounts WHERE status = 'ERASED'"));
      assertThat(report.linkedAccounts())
          .isEqualTo(
              count(
                  db,
                  "SELECT COUNT(*) FROM accounts WHERE status <> 'ERASED' AND assurance = 'P1'"));
      // By area, as the accounts' own rows place them.
      for (UptakeReport.AreaUptake area : report.byArea()) {
        assertThat(area.accounts())
            .as(area.area())
            .isEqualTo(
                count(
                    db,
                    "SELECT COUNT(*) FROM uptake_accounts WHERE erased = FALSE AND area_code = '"
                        + area.area()
                        + "'"));
      }
    }
  }

  @Test
  void aSeriesByMonthEqualsTheSameDaysByDay_wholeAndPartialMonths() throws SQLException {
    migratedWithAreas();
    assertThat(
            generate("--from=2020-01-01", "--to=2021-06-30", "--count=4000", "--erased-share=0.1")
                .status())
        .isZero();
    try (ApplicationContext context = ApplicationContext.builder().args(args()).start()) {
      UptakeReports reports = context.getBean(UptakeReports.class);
      for (String[] range :
          new String[][] {
            {"2020-02-15", "2021-03-10"}, {"2020-02-01", "2021-02-28"}, {"2020-03-05", "2020-03-20"}
          }) {
        for (String area : new String[] {null, "E05000002"}) {
          UptakeReport byMonth =
              reports.report(UptakeQuery.parse(range[0], range[1], "month", area, reports.today()));
          UptakeReport byDay =
              reports.report(UptakeQuery.parse(range[0], range[1], "day", area, reports.today()));
          assertThat(byMonth.totalAccounts()).isEqualTo(byDay.totalAccounts());
          assertThat(byMonth.verifiedAccounts()).isEqualTo(byDay.verifiedAccounts());
          assertThat(byMonth.deletedAccounts()).isEqualTo(byDay.deletedAccounts());
          assertThat(byMonth.byArea()).isEqualTo(byDay.byArea());
          assertThat(byMonth.kpis()).isEqualTo(byDay.kpis());
          for (UptakeReport.Period month : byMonth.series()) {
            List<UptakeReport.Period> days =
                byDay.series().stream()
                    .filter(
                        d -> !d.start().isBefore(month.start()) && !d.end().isAfter(month.end()))
                    .toList();
            assertThat(days.stream().mapToLong(UptakeReport.Period::newAccounts).sum())
                .as(month.period())
                .isEqualTo(month.newAccounts());
            assertThat(days.get(days.size() - 1).totalAccounts()).isEqualTo(month.totalAccounts());
          }
        }
      }
    }
  }

  @Test
  void rebuildExitsThreeWhenTheAccountsTableDisagrees() throws SQLException {
    assertThat(generate("--from=2024-01-01", "--to=2024-12-31", "--count=500").status()).isZero();
    try (Connection db = connect();
        Statement s = db.createStatement()) {
      // A change made behind the service's back: the ledger never heard of it.
      s.executeUpdate(
          "UPDATE accounts SET status = 'ERASED', email = NULL WHERE email ="
              + " 'synthetic-00000001@generated.invalid'");
    }

    Run run = rebuild();

    assertThat(run.status()).as(run.output()).isEqualTo(RebuildUptakeCommand.DIFFER);
    assertThat(run.output()).containsPattern("accounts +500 +499   DIFFER").contains("DIFFER:");
  }

  @Test
  void rebuildExitsOneAndCreatesNothingWhenTheEmbeddedDatabaseDoesNotExist() {
    Run run = rebuild();

    assertThat(run.status()).as(run.output()).isEqualTo(RebuildUptakeCommand.FAILED);
    assertThat(run.output()).contains("there is no database at");
    assertThat(dir.resolve("portal.mv.db")).doesNotExist();
  }

  @Test
  void refusesADatabaseThatAlreadyHoldsAccounts() {
    assertThat(generate("--from=2024-01-01", "--to=2024-01-31", "--count=10").status()).isZero();

    Run again = generate("--from=2024-01-01", "--to=2024-01-31", "--count=10");

    assertThat(again.status()).isEqualTo(GenerateAccountsCommand.REFUSED);
    assertThat(again.output()).contains("already holds accounts");
  }

  @Test
  void refusesAnythingButTheEmbeddedDefault_unlessToldOtherwise() {
    // The test run points datasources.default.* at MariaDB (support/TestDatabase).
    Run run =
        run(
            true,
            "--generate-accounts",
            "--from=2024-01-01",
            "--to=2024-01-31",
            "--count=10",
            "--portal.data-dir=" + dir);

    assertThat(run.status()).isEqualTo(GenerateAccountsCommand.REFUSED);
    assertThat(run.output()).contains("only the embedded default database");
  }

  @Test
  void refusesWrongOptions_beforeTouchingAnyDatabase() {
    String[][] wrong = {
      {"--from=2019-03-01", "--to=2019-02-28", "--count=10"},
      {"--from=2019-02-30", "--to=2019-03-28", "--count=10"},
      {"--to=2019-02-28", "--count=10"},
      {"--from=2019-01-01", "--to=2999-01-01", "--count=10"},
      {"--from=1999-12-31", "--to=2019-01-01", "--count=10"},
      {"--from=2019-01-01", "--to=2019-02-28", "--count=0"},
      {"--from=2019-01-01", "--to=2019-02-28", "--count=ten"},
      {"--from=2019-01-01", "--to=2019-02-28", "--count=10", "--verified-share=1.5"},
      {"--from=2019-01-01", "--to=2019-02-28", "--count=10", "--erased-share=NaN"}
    };
    List<String> answers = new ArrayList<>();
    for (String[] options : wrong) {
      Run run = generate(options);
      assertThat(run.status()).as(run.output()).isEqualTo(GenerateAccountsCommand.USAGE);
      answers.add(run.output().lines().findFirst().orElseThrow());
    }
    assertThat(answers)
        .containsExactly(
            "Accounts not generated: --from must not be after --to",
            "Accounts not generated: --from must be a date like 2019-02-28",
            answers.get(2),
            answers.get(3),
            "Accounts not generated: --from must be on or after 2000-01-01",
            "Accounts not generated: --count must be a number from 1 to 10,000,000",
            "Accounts not generated: --count must be a whole number",
            "Accounts not generated: --verified-share must be a number from 0 to 1",
            "Accounts not generated: --erased-share must be a number from 0 to 1");
    assertThat(answers.get(2)).contains("--from is required");
    assertThat(answers.get(3)).contains("--to must not be after today");
    assertThat(Files.exists(dir.resolve("portal.mv.db"))).isFalse();
  }

  private static List<String> rows(Connection db, String table) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT area_code, on_day, sign_ups, accounts, verified, verifications, linked,"
                    + " erased, active_7d, active_30d FROM "
                    + table
                    + " ORDER BY area_code, on_day")) {
      while (r.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
          row.append(r.getString(i)).append(' ');
        }
        rows.add(row.toString());
      }
    }
    assertThat(rows).isNotEmpty();
    return rows;
  }

  private static long count(Connection db, String sql) throws SQLException {
    try (Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
