package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import uk.gov.residentportal.web.ProblemException;

/**
 * The transactions services report for the Government Digital Service digital take-up KPI: per
 * service (its client) and UTC day, how many were completed online and in all. A day reported again
 * replaces what was reported for it before (a service corrects its figures by sending them again).
 */
@Singleton
public class UptakeTransactions {
  /** A year and a day: a service can send back figures for the last year in one request. */
  static final int MAX_DAYS = 366;

  static final long MAX_COUNT = 10_000_000;

  private final JdbcOperations jdbc;
  private final Clock clock;

  UptakeTransactions(JdbcOperations jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** One service's figures for one day. */
  public record Day(LocalDate day, int online, int total, @Nullable Instant reportedAt) {}

  /**
   * Stores the client's figures of {@code body} (one {@code {day, online, total}} or an array of up
   * to 366), all or none, and returns them as stored.
   *
   * @throws ProblemException.InvalidField naming the first wrong field ({@code [i].day} in an
   *     array)
   */
  @Transactional
  public List<Day> report(String clientId, @Nullable JsonNode body) {
    List<Day> days = parse(body, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    jdbc.prepareStatement(
        "INSERT INTO uptake_transactions (client_id, on_day, online, total, reported_at)"
            + " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE online = ?, total = ?,"
            + " reported_at = ?",
        statement -> {
          for (Day day : days) {
            statement.setString(1, clientId);
            statement.setObject(2, day.day());
            statement.setInt(3, day.online());
            statement.setInt(4, day.total());
            statement.setTimestamp(5, Timestamp.from(now));
            statement.setInt(6, day.online());
            statement.setInt(7, day.total());
            statement.setTimestamp(8, Timestamp.from(now));
            statement.addBatch();
          }
          return statement.executeBatch();
        });
    return days.stream().map(d -> new Day(d.day(), d.online(), d.total(), now)).toList();
  }

  /** The client's stored figures between from and to (inclusive), by day. */
  @Transactional(readOnly = true)
  public List<Day> reported(String clientId, LocalDate from, LocalDate to) {
    return jdbc.prepareStatement(
        "SELECT on_day, online, total, reported_at FROM uptake_transactions WHERE client_id = ?"
            + " AND on_day >= ? AND on_day <= ? ORDER BY on_day",
        statement -> {
          statement.setString(1, clientId);
          statement.setObject(2, from);
          statement.setObject(3, to);
          List<Day> rows = new ArrayList<>();
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              rows.add(
                  new Day(
                      result.getObject(1, LocalDate.class),
                      result.getInt(2),
                      result.getInt(3),
                      result.getTimestamp(4).toInstant()));
            }
          }
          return rows;
        });
  }

  static List<Day> parse(@Nullable JsonNode body, LocalDate today) {
    if (body == null || body.isNull()) {
      throw new ProblemException.InvalidField("body", "is required");
    }
    if (body.isObject()) {
      return List.of(day("", body, today));
    }
    if (!body.isArray()) {
      throw new ProblemException.InvalidField(
          "body", "must be an object {day, online, total} or an array of them");
    }
    if (body.size() == 0 || body.size() > MAX_DAYS) {
      throw new ProblemException.InvalidField("body", "must hold from 1 to " + MAX_DAYS + " days");
    }
    List<Day> days = new ArrayList<>();
    Set<LocalDate> seen = new HashSet<>();
    for (int i = 0; i < body.size(); i++) {
      String prefix = "[" + i + "].";
      JsonNode item = body.get(i);
      if (item == null || !item.isObject()) {
        throw new ProblemException.InvalidField(
            "[" + i + "]", "must be an object {day, online, total}");
      }
      Day day = day(prefix, item, today);
      if (!seen.add(day.day())) {
        throw new ProblemException.InvalidField(prefix + "day", "is given twice");
      }
      days.add(day);
    }
    return days;
  }

  private static Day day(String prefix, JsonNode item, LocalDate today) {
    LocalDate day = date(prefix + "day", item.get("day"), today);
    int online = count(prefix + "online", item.get("online"));
    int total = count(prefix + "total", item.get("total"));
    if (online > total) {
      throw new ProblemException.InvalidField(prefix + "online", "must not be more than total");
    }
    return new Day(day, online, total, null);
  }

  private static LocalDate date(String field, @Nullable JsonNode value, LocalDate today) {
    if (value == null || value.isNull()) {
      throw new ProblemException.InvalidField(field, "is required");
    }
    LocalDate day;
    try {
      if (!value.isString() || value.getStringValue().length() != 10) {
        throw new DateTimeParseException("not a date", value.toString(), 0);
      }
      day = LocalDate.parse(value.getStringValue());
    } catch (DateTimeParseException e) {
      throw new ProblemException.InvalidField(field, "must be a date like 2026-11-29");
    }
    if (day.isAfter(today)) {
      throw new ProblemException.InvalidField(field, "must not be after today (UTC)");
    }
    if (day.isBefore(UptakeQuery.EARLIEST)) {
      throw new ProblemException.InvalidField(field, "must be on or after " + UptakeQuery.EARLIEST);
    }
    return day;
  }

  private static int count(String field, @Nullable JsonNode value) {
    if (value == null || value.isNull()) {
      throw new ProblemException.InvalidField(field, "is required");
    }
    Number number = value.isNumber() ? value.getNumberValue() : null;
    boolean whole =
        number instanceof Integer
            || number instanceof Long
            || number instanceof Short
            || number instanceof Byte
            || number instanceof BigInteger
            || (number instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0);
    if (!whole
        || new BigDecimal(number.toString()).compareTo(BigDecimal.ZERO) < 0
        || new BigDecimal(number.toString()).compareTo(BigDecimal.valueOf(MAX_COUNT)) > 0) {
      throw new ProblemException.InvalidField(field, "must be a whole number from 0 to 10,000,000");
    }
    return number.intValue();
  }
}
