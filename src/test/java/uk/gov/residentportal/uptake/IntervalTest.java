package uk.gov.residentportal.uptake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The periods of a series: UTC days, ISO weeks and calendar months, and their names. */
class IntervalTest {
  @ParameterizedTest
  @CsvSource({
    "DAY, 2024-02-29, 2024-02-29, 2024-03-01, 2024-02-29",
    "WEEK, 2021-01-01, 2020-12-28, 2021-01-04, 2020-W53",
    "WEEK, 2020-12-28, 2020-12-28, 2021-01-04, 2020-W53",
    "WEEK, 2021-01-03, 2020-12-28, 2021-01-04, 2020-W53",
    "WEEK, 2021-01-04, 2021-01-04, 2021-01-11, 2021-W01",
    "WEEK, 2019-12-31, 2019-12-30, 2020-01-06, 2020-W01",
    "WEEK, 2019-02-28, 2019-02-25, 2019-03-04, 2019-W09",
    "MONTH, 2024-02-29, 2024-02-01, 2024-03-01, 2024-02",
    "MONTH, 2023-12-31, 2023-12-01, 2024-01-01, 2023-12",
    "MONTH, 2024-01-31, 2024-01-01, 2024-02-01, 2024-01"
  })
  void startNextAndLabel(
      Interval interval, LocalDate day, LocalDate start, LocalDate next, String label) {
    assertThat(interval.start(day)).isEqualTo(start);
    assertThat(interval.next(start)).isEqualTo(next);
    assertThat(interval.label(start)).isEqualTo(label);
  }

  @Test
  void valueIsTheQueryParameter() {
    assertThat(Interval.DAY.value()).isEqualTo("day");
    assertThat(Interval.WEEK.value()).isEqualTo("week");
    assertThat(Interval.MONTH.value()).isEqualTo("month");
  }
}
