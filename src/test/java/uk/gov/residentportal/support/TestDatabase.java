package uk.gov.residentportal.support;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.TimeZone;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives each test run its own freshly created MariaDB/MySQL schema and drops it afterwards. Every
 * {@code @MicronautTest} context of the run points at it through system properties, so tests never
 * touch the embedded database or another run's data.
 */
public final class TestDatabase implements LauncherSessionListener {
  private static String schema;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    if (schema != null) {
      return;
    }
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    schema = "portal_test_" + HexFormat.of().formatHex(random);
    execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    System.setProperty("datasources.default.url", serverUrl() + schema + "?" + OPTIONS);
    System.setProperty("datasources.default.username", user());
    System.setProperty("datasources.default.password", password());
    System.setProperty("datasources.default.driver-class-name", "com.mysql.cj.jdbc.Driver");
    // The signing keys in this schema are encrypted under a key-encryption key of this run.
    byte[] kek = new byte[32];
    new SecureRandom().nextBytes(kek);
    System.setProperty(TestKeys.KEK_PROPERTY, java.util.Base64.getEncoder().encodeToString(kek));
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (schema != null && !Boolean.getBoolean("portal.test.keep-schema")) {
      execute("DROP DATABASE " + schema);
      schema = null;
    }
  }

  /** The connection options every test context uses: UTC on both sides of the wire. */
  static final String OPTIONS =
      "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false"
          + "&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true";

  private static void execute(String sql) {
    try (Connection c =
            DriverManager.getConnection(serverUrl() + "?" + OPTIONS, user(), password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "The test database at " + serverUrl() + " refused: " + e.getMessage(), e);
    }
  }

  private static String serverUrl() {
    String url = System.getProperty("portal.test.db.url", "jdbc:mysql://127.0.0.1:3306/");
    return url.endsWith("/") ? url : url + "/";
  }

  private static String user() {
    return System.getProperty("portal.test.db.user", "root");
  }

  private static String password() {
    return System.getProperty("portal.test.db.password", "");
  }
}
