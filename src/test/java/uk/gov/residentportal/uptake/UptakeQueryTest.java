package uk.gov.residentportal.uptake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.web.ProblemException;

/** Reading a report's parameters: defaults, clamping, and a 400 naming each wrong one. */
class UptakeQueryTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 3, 15);

  private static UptakeQuery parse(String from, String to, String interval, String area) {
    return UptakeQuery.parse(from, to, interval, area, TODAY);
  }

  private static void assertInvalid(Runnable parse, String field) {
    assertThatThrownBy(parse::run)
        .isInstanceOfSatisfying(
            ProblemException.InvalidField.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo(field));
  }

  @Test
  void defaultsToTwelveMonthsToToday_forTheWholeCouncil() {
    UptakeQuery query = parse(null, null, null, null);

    assertThat(query.interval()).isEqualTo(Interval.MONTH);
    assertThat(query.to()).isEqualTo(TODAY);
    assertThat(query.from()).isEqualTo(LocalDate.of(2025, 4, 1));
    assertThat(query.area()).isNull();
    assertThat(query.toClamped()).isFalse();
    assertThat(UptakeQuery.periods(query.from(), query.to(), query.interval())).isEqualTo(12);
  }

  @ParameterizedTest
  @CsvSource({"day, 2026-03-04", "week, 2025-12-22", "month, 2025-04-01"})
  void defaultFromIsTwelvePeriodsBack(String interval, LocalDate from) {
    UptakeQuery query = parse("", "", interval, "");

    assertThat(query.from()).isEqualTo(from);
    assertThat(UptakeQuery.periods(query.from(), query.to(), query.interval())).isEqualTo(12);
  }

  @Test
  void defaultFromIsNeverBeforeTheEarliestDay() {
    assertThat(parse(null, "2000-03-10", "month", null).from()).isEqualTo(UptakeQuery.EARLIEST);
  }

  @Test
  void aToAfterTodayIsToday() {
    UptakeQuery query = parse("2026-01-01", "2999-12-31", "DAY", null);

    assertThat(query.to()).isEqualTo(TODAY);
    assertThat(query.toClamped()).isTrue();
    assertThat(query.interval()).isEqualTo(Interval.DAY);
  }

  @Test
  void oneDayIsARange() {
    UptakeQuery query = parse("2026-03-15", "2026-03-15", "day", " E05000001 ");

    assertThat(UptakeQuery.periods(query.from(), query.to(), Interval.DAY)).isEqualTo(1);
    assertThat(query.area()).isEqualTo("E05000001");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"2019-02-30", "2019-2-1", "x", "2019-02-28T00:00", "20190228", "2019/02/28"})
  void refusesBadDates(String date) {
    assertInvalid(() -> parse(date, "2020-01-01", null, null), "from");
    assertInvalid(() -> parse("2019-01-01", date, null, null), "to");
  }

  @Test
  void refusesAReversedRange_namingFrom() {
    assertInvalid(() -> parse("2020-02-02", "2020-02-01", "day", null), "from");
  }

  @Test
  void refusesAFromAfterTodayOrBeforeTheEarliestDay() {
    assertInvalid(() -> parse("2026-03-16", "2999-01-01", "day", null), "from");
    assertInvalid(() -> parse("1999-12-31", "2000-01-31", "day", null), "from");
    assertThat(parse("2000-01-01", "2000-01-31", "day", null).from())
        .isEqualTo(UptakeQuery.EARLIEST);
  }

  @Test
  void refusesAToBeforeTheEarliestDay_evenWithoutFrom() {
    assertInvalid(() -> parse(null, "1999-12-31", "month", null), "to");
    assertInvalid(() -> parse("1999-12-01", "1999-12-31", "day", null), "to");
  }

  @Test
  void refusesMoreThanTheMostPeriods_namingInterval() {
    LocalDate from = LocalDate.of(2010, 1, 1);
    LocalDate last = from.plusDays(UptakeQuery.MAX_PERIODS - 1);

    assertThat(parse(from.toString(), last.toString(), "day", null).to()).isEqualTo(last);
    assertInvalid(
        () -> parse(from.toString(), last.plusDays(1).toString(), "day", null), "interval");
    assertThat(parse("2000-01-01", "2026-03-15", "week", null).interval()).isEqualTo(Interval.WEEK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"year", "days", "1", "d"})
  void refusesAnUnknownInterval(String interval) {
    assertInvalid(() -> parse(null, null, interval, null), "interval");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-E05", "E05 000", "E05'--", "ABCDEFGHIJKLMNOPQ", "=cmd", "*", "é"})
  void refusesAMalformedArea(String area) {
    assertInvalid(() -> parse(null, null, null, area), "area");
  }
}
