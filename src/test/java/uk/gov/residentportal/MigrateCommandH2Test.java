package uk.gov.residentportal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --migrate} and {@code --migrate --check} (the Kubernetes migration Job and the pods' init
 * container) on the embedded database (H2 in MySQL mode), each test in a database of its own.
 */
class MigrateCommandH2Test {
  @TempDir Path dir;

  private record Run(int status, String output) {}

  private String url() {
    return "jdbc:h2:file:"
        + dir.resolve("portal").toAbsolutePath()
        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
  }

  private Run run(String... flags) {
    return runWithUrl(url(), flags);
  }

  private static Run runWithUrl(String url, String... flags) {
    String[] base = {
      "--datasources.default.url=" + url,
      "--datasources.default.username=sa",
      "--datasources.default.password="
    };
    String[] args = Stream.concat(Stream.of(flags), Stream.of(base)).toArray(String[]::new);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status = MigrateCommand.run(args, out);
    }
    return new Run(status, bytes.toString(StandardCharsets.UTF_8));
  }

  /** The migrations in this release: V*.sql under db/migration. */
  private static long migrationFiles() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
      return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }

  private long appliedMigrations() throws SQLException {
    try (Connection c = DriverManager.getConnection(url(), "sa", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS"
                    + " NOT NULL")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void requestedOnlyByItsFlag() {
    assertThat(MigrateCommand.requested(new String[] {"--migrate"})).isTrue();
    assertThat(MigrateCommand.requested(new String[] {"--migrate", "--check"})).isTrue();
    assertThat(MigrateCommand.requested(new String[] {"--check"})).isFalse();
    assertThat(MigrateCommand.requested(new String[] {"--verify-audit"})).isFalse();
    assertThat(MigrateCommand.requested(new String[0])).isFalse();
  }

  @Test
  void migratesAnEmptyDatabaseToThisReleaseThenFindsNothingToDo() throws Exception {
    // As in the Job: the ConfigMap switches the pods' own migration off; --migrate migrates anyway.
    Run first = run("--migrate", "--flyway.datasources.default.enabled=false");

    assertThat(first.status()).as(first.output()).isEqualTo(MigrateCommand.DONE);
    assertThat(first.output())
        .contains("Database migrated from version (empty) to ")
        .contains(migrationFiles() + " migration(s) applied.");
    assertThat(appliedMigrations()).isEqualTo(migrationFiles());
    try (Connection c = DriverManager.getConnection(url(), "sa", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM accounts")) {
      rs.next();
      // The schema is there; the command wrote no data (no bootstrap, no keys).
      assertThat(rs.getLong(1)).isZero();
    }
    try (Connection c = DriverManager.getConnection(url(), "sa", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM signing_keys")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }

    Run again = run("--migrate");

    assertThat(again.status()).as(again.output()).isEqualTo(MigrateCommand.DONE);
    assertThat(again.output()).contains("Database up to date at version").contains("no migration");
    assertThat(appliedMigrations()).isEqualTo(migrationFiles());
  }

  @Test
  void checkSaysUpToDateAfterMigrationAndChangesNothing() throws Exception {
    assertThat(run("--migrate").status()).isEqualTo(MigrateCommand.DONE);

    Run check = run("--migrate", "--check");

    assertThat(check.status()).as(check.output()).isEqualTo(MigrateCommand.DONE);
    assertThat(check.output()).contains("Database up to date at version");
    assertThat(appliedMigrations()).isEqualTo(migrationFiles());
  }

  @Test
  void checkExitsThreeWhenMigrationsArePendingAndAppliesNone() throws Exception {
    // A database of the release before: migrated up to V5 only.
    Flyway.configure()
        .dataSource(url(), "sa", "")
        .locations("classpath:db/migration")
        .target("5")
        .load()
        .migrate();

    Run check = run("--migrate", "--check");

    assertThat(check.status()).as(check.output()).isEqualTo(MigrateCommand.PENDING);
    assertThat(check.output())
        .contains("Migrations pending")
        .contains("database at version 5")
        .contains("Run the migration Job");
    assertThat(appliedMigrations()).isEqualTo(5);
  }

  @Test
  void checkExitsThreeAndCreatesNothingWhenTheEmbeddedDatabaseDoesNotExist() {
    Run check = run("--migrate", "--check");

    assertThat(check.status()).as(check.output()).isEqualTo(MigrateCommand.PENDING);
    assertThat(check.output()).contains("there is no database at");
    assertThat(dir.resolve("portal.mv.db")).doesNotExist();
  }

  @Test
  void refusesASchemaFlywayDidNotMake() throws Exception {
    // Someone else's tables, no flyway_schema_history: Flyway must not migrate on top of them.
    try (Connection c = DriverManager.getConnection(url(), "sa", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE something_else (id INT PRIMARY KEY)");
    }

    Run run = run("--migrate");

    assertThat(run.status()).as(run.output()).isEqualTo(MigrateCommand.FAILED);
    assertThat(run.output()).contains("Database not migrated:").contains("non-empty schema");
    try (Connection c = DriverManager.getConnection(url(), "sa", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void exitsOneWhenAMigrationFailsAndRecordsNothingAsApplied() throws Exception {
    // A release whose V2 cannot run against what V1 made: the failure is reported, not hidden.
    Path migrations = Files.createDirectories(dir.resolve("migrations"));
    Files.writeString(migrations.resolve("V1__one.sql"), "CREATE TABLE one (id INT PRIMARY KEY);");
    Files.writeString(migrations.resolve("V2__two.sql"), "ALTER TABLE missing ADD COLUMN x INT;");

    Run run =
        runWithUrl(
            url(), "--migrate", "--flyway.datasources.default.locations=filesystem:" + migrations);

    assertThat(run.status()).as(run.output()).isEqualTo(MigrateCommand.FAILED);
    assertThat(run.output()).contains("Database not migrated:").contains("V2__two.sql");
  }

  @Test
  void exitsOneWhenTheDatabaseCannotBeReached() {
    // Nothing listens on port 1: the connection is refused at once.
    Run run = runWithUrl("jdbc:mysql://127.0.0.1:1/portal?connectTimeout=2000", "--migrate");

    assertThat(run.status()).as(run.output()).isEqualTo(MigrateCommand.FAILED);
    assertThat(run.output()).contains("Database not migrated:");
  }

  @Test
  void exitsOneWhenNoDatabaseIsConfigured() {
    Run run = runWithUrl("", "--migrate");

    assertThat(run.status()).as(run.output()).isEqualTo(MigrateCommand.FAILED);
    assertThat(run.output()).contains("DATASOURCES_DEFAULT_URL is not set");
  }
}
