package uk.gov.residentportal.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.gov.residentportal.support.Sql;

/**
 * The audit tables as the database holds them, for what the API does not show: which events were
 * written, and rows changed or deleted behind the service's back (as an attacker with database
 * access would) and put back afterwards, so later tests find the chains intact.
 */
final class AuditRows {
  private AuditRows() {}

  /** Every column of the rows {@code sql} selects, by lower-case column name, in order. */
  static List<Map<String, Object>> rows(String sql, Object... parameters) {
    try (Connection c = Sql.connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test query failed: " + sql, e);
    }
  }

  /** The stored event with this id. */
  static Map<String, Object> event(String id) {
    List<Map<String, Object>> found = rows("SELECT * FROM audit_events WHERE id = ?", id);
    if (found.size() != 1) {
      throw new AssertionError("no audit event " + id);
    }
    return found.get(0);
  }

  /** The events of {@code action} about {@code subject}, oldest first. */
  static List<Map<String, Object>> about(String subject, String action) {
    return rows(
        "SELECT * FROM audit_events WHERE subject = ? AND action = ? ORDER BY occurred_at, seq",
        subject,
        action);
  }

  /** The events of {@code action} by the actor {@code actorId}, oldest first. */
  static List<Map<String, Object>> by(String actorId, String action) {
    return rows(
        "SELECT * FROM audit_events WHERE actor_id = ? AND action = ? ORDER BY occurred_at, seq",
        actorId,
        action);
  }

  /** Puts a deleted event back exactly as it was. */
  static void insert(Map<String, Object> row) {
    String columns = String.join(", ", row.keySet());
    String marks = String.join(", ", row.keySet().stream().map(k -> "?").toList());
    Sql.update(
        "INSERT INTO audit_events (" + columns + ") VALUES (" + marks + ")",
        row.values().toArray());
  }
}
