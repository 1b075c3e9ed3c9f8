package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;
import uk.gov.residentportal.web.ProblemException;

/**
 * What a report covers: the days {@code from} to {@code to} (inclusive, UTC), the series' interval,
 * and one area or the whole council (null). The figures are as of {@code to}; a {@code to} after
 * today is today (the future has no figures yet).
 */
public record UptakeQuery(
    LocalDate from, LocalDate to, Interval interval, @Nullable String area, boolean toClamped) {
  /** Ten years by day, and then some; a longer series is refused. */
  public static final int MAX_PERIODS = 3700;

  /** The earliest day a report may start. */
  public static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

  private static final Pattern AREA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,15}");

  /**
   * Reads the query parameters (any may be absent): {@code interval} day, week or month (default
   * month); {@code to} a date (default today); {@code from} a date (default: twelve periods ending
   * with the one {@code to} is in); {@code area} an area code.
   *
   * @throws ProblemException.InvalidField naming the parameter that is wrong
   */
  public static UptakeQuery parse(
      @Nullable String from,
      @Nullable String to,
      @Nullable String interval,
      @Nullable String area,
      LocalDate today) {
    Interval parsedInterval = interval(interval);
    LocalDate parsedTo = to == null || to.isBlank() ? today : date("to", to);
    boolean clamped = parsedTo.isAfter(today);
    if (clamped) {
      parsedTo = today;
    }
    if (parsedTo.isBefore(EARLIEST)) {
      throw new ProblemException.InvalidField("to", "must be on or after " + EARLIEST);
    }
    LocalDate parsedFrom;
    if (from == null || from.isBlank()) {
      LocalDate start = parsedInterval.start(parsedTo);
      for (int i = 0; i < 11; i++) {
        start = parsedInterval.start(start.minusDays(1));
      }
      parsedFrom = start.isBefore(EARLIEST) ? EARLIEST : start;
    } else {
      parsedFrom = date("from", from);
      if (parsedFrom.isAfter(today)) {
        throw new ProblemException.InvalidField("from", "must not be after today (UTC)");
      }
      if (parsedFrom.isAfter(parsedTo)) {
        throw new ProblemException.InvalidField("from", "must not be after to");
      }
    }
    if (parsedFrom.isBefore(EARLIEST)) {
      throw new ProblemException.InvalidField("from", "must be on or after " + EARLIEST);
    }
    if (periods(parsedFrom, parsedTo, parsedInterval) > MAX_PERIODS) {
      throw new ProblemException.InvalidField(
          "interval",
          "gives more than " + MAX_PERIODS + " periods between from and to: choose a longer one");
    }
    // Area codes are upper case (ONS GSS codes; the loader upper-cases them): the database compares
    // them case-insensitively on MariaDB and not on H2, so one form everywhere.
    String parsedArea =
        area == null || area.isBlank() ? null : area.trim().toUpperCase(Locale.ROOT);
    if (parsedArea != null && !AREA.matcher(parsedArea).matches()) {
      throw new ProblemException.InvalidField("area", "must be an area code such as E05000001");
    }
    return new UptakeQuery(parsedFrom, parsedTo, parsedInterval, parsedArea, clamped);
  }

  /** The number of periods the series has: every period from's is in, up to to's. */
  static long periods(LocalDate from, LocalDate to, Interval interval) {
    LocalDate first = interval.start(from);
    LocalDate last = interval.start(to);
    return switch (interval) {
          case DAY -> ChronoUnit.DAYS.between(first, last);
          case WEEK -> ChronoUnit.WEEKS.between(first, last);
          case MONTH -> ChronoUnit.MONTHS.between(first, last);
        }
        + 1;
  }

  private static Interval interval(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return Interval.MONTH;
    }
    try {
      return Interval.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ProblemException.InvalidField("interval", "must be day, week or month");
    }
  }

  private static LocalDate date(String field, String value) {
    if (value.length() != 10) {
      throw new ProblemException.InvalidField(field, "must be a date like 2019-02-28");
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new ProblemException.InvalidField(field, "must be a date like 2019-02-28");
    }
  }
}
