package uk.gov.residentportal.uptake;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** The periods of a report's series: UTC days, ISO weeks (Monday to Sunday) or calendar months. */
public enum Interval {
  DAY,
  WEEK,
  MONTH;

  /** The first day of the period {@code day} is in. */
  LocalDate start(LocalDate day) {
    return switch (this) {
      case DAY -> day;
      case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> day.withDayOfMonth(1);
    };
  }

  /** The first day of the next period. */
  LocalDate next(LocalDate start) {
    return switch (this) {
      case DAY -> start.plusDays(1);
      case WEEK -> start.plusWeeks(1);
      case MONTH -> start.plusMonths(1);
    };
  }

  /** The period's name: {@code 2019-02-28}, {@code 2019-W09} (ISO week year), {@code 2019-02}. */
  String label(LocalDate start) {
    return switch (this) {
      case DAY -> start.toString();
      case WEEK ->
          String.format(
              Locale.ROOT,
              "%d-W%02d",
              start.get(IsoFields.WEEK_BASED_YEAR),
              start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
      case MONTH -> start.toString().substring(0, 7);
    };
  }

  /** The query parameter's value. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
