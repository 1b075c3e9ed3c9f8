package uk.gov.residentportal.uptake;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The report's charts as inline SVG, drawn here so the page needs no script, no CDN and no web
 * font: a line of the total accounts at the end of each period and bars of the new accounts in each
 * period. Each is an image with a name and a description ({@code role="img"}, {@code
 * aria-labelledby} its {@code <title>} and {@code <desc>}); the page's table beside it is the
 * accessible alternative with every value. Colours and fonts come from presentation attributes and
 * classes in our own stylesheet (the CSP allows no inline style). Every text is escaped.
 */
final class UptakeCharts {
  static final int WIDTH = 960;
  static final int HEIGHT = 360;
  private static final int LEFT = 90;
  private static final int RIGHT = 24;
  private static final int TOP = 20;
  private static final int BOTTOM = 56;
  private static final int MAX_X_LABELS = 6;
  // GOV.UK Design System colours: blue for data, mid-grey for grid lines, black for text.
  private static final String BLUE = "#1d70b8";
  private static final String GRID = "#b1b4b6";
  private static final String TEXT = "#0b0c0c";

  private UptakeCharts() {}

  /** The line chart of total accounts at the end of each period. */
  static String totals(String id, String title, List<UptakeReport.Period> series) {
    return chart(id, title, series, UptakeReport.Period::totalAccounts, false);
  }

  /** The bar chart of new accounts in each period. */
  static String newAccounts(String id, String title, List<UptakeReport.Period> series) {
    return chart(id, title, series, UptakeReport.Period::newAccounts, true);
  }

  private static String chart(
      String id,
      String title,
      List<UptakeReport.Period> series,
      ToLongFunction<UptakeReport.Period> value,
      boolean bars) {
    long max = 0;
    for (UptakeReport.Period p : series) {
      max = Math.max(max, value.applyAsLong(p));
    }
    List<Long> ticks = ticks(max);
    long top = ticks.get(ticks.size() - 1);
    double plotWidth = WIDTH - LEFT - RIGHT;
    double plotHeight = HEIGHT - TOP - BOTTOM;
    int n = series.size();
    double slot = n == 0 ? plotWidth : plotWidth / n;

    StringBuilder svg = new StringBuilder(4096 + n * 96);
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"portal-chart\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" role=\"img\" focusable=\"false\" aria-labelledby=\"")
        .append(escape(id))
        .append("-title ")
        .append(escape(id))
        .append("-desc\">");
    svg.append("<title id=\"").append(escape(id)).append("-title\">");
    svg.append(escape(title)).append("</title>");
    svg.append("<desc id=\"").append(escape(id)).append("-desc\">");
    svg.append(escape(describe(series, value, bars))).append("</desc>");

    // Horizontal grid lines and the value axis' labels.
    svg.append("<g class=\"portal-chart__axis\" fill=\"").append(TEXT).append("\">");
    for (long tick : ticks) {
      double y = TOP + plotHeight - (top == 0 ? 0 : plotHeight * tick / top);
      svg.append("<line x1=\"")
          .append(LEFT)
          .append("\" x2=\"")
          .append(WIDTH - RIGHT)
          .append("\" y1=\"")
          .append(fmt(y))
          .append("\" y2=\"")
          .append(fmt(y))
          .append("\" stroke=\"")
          .append(tick == 0 ? TEXT : GRID)
          .append("\" stroke-width=\"1\"/>");
      svg.append("<text x=\"")
          .append(LEFT - 10)
          .append("\" y=\"")
          .append(fmt(y + 6))
          .append("\" text-anchor=\"end\">")
          .append(escape(count(tick)))
          .append("</text>");
    }
    // The period axis' labels: a few, evenly spaced, the first always.
    int every = Math.max(1, (n + MAX_X_LABELS - 1) / MAX_X_LABELS);
    for (int i = 0; i < n; i += every) {
      double x = LEFT + slot * i + slot / 2;
      svg.append("<line x1=\"")
          .append(fmt(x))
          .append("\" x2=\"")
          .append(fmt(x))
          .append("\" y1=\"")
          .append(fmt(TOP + plotHeight))
          .append("\" y2=\"")
          .append(fmt(TOP + plotHeight + 6))
          .append("\" stroke=\"")
          .append(TEXT)
          .append("\" stroke-width=\"1\"/>");
      svg.append("<text x=\"")
          .append(fmt(x))
          .append("\" y=\"")
          .append(fmt(TOP + plotHeight + 28))
          .append("\" text-anchor=\"middle\">")
          .append(escape(series.get(i).period()))
          .append("</text>");
    }
    svg.append("</g>");

