package uk.gov.residentportal.uptake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The report page's SVG charts, CSV cells and formatting. */
class UptakeChartsTest {
  private static UptakeReport.Period period(String label, long added, long total) {
    LocalDate day = LocalDate.of(2019, 1, 1);
    return new UptakeReport.Period(label, day, day, added, total);
  }

  @Nested
  class Charts {
    @Test
    void drawsANamedAndDescribedImageWithALineThroughEveryPeriod() {
      String svg =
          UptakeCharts.totals(
              "t",
              "Total accounts",
              List.of(period("2019-01", 5, 1200), period("2019-02", 7, 64230)));

      assertThat(svg)
          .startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
          .contains("role=\"img\"")
          .contains("aria-labelledby=\"t-title t-desc\"")
          .contains("<title id=\"t-title\">Total accounts</title>")
          .contains(
              "<desc id=\"t-desc\">1,200 accounts at the end of 2019-01 and 64,230 at the end of"
                  + " 2019-02. The table below gives every value.</desc>")
          .contains("<polyline")
          .contains(">80,000</text>")
          .contains(">2019-02</text>")
          .doesNotContain("style=")
          .endsWith("</svg>");
    }

    @Test
    void drawsABarForEachPeriod() {
      String svg =
          UptakeCharts.newAccounts(
              "n", "New", List.of(period("a", 1, 1), period("b", 0, 1), period("c", 3, 4)));

      assertThat(svg.split("<rect ", -1)).hasSize(4);
      assertThat(svg)
          .contains(
              "<desc id=\"n-desc\">4 new accounts in 3 periods from a to c; the most, 3, in c."
                  + " The table below gives every value.</desc>");
    }

    @Test
    void escapesEveryText() {
      String svg =
          UptakeCharts.totals(
              "x\"y", "<b>&'\"", List.of(period("<script>alert(1)</script>", 1, 1)));

      assertThat(svg)
          .doesNotContain("<script>")
          .doesNotContain("<b>")
          .contains("&lt;b&gt;&amp;&#39;&quot;")
          .contains("aria-labelledby=\"x&quot;y-title x&quot;y-desc\"")
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void drawsAnEmptyChartWithoutDividingByZero() {
      String svg = UptakeCharts.newAccounts("e", "Empty", List.of(period("2019-01", 0, 0)));

      assertThat(svg).contains(">0</text>").contains(">1</text>").doesNotContain("NaN");
      assertThat(UptakeCharts.totals("e", "None", List.of())).contains("No periods to show.");
    }

    @Test
    void labelsAFewRoundTicks() {
      assertThat(UptakeCharts.ticks(0)).containsExactly(0L, 1L);
      assertThat(UptakeCharts.ticks(7)).containsExactly(0L, 2L, 4L, 6L, 8L);
      assertThat(UptakeCharts.ticks(100)).containsExactly(0L, 50L, 100L);
      assertThat(UptakeCharts.ticks(64230)).containsExactly(0L, 20000L, 40000L, 60000L, 80000L);
    }

    @Test
    void labelsAtMostSixPeriods() {
      List<UptakeReport.Period> days =
          java.util.stream.IntStream.range(0, 365).mapToObj(i -> period("d" + i, i, i)).toList();

      String svg = UptakeCharts.newAccounts("d", "Days", days);

      assertThat(svg.split("text-anchor=\"middle\"", -1).length - 1).isBetween(5, 6);
    }
  }

  @Nested
  class Formatting {
    @Test
    void writesNumbersAndPercentagesAsPeopleReadThem() {
      assertThat(UptakePageModel.count(64230)).isEqualTo("64,230");
      assertThat(UptakePageModel.percent(12.5)).isEqualTo("12.5%");
      assertThat(UptakePageModel.percent(1234.56)).isEqualTo("1,234.56%");
      assertThat(UptakePageModel.percent(null)).isEqualTo("Unknown");
      assertThat(UptakePageModel.date(LocalDate.of(2019, 2, 28))).isEqualTo("28 February 2019");
    }

    @Test
    void turnsQueryErrorsIntoGovukMessages() {
      assertThat(UptakePageModel.message("to", "must not be after today (UTC)"))
          .isEqualTo("End date must be today or in the past");
      assertThat(UptakePageModel.message("interval", "gives more than 3700 periods"))
          .isEqualTo("Interval gives more than 3700 periods");
    }
  }
}
