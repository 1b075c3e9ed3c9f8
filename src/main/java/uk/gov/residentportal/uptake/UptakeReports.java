package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import uk.gov.residentportal.web.ProblemException;

/**
 * Reads the uptake report from the roll-ups, in one read-only transaction (one snapshot): the whole
 * council's (or the area's) daily rows between from and to, sums before from, and the areas' sums
 * to the report's day (whole months from the monthly roll-up, the rest of the month from the daily
 * one). A few thousand rows at most, whatever the number of accounts.
 */
@Singleton
public class UptakeReports {
  private static final String SUMS =
      "SUM(sign_ups), SUM(accounts), SUM(verified), SUM(verifications), SUM(linked), SUM(erased),"
          + " SUM(active_7d), SUM(active_30d)";

  private final JdbcOperations jdbc;
  private final Clock clock;

  UptakeReports(JdbcOperations jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Today in UTC: the latest day a report can be as of. */
  public LocalDate today() {
    return LocalDate.now(clock.withZone(ZoneOffset.UTC));
  }

  /** The query's report. An area no account and no loaded area has answers 400 (area). */
  @Transactional(readOnly = true)
  public UptakeReport report(UptakeQuery query) {
    Map<String, AreaRow> areas = areas();
    String key = query.area() == null ? UptakeDelta.COUNCIL : query.area();
    if (query.area() != null && !areas.containsKey(query.area()) && !hasRollups(query.area())) {
      throw new ProblemException.InvalidField("area", "is not a known area");
    }
    UptakeDelta before = cumulative(key, query.from().minusDays(1));
    List<UptakeDelta> days = changes(key, query);

    List<UptakeReport.Period> series = new ArrayList<>();
    UptakeDelta running = before;
    int next = 0;
    long started = 0;
    long completed = 0;
    for (LocalDate start = query.interval().start(query.from());
        !start.isAfter(query.to());
        start = query.interval().next(start)) {
      LocalDate first = start.isBefore(query.from()) ? query.from() : start;
      LocalDate nextStart = query.interval().next(start);
      LocalDate last =
          nextStart.minusDays(1).isAfter(query.to()) ? query.to() : nextStart.minusDays(1);
      long newAccounts = 0;
      while (next < days.size() && !days.get(next).day().isAfter(last)) {
        UptakeDelta day = days.get(next++);
        newAccounts += day.signUps();
        started += day.signUps();
        completed += day.verifications();
        running = running.plus(day);
      }
      series.add(
          new UptakeReport.Period(
              query.interval().label(start), first, last, newAccounts, running.accounts()));
    }

    AreaRow chosen = query.area() == null ? null : areas.get(query.area());
    Long population =
        query.area() == null ? totalPopulation(areas) : chosen == null ? null : chosen.population();
    boolean council = query.area() == null;
    long[] transactions = transactions(query.from(), query.to());
    return new UptakeReport(
        query.to(),
        query.from(),
        query.to(),
        query.interval().value(),
        query.area(),
        query.area() == null ? null : chosen == null ? query.area() : chosen.name(),
        running.accounts(),
        running.verified(),
        running.linked(),
        running.erased(),
        council ? (long) running.active7d() : null,
        council ? (long) running.active30d() : null,
        population,
        percent(running.accounts(), population),
        series,
        byArea(query, areas),
        new UptakeReport.Kpis(
            started,
            completed,
            percent(completed, started),
            transactions[0],
            transactions[1],
            percent(transactions[0], transactions[1])));
  }

  /** a ÷ b × 100 to two decimal places; null when b is null or not positive. */
  static Double percent(long a, @Nullable Long b) {
    if (b == null || b <= 0) {
      return null;
    }
    return Math.round(a * 10000.0 / b) / 100.0;
  }

  private List<UptakeReport.AreaUptake> byArea(UptakeQuery query, Map<String, AreaRow> areas) {
    Map<String, Long> accounts = new TreeMap<>();
    LocalDate monthStart = query.to().withDayOfMonth(1);
    String where = query.area() == null ? "area_code <> ?" : "area_code = ?";
    String area = query.area() == null ? UptakeDelta.COUNCIL : query.area();
    // Every area with roll-up rows (a change is added to its day's row and its month's alike),
    // and the sums of those with months before to's.
    List<String> codes = new ArrayList<>();
    jdbc.prepareStatement(
        "SELECT area_code, SUM(CASE WHEN on_day < ? THEN accounts ELSE 0 END),"
            + " SUM(CASE WHEN on_day < ? THEN 1 ELSE 0 END) FROM uptake_monthly WHERE "
            + where
            + " GROUP BY area_code",
        statement -> {
          statement.setObject(1, monthStart);
          statement.setObject(2, monthStart);
          statement.setString(3, area);
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              codes.add(rows.getString(1));
              if (rows.getLong(3) > 0) {
                accounts.put(rows.getString(1), rows.getLong(2));
              }
            }
          }
          return null;
        });
    if (codes.isEmpty()) {
      return byArea(query, areas, accounts);
    }
    // The days of to's month, area by area: one short range of the key (area_code, on_day) each,
    // rather than every day of every area.
    jdbc.prepareStatement(
        "SELECT area_code, SUM(accounts) FROM uptake_daily WHERE area_code IN ("
            + "?, ".repeat(codes.size() - 1)
            + "?) AND on_day >= ? AND on_day <= ? GROUP BY area_code",
        statement -> {
          int i = 1;
          for (String code : codes) {
            statement.setString(i++, code);
          }
          statement.setObject(i++, monthStart);
          statement.setObject(i, query.to());
          return sumInto(statement, accounts);
        });
    return byArea(query, areas, accounts);
  }

  private static List<UptakeReport.AreaUptake> byArea(
      UptakeQuery query, Map<String, AreaRow> areas, Map<String, Long> accounts) {
    List<UptakeReport.AreaUptake> result = new ArrayList<>();
    for (AreaRow row : areas.values()) {
      if (query.area() == null || query.area().equals(row.code())) {
        long count = accounts.getOrDefault(row.code(), 0L);
        result.add(
            new UptakeReport.AreaUptake(
                row.code(),
                row.name(),
                count,
                row.population(),
                row.source(),
                row.year(),
                percent(count, row.population())));
      }
    }
    accounts.forEach(
        (code, count) -> {
          if (!areas.containsKey(code)) {
            boolean none = UptakeDelta.NO_AREA.equals(code);
            result.add(
                new UptakeReport.AreaUptake(
                    none ? null : code,
                    none ? "Postcode in no known area" : code,
                    count,
                    null,
                    null,
                    null,
                    null));
          }
        });
    return result;
  }

  private static Void sumInto(PreparedStatement statement, Map<String, Long> accounts)
      throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        accounts.merge(rows.getString(1), rows.getLong(2), Long::sum);
      }
    }
    return null;
  }

  /** The sums of {@code area}'s roll-ups over every day up to {@code day} (inclusive). */
  UptakeDelta cumulative(String area, LocalDate day) {
    LocalDate monthStart = day.withDayOfMonth(1);
    UptakeDelta months =
        jdbc.prepareStatement(
            "SELECT " + SUMS + " FROM uptake_monthly WHERE area_code = ? AND on_day < ?",
            statement -> {
              statement.setString(1, area);
              statement.setObject(2, monthStart);
              return sums(statement, day, area);
            });
    UptakeDelta days =
        jdbc.prepareStatement(
            "SELECT "
                + SUMS
                + " FROM uptake_daily WHERE area_code = ? AND on_day >= ?"
                + " AND on_day <= ?",
            statement -> {
              statement.setString(1, area);
              statement.setObject(2, monthStart);
              statement.setObject(3, day);
              return sums(statement, day, area);
            });
    return months.plus(days);
  }

  private static UptakeDelta sums(PreparedStatement statement, LocalDate day, String area)
      throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      rows.next();
      return new UptakeDelta(
          day,
          area,
          rows.getInt(1),
          rows.getInt(2),
          rows.getInt(3),
          rows.getInt(4),
          rows.getInt(5),
          rows.getInt(6),
          rows.getInt(7),
          rows.getInt(8));
    }
  }

  /**
   * The changes between from and to in day order: by day, except that a series by month takes the
   * whole months in it from the monthly roll-up (one row a month instead of about 30; the sums are
   * the same) and only the days of a partial first or last month from the daily one.
   */
  private List<UptakeDelta> changes(String area, UptakeQuery query) {
    LocalDate from = query.from();
    LocalDate to = query.to();
    if (query.interval() != Interval.MONTH) {
      return rows("uptake_daily", area, from, to);
    }
    LocalDate wholeFrom = from.getDayOfMonth() == 1 ? from : from.withDayOfMonth(1).plusMonths(1);
    LocalDate wholeUntil = to.plusDays(1).withDayOfMonth(1); // exclusive
    if (!wholeFrom.isBefore(wholeUntil)) {
      return rows("uptake_daily", area, from, to);
    }
    List<UptakeDelta> changes = new ArrayList<>();
    if (from.isBefore(wholeFrom)) {
      changes.addAll(rows("uptake_daily", area, from, wholeFrom.minusDays(1)));
    }
    changes.addAll(rows("uptake_monthly", area, wholeFrom, wholeUntil.minusDays(1)));
    if (!wholeUntil.isAfter(to)) {
      changes.addAll(rows("uptake_daily", area, wholeUntil, to));
    }
    return changes;
  }

  /** A roll-up's rows for the area between from and to (inclusive), in day order. */
  private List<UptakeDelta> rows(String table, String area, LocalDate from, LocalDate to) {
    return jdbc.prepareStatement(
        "SELECT on_day, sign_ups, accounts, verified, verifications, linked, erased, active_7d,"
            + " active_30d FROM "
            + table
            + " WHERE area_code = ? AND on_day >= ? AND on_day <= ?"
            + " ORDER BY on_day",
        statement -> {
          statement.setString(1, area);
          statement.setObject(2, from);
          statement.setObject(3, to);
          List<UptakeDelta> rows = new ArrayList<>();
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              rows.add(
                  new UptakeDelta(
                      result.getObject(1, LocalDate.class),
                      area,
                      result.getInt(2),
                      result.getInt(3),
                      result.getInt(4),
                      result.getInt(5),
                      result.getInt(6),
                      result.getInt(7),
                      result.getInt(8),
                      result.getInt(9)));
            }
          }
          return rows;
        });
  }

  private boolean hasRollups(String area) {
    return jdbc.prepareStatement(
        "SELECT 1 FROM uptake_monthly WHERE area_code = ? LIMIT 1",
        statement -> {
          statement.setString(1, area);
          try (ResultSet rows = statement.executeQuery()) {
            return rows.next();
          }
        });
  }

  private long[] transactions(LocalDate from, LocalDate to) {
    return jdbc.prepareStatement(
        "SELECT SUM(online), SUM(total) FROM uptake_transactions WHERE on_day >= ?"
            + " AND on_day <= ?",
        statement -> {
          statement.setObject(1, from);
          statement.setObject(2, to);
          try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2)};
          }
        });
  }

  /** The loaded areas' names by code, in name order: the areas a report may be asked for. */
  @Transactional(readOnly = true)
  public Map<String, String> areaNames() {
    Map<String, String> names = new LinkedHashMap<>();
    areas().forEach((code, row) -> names.put(code, row.name()));
    return names;
  }

  /** The loaded areas, by code. */
  Map<String, AreaRow> areas() {
    return jdbc.prepareStatement(
        "SELECT area_code, name, population, population_source, population_year FROM uptake_areas"
            + " ORDER BY name, area_code",
        statement -> {
          Map<String, AreaRow> areas = new LinkedHashMap<>();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              long population = rows.getLong(3);
              Long known = rows.wasNull() ? null : population;
              int year = rows.getInt(5);
              Integer knownYear = rows.wasNull() ? null : year;
              areas.put(
                  rows.getString(1),
                  new AreaRow(
                      rows.getString(1), rows.getString(2), known, rows.getString(4), knownYear));
            }
          }
          return areas;
        });
  }

  private static Long totalPopulation(Map<String, AreaRow> areas) {
    long total = 0;
    boolean any = false;
    for (AreaRow area : areas.values()) {
      if (area.population() != null) {
        total += area.population();
        any = true;
      }
    }
    return any ? total : null;
  }

  /** A loaded area. */
  record AreaRow(
      String code,
      String name,
      @Nullable Long population,
      @Nullable String source,
      @Nullable Integer year) {}
}
