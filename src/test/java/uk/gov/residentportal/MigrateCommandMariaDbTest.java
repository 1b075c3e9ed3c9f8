package uk.gov.residentportal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --migrate} on MariaDB/MySQL as the Kubernetes manifests use it: the migration Job's
 * account (DDL rights) migrates, and the pods' account (SELECT, INSERT, UPDATE, DELETE only, as in
 * k8s/README.md) can run {@code --migrate --check} in the init container but cannot migrate. A
 * schema and a user of the test's own, dropped afterwards.
 */
class MigrateCommandMariaDbTest {
  private static final String OPTIONS =
      "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false"
          + "&allowPublicKeyRetrieval=true";

  private String schema;
  private String podUser;
  private final String podPassword = "pod-" + random();

  private record Run(int status, String output) {}

  private static String random() {
    byte[] bytes = new byte[6];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String serverUrl() {
    String url = System.getProperty("portal.test.db.url", "jdbc:mysql://127.0.0.1:3306/");
    return url.endsWith("/") ? url : url + "/";
  }

  private static String rootUser() {
    return System.getProperty("portal.test.db.user", "root");
  }

  private static String rootPassword() {
    return System.getProperty("portal.test.db.password", "");
  }

  private static void asRoot(String... statements) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(serverUrl() + "?" + OPTIONS, rootUser(), rootPassword());
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  @BeforeEach
  void createSchemaAndPodAccount() throws SQLException {
    String suffix = random();
    schema = "portal_test_" + suffix + "_migrate";
    podUser = "portal_pod_" + suffix;
    asRoot(
        "CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
        "CREATE USER '" + podUser + "'@'%' IDENTIFIED BY '" + podPassword + "'",
        "CREATE USER '" + podUser + "'@'localhost' IDENTIFIED BY '" + podPassword + "'",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON " + schema + ".* TO '" + podUser + "'@'%'",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON "
            + schema
            + ".* TO '"
            + podUser
            + "'@'localhost'");
  }

  @AfterEach
  void dropSchemaAndPodAccount() throws SQLException {
    asRoot(
        "DROP USER IF EXISTS '" + podUser + "'@'%'",
        "DROP USER IF EXISTS '" + podUser + "'@'localhost'",
        "DROP DATABASE IF EXISTS " + schema);
  }

  private Run run(String user, String password, String... flags) {
    String[] base = {
      "--datasources.default.url=" + serverUrl() + schema + "?" + OPTIONS,
      "--datasources.default.username=" + user,
      "--datasources.default.password=" + password
    };
    String[] args = new String[flags.length + base.length];
    System.arraycopy(flags, 0, args, 0, flags.length);
    System.arraycopy(base, 0, args, flags.length, base.length);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status = MigrateCommand.run(args, out);
    }
    return new Run(status, bytes.toString(StandardCharsets.UTF_8));
  }

  private int tables() throws SQLException {
    try (Connection c =
            DriverManager.getConnection(serverUrl() + "?" + OPTIONS, rootUser(), rootPassword());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '"
                    + schema
                    + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void theJobMigratesAndThePodsCheckWithTheirOwnAccount() throws SQLException {
    Run before = run(podUser, podPassword, "--migrate", "--check");
    assertThat(before.status()).as(before.output()).isEqualTo(MigrateCommand.PENDING);
    assertThat(before.output()).contains("Migrations pending").contains("(empty)");

    Run migrate = run(rootUser(), rootPassword(), "--migrate");
    assertThat(migrate.status()).as(migrate.output()).isEqualTo(MigrateCommand.DONE);
    assertThat(migrate.output()).contains("Database migrated from version (empty) to ");
    int tables = tables();
    assertThat(tables).isGreaterThan(30);

    Run after = run(podUser, podPassword, "--migrate", "--check");
    assertThat(after.status()).as(after.output()).isEqualTo(MigrateCommand.DONE);
    assertThat(after.output()).contains("Database up to date at version");
    assertThat(tables()).isEqualTo(tables);
  }

  @Test
  void thePodsAccountCannotMigrate() throws SQLException {
    Run run = run(podUser, podPassword, "--migrate");

    assertThat(run.status()).as(run.output()).isEqualTo(MigrateCommand.FAILED);
    assertThat(run.output()).contains("Database not migrated:");
    assertThat(tables()).isZero();
  }

  @Test
  void exitsOneWithAWrongPassword() {
    Run run = run(podUser, "wrong", "--migrate");

    assertThat(run.status()).as(run.output()).isEqualTo(MigrateCommand.FAILED);
    assertThat(run.output()).contains("Database not migrated:");
  }

  @Test
  void checkExitsOneWhenItCannotConnect() {
    Run run = run(podUser, "wrong", "--migrate", "--check");

    assertThat(run.status()).as(run.output()).isEqualTo(MigrateCommand.FAILED);
    assertThat(run.output()).contains("Migrations not checked:");
  }
}