    if (bars) {
      double barWidth = Math.max(1, slot * 0.7);
      svg.append("<g class=\"portal-chart__bars\" fill=\"").append(BLUE).append("\">");
      for (int i = 0; i < n; i++) {
        long v = value.applyAsLong(series.get(i));
        double h = top == 0 ? 0 : plotHeight * v / top;
        svg.append("<rect x=\"")
            .append(fmt(LEFT + slot * i + (slot - barWidth) / 2))
            .append("\" y=\"")
            .append(fmt(TOP + plotHeight - h))
            .append("\" width=\"")
            .append(fmt(barWidth))
            .append("\" height=\"")
            .append(fmt(h))
            .append("\"/>");
      }
      svg.append("</g>");
    } else if (n > 0) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < n; i++) {
        long v = value.applyAsLong(series.get(i));
        double y = TOP + plotHeight - (top == 0 ? 0 : plotHeight * v / top);
        points
            .append(i == 0 ? "" : " ")
            .append(fmt(LEFT + slot * i + slot / 2))
            .append(',')
            .append(fmt(y));
      }
      svg.append("<polyline class=\"portal-chart__line\" fill=\"none\" stroke=\"")
          .append(BLUE)
          .append("\" stroke-width=\"3\" stroke-linejoin=\"round\" points=\"")
          .append(points)
          .append("\"/>");
      if (n <= 60) {
        svg.append("<g fill=\"").append(BLUE).append("\">");
        for (String point : points.toString().split(" ")) {
          String[] xy = point.split(",");
          svg.append("<circle cx=\"")
              .append(xy[0])
              .append("\" cy=\"")
              .append(xy[1])
              .append("\" r=\"4\"/>");
        }
        svg.append("</g>");
      }
    }
    svg.append("</svg>");
    return svg.toString();
  }

  /** One sentence saying what the chart shows; the table gives every value. */
  static String describe(
      List<UptakeReport.Period> series, ToLongFunction<UptakeReport.Period> value, boolean bars) {
    if (series.isEmpty()) {
      return "No periods to show.";
    }
    UptakeReport.Period first = series.get(0);
    UptakeReport.Period last = series.get(series.size() - 1);
    if (bars) {
      long total = 0;
      UptakeReport.Period busiest = first;
      for (UptakeReport.Period p : series) {
        total += value.applyAsLong(p);
        if (value.applyAsLong(p) > value.applyAsLong(busiest)) {
          busiest = p;
        }
      }
      return count(total)
          + " new accounts in "
          + series.size()
          + (series.size() == 1 ? " period" : " periods")
          + " from "
          + first.period()
          + " to "
          + last.period()
          + "; the most, "
          + count(value.applyAsLong(busiest))
          + ", in "
          + busiest.period()
          + ". The table below gives every value.";
    }
    return count(value.applyAsLong(first))
        + " accounts at the end of "
        + first.period()
        + " and "
        + count(value.applyAsLong(last))
        + " at the end of "
        + last.period()
        + ". The table below gives every value.";
  }

  /**
   * The value axis' ticks: 0 up to the first multiple of a round step (1, 2 or 5 times a power of
   * ten) at or above {@code max}, four or five steps in all; just 0 and 1 when everything is 0.
   */
  static List<Long> ticks(long max) {
    long step = 1;
    if (max > 0) {
      double raw = max / 4.0;
      long magnitude = 1;
      while (magnitude * 10 <= raw) {
        magnitude *= 10;
      }
      step = magnitude;
      for (long multiple : new long[] {1, 2, 5, 10}) {
        if (magnitude * multiple >= raw) {
          step = magnitude * multiple;
          break;
        }
      }
    }
    List<Long> ticks = new ArrayList<>();
    long top = max == 0 ? 1 : ((max + step - 1) / step) * step;
    for (long t = 0; t <= top; t += step) {
      ticks.add(t);
    }
    return ticks;
  }

  static String count(long value) {
    return NumberFormat.getIntegerInstance(Locale.UK).format(value);
  }

  /** XML text and attribute escaping: {@code & < > " '}. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
