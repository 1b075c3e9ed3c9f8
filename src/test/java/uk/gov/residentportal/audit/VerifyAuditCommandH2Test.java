package uk.gov.residentportal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.gov.residentportal.VerifyAuditCommand;

/** The --verify-audit command on the embedded first-run database (H2 in MySQL mode). */
class VerifyAuditCommandH2Test {
  @TempDir Path dir;

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
      "--portal.data-dir=" + dir
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(extra, 0, all, 0, extra.length);
    System.arraycopy(base, 0, all, extra.length, base.length);
    return all;
  }

  private record Run(int status, String output) {}

  private Run command() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status = VerifyAuditCommand.run(args("--verify-audit"), out);
    }
    return new Run(status, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void findsTheChainsOfAnEmbeddedDatabaseTheServiceMadeIntact() {
    // The service's context makes and migrates the database (as a first run does).
    try (ApplicationContext service = ApplicationContext.builder().args(args()).start()) {
      assertThat(service.isRunning()).isTrue();
    }

    Run run = command();

    assertThat(run.status()).as(run.output()).isEqualTo(VerifyAuditCommand.INTACT);
    assertThat(run.output())
        .contains("Audit chains checked: 16 chains")
        .contains("No signed checkpoint yet.")
        .contains("Intact");
  }

  @Test
  void exitsOneAndCreatesNothingWhenTheEmbeddedDatabaseDoesNotExist() {
    Run run = command();

    assertThat(run.status()).as(run.output()).isEqualTo(VerifyAuditCommand.FAILED);
    assertThat(run.output()).contains("there is no database at");
    assertThat(dir.resolve("portal.mv.db")).doesNotExist();
  }

  @Test
  void exitsOneWhenTheDatabaseHasNoAuditTables() throws SQLException {
    // Some other database: it exists, but the portal never migrated it.
    try (Connection c = DriverManager.getConnection(url(), "sa", "")) {
      c.createStatement().execute("CREATE TABLE something_else (id INT)");
    }

    Run run = command();

    assertThat(run.status()).as(run.output()).isEqualTo(VerifyAuditCommand.FAILED);
    assertThat(run.output()).contains("audit tables could not be read");
    try (Connection c = DriverManager.getConnection(url(), "sa", "");
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*) FROM information_schema.tables"
                        + " WHERE table_schema = 'public'")) {
      rs.next();
      // Not migrated by the command: still only the one table.
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }
}
