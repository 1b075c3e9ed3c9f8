package uk.gov.residentportal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo data command: fills a fresh embedded database, prints what a newcomer needs, and refuses
 * a database it must not touch (not the embedded default, or not empty).
 */
class DemoDataCommandTest {
  private static final Pattern CODE =
      Pattern.compile("code [A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}");

  @TempDir Path dir;

  private record Run(int status, String output) {}

  private Run run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status = DemoDataCommand.run(args, out);
    }
    return new Run(status, bytes.toString(StandardCharsets.UTF_8));
  }

  private String h2Url() {
    return "jdbc:h2:file:"
        + dir.resolve("portal").toAbsolutePath()
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
  }

  private String[] embedded(String... more) {
    String[] base = {
      "--demo-data",
      "--demo-residents=12",
      "--datasources.default.url=" + h2Url(),
      "--datasources.default.username=sa",
      "--datasources.default.password=",
      "--datasources.default.driver-class-name=org.h2.Driver",
      "--portal.data-dir=" + dir,
      "--portal.email.outbox=" + dir.resolve("outbox")
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void fillsAFreshEmbeddedDatabase_andPrintsTheResidentsAndTheirCodes() throws SQLException {
    Run run = run(embedded());

    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("Demo data written: 12 residents (10 linked to their council tax account)")
        .contains("resident001@demo.example.org")
        .contains("demo resident password");
    assertThat(CODE.matcher(run.output()).results().count()).isEqualTo(2);
    try (Connection db = DriverManager.getConnection(h2Url(), "sa", "")) {
      assertThat(count(db, "SELECT COUNT(*) FROM accounts WHERE status = 'ACTIVE'")).isEqualTo(12);
      assertThat(count(db, "SELECT COUNT(*) FROM accounts WHERE assurance = 'P1'")).isEqualTo(10);
      assertThat(count(db, "SELECT COUNT(*) FROM record_links")).isEqualTo(10);
      assertThat(count(db, "SELECT COUNT(*) FROM link_codes WHERE used_at IS NULL")).isEqualTo(2);
      assertThat(count(db, "SELECT COUNT(DISTINCT category) FROM records")).isGreaterThan(3);
      assertThat(count(db, "SELECT COUNT(*) FROM record_documents")).isEqualTo(24);
      // Every linked resident has records to see.
      assertThat(
              count(
                  db,
                  "SELECT COUNT(DISTINCT l.account_id) FROM record_links l JOIN records r"
                      + " ON r.subject_id = l.subject_id WHERE r.resident_visible = TRUE"))
          .isEqualTo(10);
    }
  }

  @Test
  void refusesADatabaseThatAlreadyHoldsAccounts() {
    assertThat(run(embedded()).status()).isZero();

    Run again = run(embedded());

    assertThat(again.status()).isEqualTo(3);
    assertThat(again.output()).contains("already holds accounts or records");
  }

  @Test
  void refusesAnythingButTheEmbeddedDefault_unlessToldOtherwise() {
    // The test run points datasources.default.* at MariaDB (support/TestDatabase).
    Run run =
        run(
            "--demo-data",
            "--demo-residents=12",
            "--portal.data-dir=" + dir,
            "--portal.email.outbox=" + dir.resolve("outbox"));

    assertThat(run.status()).isEqualTo(3);
    assertThat(run.output()).contains("only the embedded default database");
  }

  @Test
  void refusesAnImpossibleNumberOfResidents() {
    Run run = run("--demo-data", "--demo-residents=many");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.output()).contains("--demo-residents must be a number from 2 to 10000");
    assertThat(Files.exists(dir.resolve("portal.mv.db"))).isFalse();
  }

  private static long count(Connection db, String sql) throws SQLException {
    try (var statement = db.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
