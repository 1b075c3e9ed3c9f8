package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.uri.UriBuilder;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import uk.gov.residentportal.web.Problem;

/**
 * What the uptake page's template shows, worded and formatted for people: numbers with thousands
 * separators (en-GB), percentages to at most two decimals, dates as GOV.UK writes them ("28
 * February 2019"), "Unknown" where the report has no figure, and the form's errors as GOV.UK error
 * messages built from the report query's field errors.
 */
final class UptakePageModel {
  static final String VIEW = "uptake/report";
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);
  private static final String UNKNOWN = "Unknown";
  private static final Map<String, String> LABELS =
      Map.of("from", "Start date", "to", "End date", "interval", "Interval", "area", "Area");

  private UptakePageModel() {}

  /** The page with the report. */
  static Map<String, Object> report(
      UptakeQuery query, UptakeReport report, Map<String, String> areaNames) {
    Map<String, Object> model = form(fields(query), Map.of(), List.of(), areaNames);
    String interval = query.interval().value();
    String noun =
        switch (query.interval()) {
          case DAY -> "day";
          case WEEK -> "week";
          case MONTH -> "month";
        };
    model.put("scope", report.area() == null ? "Whole council" : report.areaName());
    model.put("asOf", date(report.asOf()));
    model.put("from", date(report.from()));
    model.put("to", date(report.to()));
    model.put("noun", noun);
    model.put("clamped", query.toClamped());
    model.put("figures", figures(report));
    model.put(
        "totalsChart",
        UptakeCharts.totals(
            "chart-totals", "Total accounts at the end of each " + noun, report.series()));
    model.put(
        "newChart",
        UptakeCharts.newAccounts("chart-new", "New accounts in each " + noun, report.series()));
    List<Map<String, String>> rows = new ArrayList<>();
    for (UptakeReport.Period p : report.series()) {
      rows.add(
          Map.of(
              "period", p.period(),
              "start", date(p.start()),
              "end", date(p.end()),
              "newAccounts", count(p.newAccounts()),
              "totalAccounts", count(p.totalAccounts())));
    }
    model.put("rows", rows);
    List<Map<String, String>> areas = new ArrayList<>();
    for (UptakeReport.AreaUptake a : report.byArea()) {
      Map<String, String> row = new HashMap<>();
      row.put("name", a.name());
      row.put("code", a.area() == null ? "" : a.area());
      row.put("accounts", count(a.accounts()));
      row.put("population", a.population() == null ? UNKNOWN : count(a.population()));
      row.put("source", source(a));
      row.put("uptake", percent(a.uptakePercent()));
      areas.add(row);
    }
    model.put("areaRows", areas);
    UriBuilder csv =
        UriBuilder.of("/reports/uptake.csv")
            .queryParam("from", report.from().toString())
            .queryParam("to", report.to().toString())
            .queryParam("interval", interval);
    if (report.area() != null) {
      csv.queryParam("area", report.area());
    }
    model.put("csvHref", csv.toString());
    return model;
  }

  /** The page with the form only, its fields as typed and a message on each wrong one. */
  static Map<String, Object> errors(
      Map<String, String> typed, List<Problem.FieldError> errors, Map<String, String> areaNames) {
    Map<String, String> messages = new LinkedHashMap<>();
    // In the order of the form, as the error summary lists them.
    for (String field : List.of("from", "to", "interval", "area")) {
      for (Problem.FieldError e : errors) {
        if (field.equals(e.field())) {
          messages.putIfAbsent(field, message(field, e.message()));
        }
      }
    }
    List<Map<String, String>> summary = new ArrayList<>();
    messages.forEach((field, message) -> summary.add(Map.of("field", field, "message", message)));
    return form(typed, messages, summary, areaNames);
  }

  /** The query's values as the form shows them. */
  static Map<String, String> fields(UptakeQuery query) {
    Map<String, String> fields = new HashMap<>();
    fields.put("from", query.from().toString());
    fields.put("to", query.to().toString());
    fields.put("interval", query.interval().value());
    fields.put("area", query.area() == null ? "" : query.area());
    return fields;
  }

  private static Map<String, Object> form(
      Map<String, String> fields,
      Map<String, String> errorFields,
      List<Map<String, String>> errors,
      Map<String, String> areaNames) {
    Map<String, Object> model = new HashMap<>();
    model.put("fields", fields);
    model.put("errorFields", errorFields);
    model.put("errors", errors);
    String interval = fields.getOrDefault("interval", "");
    List<Map<String, Object>> intervals = new ArrayList<>();
    for (String[] option :
        new String[][] {{"day", "Day"}, {"week", "Week (Monday to Sunday)"}, {"month", "Month"}}) {
      intervals.add(
          Map.of(
              "value",
              option[0],
              "label",
              option[1],
              "selected",
              option[0].equalsIgnoreCase(interval.trim())));
    }
    model.put("intervals", intervals);
    String area = fields.getOrDefault("area", "").trim();
    List<Map<String, Object>> areas = new ArrayList<>();
    areas.add(Map.of("value", "", "label", "Whole council", "selected", area.isEmpty()));
    areaNames.forEach(
        (code, name) ->
            areas.add(
                Map.of(
                    "value",
                    code,
                    "label",
                    name + " (" + code + ")",
                    "selected",
                    code.equals(area))));
    // An area with accounts but not loaded (or a wrong one the form echoes) is still shown chosen.
    if (!area.isEmpty() && !areaNames.containsKey(area)) {
      areas.add(Map.of("value", area, "label", area, "selected", true));
    }
    model.put("areas", areas);
    return model;
  }

  private static List<Map<String, String>> figures(UptakeReport r) {
    List<Map<String, String>> figures = new ArrayList<>();
    String forArea = "Counted for the whole council only";
    figures.add(figure("totalAccounts", "Total accounts", count(r.totalAccounts()), null));
    figures.add(
        figure(
            "verifiedAccounts",
            "Email address verified",
            count(r.verifiedAccounts()),
            share(r.verifiedAccounts(), r.totalAccounts())));
    figures.add(
        figure(
            "linkedAccounts",
            "Linked to a council record",
            count(r.linkedAccounts()),
            share(r.linkedAccounts(), r.totalAccounts())));
    figures.add(
        figure(
            "deletedAccounts", "Deleted accounts", count(r.deletedAccounts()), "Since the start"));
    figures.add(
        figure(
            "activeAccounts7d",
            "Active in the last 7 days",
            r.activeAccounts7d() == null ? UNKNOWN : count(r.activeAccounts7d()),
            r.activeAccounts7d() == null ? forArea : "Signed in at least once"));
    figures.add(
        figure(
            "activeAccounts30d",
            "Active in the last 30 days",
            r.activeAccounts30d() == null ? UNKNOWN : count(r.activeAccounts30d()),
            r.activeAccounts30d() == null ? forArea : "Signed in at least once"));
    figures.add(
        figure(
            "uptakePercent",
            "Uptake",
            percent(r.uptakePercent()),
            r.population() == null
                ? "No population loaded"
                : "Of a population of " + count(r.population())));
    UptakeReport.Kpis k = r.kpis();
    figures.add(
        figure(
            "completionRatePercent",
            "Completion rate",
            percent(k.completionRatePercent()),
            count(k.signUpsCompleted())
                + " verified of "
                + count(k.signUpsStarted())
                + " sign-ups in the range"));
    figures.add(
        figure(
            "digitalTakeUpPercent",
            "Digital take-up",
            percent(k.digitalTakeUpPercent()),
            count(k.onlineTransactions())
                + " online of "
                + count(k.allTransactions())
                + " transactions reported in the range"));
    return figures;
  }

  private static Map<String, String> figure(
      String key, String label, String value, @Nullable String hint) {
    Map<String, String> figure = new HashMap<>();
    figure.put("key", key);
    figure.put("label", label);
    figure.put("value", value);
    figure.put("hint", hint);
    return figure;
  }

  private static String share(long part, long whole) {
    Double percent = UptakeReports.percent(part, whole);
    return percent == null ? null : percent(percent) + " of all accounts";
  }

  private static String source(UptakeReport.AreaUptake a) {
    if (a.populationSource() == null) {
      return "";
    }
    return a.populationYear() == null
        ? a.populationSource()
        : a.populationSource() + ", " + a.populationYear();
  }

  /** A GOV.UK error message for a field from the query's rule message. */
  static String message(String field, String problem) {
    String label = LABELS.getOrDefault(field, field);
    return switch (problem) {
      case "must be a date like 2019-02-28" -> label + " must be a real date, like 2019-02-28";
      case "must not be after to" -> "Start date must be the same as or before the end date";
      case "must not be after today (UTC)" -> label + " must be today or in the past";
      case "is not a known area" -> "Select an area from the list";
      default -> label + " " + problem;
    };
  }

  static String count(long value) {
    return UptakeCharts.count(value);
  }

  /** 12.5 → "12.5%", 1234.56 → "1,234.56%", null → "Unknown". */
  static String percent(@Nullable Double value) {
    if (value == null) {
      return UNKNOWN;
    }
    return new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.UK)).format(value)
        + "%";
  }

  static String date(LocalDate day) {
    return day.format(DATE);
  }
}
