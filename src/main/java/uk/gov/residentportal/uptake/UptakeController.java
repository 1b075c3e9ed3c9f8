package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import uk.gov.residentportal.web.CsvWriter;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.ProblemException;

/**
 * The uptake report for managers: accounts over time, by area and as a share of the population,
 * with the GDS KPIs, as JSON or as CSV for spreadsheets.
 */
@Controller("/api/v1/reports")
@Secured({"MANAGER", "ADMIN"})
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Reports")
@SecurityRequirement(name = "bearer")
class UptakeController {
  /** Longer than any valid value of any parameter; a longer one is refused before parsing. */
  private static final int MAX_PARAMETER_LENGTH = 32;

  private static final List<String> PARAMETERS = List.of("from", "to", "interval", "area", "table");

  private static final String FROM =
      "The first day (yyyy-mm-dd, UTC, from 2000-01-01, not after `to` or today); default: the"
          + " start of the twelfth period back from `to`";
  private static final String TO =
      "The last day and the day the figures are as of (yyyy-mm-dd, UTC); default today, and a"
          + " later day is today";
  private static final String INTERVAL =
      "The series' periods: `day`, `week` (ISO weeks, Monday to Sunday, named like 2020-W53) or"
          + " `month` (the default); at most 3700 periods";
  private static final String AREA =
      "An area code (such as a ward's E05000001): the report for that area alone; default the"
          + " whole council";

  private final UptakeReports reports;

  UptakeController(UptakeReports reports) {
    this.reports = reports;
  }

  @Get("/uptake")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Uptake report",
      description =
          "Accounts as of `to` (total, email-verified, linked, erased; active in the 7 and 30"
              + " days to it for the whole council), new and total accounts per day, ISO week or"
              + " month from `from` to `to`, accounts by area with their share of the area's"
              + " population, and the GDS KPIs over the range. Exact counts, days in UTC; a report"
              + " as of a past day never changes (erased accounts still count as having existed"
              + " then). A `to` after today gives the report as of today (`asOf`).")
  @ApiResponse(
      responseCode = "200",
      description = "The report",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = UptakeReport.class)))
  @ApiResponse(
      responseCode = "400",
      description =
          "A parameter that is malformed, repeated or out of range (a date that is not a real"
              + " yyyy-mm-dd, from after to or after today, from before 2000-01-01, more than"
              + " 3700 periods, an unknown interval or area); the problem names it",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "401",
      description = "No valid access token",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "403",
      description = "Not a manager or administrator",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  UptakeReport uptake(
      HttpRequest<?> request,
      @Parameter(description = FROM) @Nullable @QueryValue String from,
      @Parameter(description = TO) @Nullable @QueryValue String to,
      @Parameter(
              description = INTERVAL,
              schema = @Schema(allowableValues = {"day", "week", "month"}))
          @Nullable
          @QueryValue
          String interval,
      @Parameter(description = AREA) @Nullable @QueryValue String area) {
    checkParameters(request);
    return report(from, to, interval, area);
  }

  @Get("/uptake.csv")
  @Produces(CsvWriter.CONTENT_TYPE)
  @Operation(
      summary = "Uptake report as CSV",
      description =
          "One table of the uptake report as an RFC 4180 CSV file (UTF-8, CRLF line ends, a"
              + " header row) to open in a spreadsheet, sent as an attachment named"
              + " `uptake-<from>-to-<to>.csv` (`uptake-areas-<from>-to-<to>.csv` for the areas)."
              + " `table=series` (the default): `period,start,end,new_accounts,total_accounts`,"
              + " one row per period. `table=areas`: `area,name,accounts,population,"
              + "population_source,population_year,uptake_percent` as of `to`, one row per area"
              + " (then accounts whose postcode is in no area, then `*`, the whole council, when no"
              + " area is chosen). Unknown figures are empty cells. Text cells beginning with ="
              + " + - @, a tab or a carriage return start with a ' so spreadsheets do not read"
              + " them as formulas; numbers are plain decimals.")
  @ApiResponse(
      responseCode = "200",
      description = "The CSV file",
      content = @Content(mediaType = CsvWriter.CONTENT_TYPE, schema = @Schema(type = "string")))
  @ApiResponse(
      responseCode = "400",
      description =
          "A parameter that is malformed, repeated or out of range, as for the JSON report, or"
              + " an unknown table; the problem names it",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "401",
      description = "No valid access token",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "403",
      description = "Not a manager or administrator",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  HttpResponse<byte[]> uptakeCsv(
      HttpRequest<?> request,
      @Parameter(description = FROM) @Nullable @QueryValue String from,
      @Parameter(description = TO) @Nullable @QueryValue String to,
      @Parameter(
              description = INTERVAL,
              schema = @Schema(allowableValues = {"day", "week", "month"}))
          @Nullable
          @QueryValue
          String interval,
      @Parameter(description = AREA) @Nullable @QueryValue String area,
      @Parameter(
              description = "The table: `series` (default) or `areas`",
              schema = @Schema(allowableValues = {"series", "areas"}))
          @Nullable
          @QueryValue
          String table) {
    checkParameters(request);
    boolean areas = areasTable(table);
    UptakeReport report = report(from, to, interval, area);
    String name =
        (areas ? "uptake-areas-" : "uptake-") + report.from() + "-to-" + report.to() + ".csv";
    byte[] body = areas ? UptakeCsv.areas(report) : UptakeCsv.series(report);
    return HttpResponse.ok(body)
        .contentType(CsvWriter.CONTENT_TYPE)
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
        .header("X-Content-Type-Options", "nosniff")
        .header(HttpHeaders.CACHE_CONTROL, "no-store");
  }

  private UptakeReport report(
      @Nullable String from,
      @Nullable String to,
      @Nullable String interval,
      @Nullable String area) {
    return reports.report(UptakeQuery.parse(from, to, interval, area, reports.today()));
  }

  private static boolean areasTable(@Nullable String table) {
    if (table == null || table.isBlank()) {
      return false;
    }
    return switch (table.trim().toLowerCase(Locale.ROOT)) {
      case "series" -> false;
      case "areas" -> true;
      default -> throw new ProblemException.InvalidField("table", "must be series or areas");
    };
  }

  /**
   * Each report parameter at most once and of a sane length: a repeated one is ambiguous (which
   * would count?), so it is refused rather than one of its values taken.
   */
  static void checkParameters(HttpRequest<?> request) {
    for (String name : PARAMETERS) {
      List<String> values = request.getParameters().getAll(name);
      if (values.size() > 1) {
        throw new ProblemException.InvalidField(name, "must be given once");
      }
      if (!values.isEmpty() && values.get(0).length() > MAX_PARAMETER_LENGTH) {
        throw new ProblemException.InvalidField(
            name, "must be at most " + MAX_PARAMETER_LENGTH + " characters");
      }
    }
  }
}
