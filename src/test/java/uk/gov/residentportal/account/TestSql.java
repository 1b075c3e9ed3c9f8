package uk.gov.residentportal.account;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import uk.gov.residentportal.shared.SecretTokens;

/**
 * Direct access to the test schema for what HTTP cannot do (let time pass) or cannot show (how many
 * rows exist). Connects with the settings support/TestDatabase gives the running service.
 */
final class TestSql {
  private TestSql() {}

  /** Makes an emailed one-time token expired: its expiry moves before its creation. */
  static void expire(String token) {
    int updated =
        update(
            "UPDATE account_tokens SET expires_at = DATE_SUB(created_at, INTERVAL 1 SECOND)"
                + " WHERE token_hash = ?",
            SecretTokens.hash(token));
    if (updated != 1) {
      throw new AssertionError("no stored token to expire");
    }
  }

  static long accountsWithEmail(String email) {
    return count("SELECT COUNT(*) FROM accounts WHERE email = ?", email);
  }

  static long count(String sql, String parameter) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test query failed", e);
    }
  }

  static String string(String sql, String parameter) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test query failed", e);
    }
  }

  private static int update(String sql, String parameter) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("test update failed", e);
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        System.getProperty("datasources.default.url"),
        System.getProperty("datasources.default.username"),
        System.getProperty("datasources.default.password"));
  }
}
