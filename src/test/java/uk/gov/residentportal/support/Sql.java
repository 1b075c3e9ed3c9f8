package uk.gov.residentportal.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Direct look-ups in the test schema, for what HTTP cannot do (let time pass) or cannot show (which
 * rows exist). Connects with the settings {@link TestDatabase} gives every test context. Parameters
 * are bound in order with {@code setObject}.
 */
public final class Sql {
  private Sql() {}

  /** A new connection to this run's test schema; the caller closes it. */
  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        System.getProperty("datasources.default.url"),
        System.getProperty("datasources.default.username"),
        System.getProperty("datasources.default.password"));
  }

  /** Runs an INSERT, UPDATE or DELETE; returns how many rows it changed. */
  public static int update(String sql, Object... parameters) {
    try (Connection c = connect();
        PreparedStatement s = prepare(c, sql, parameters)) {
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("test update failed: " + sql, e);
    }
  }

  /** The first column of the first row as a number, typically of a {@code SELECT COUNT(*)}. */
  public static long count(String sql, Object... parameters) {
    return query(sql, parameters, true, rs -> rs.getLong(1));
  }

  /** The first column of the first row; an AssertionError when there is no row. */
  public static String string(String sql, Object... parameters) {
    return query(sql, parameters, true, rs -> rs.getString(1));
  }

  /** The first column of the first row, or null when there is no row. */
  public static String stringOrNull(String sql, Object... parameters) {
    return query(sql, parameters, false, rs -> rs.getString(1));
  }

  /** The first column of the first row as bytes, or null when there is no row. */
  public static byte[] bytesOrNull(String sql, Object... parameters) {
    return query(sql, parameters, false, rs -> rs.getBytes(1));
  }

  private interface Column<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private static <T> T query(
      String sql, Object[] parameters, boolean rowRequired, Column<T> column) {
    try (Connection c = connect();
        PreparedStatement s = prepare(c, sql, parameters);
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        if (rowRequired) {
          throw new AssertionError("no row for " + sql);
        }
        return null;
      }
      return column.read(rs);
    } catch (SQLException e) {
      throw new IllegalStateException("test query failed: " + sql, e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object[] parameters)
      throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      return s;
    } catch (SQLException e) {
      s.close();
      throw e;
    }
  }
}
