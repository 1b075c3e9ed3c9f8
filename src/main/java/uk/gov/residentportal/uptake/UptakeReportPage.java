package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.account.Role;
import uk.gov.residentportal.auth.SignedInBrowser;
import uk.gov.residentportal.web.ProblemException;

/**
 * The uptake report as a page for people ({@code GET /reports/uptake}) and its series as a CSV
 * download in the same session ({@code GET /reports/uptake.csv}). A browser, not a bearer token:
 * the portal's own browser session says who is signed in. Without one, the browser is sent to sign
 * in and comes back here; an account without role MANAGER or ADMIN gets a 403 page. The figures are
 * those of {@code GET /api/v1/reports/uptake} with the same parameters.
 */
@Controller("/reports")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
class UptakeReportPage {
  /** The most periods the page draws (about a year by day); the CSV and the API go further. */
  static final int PAGE_PERIODS = 400;

  private final UptakeReports reports;
  private final SignedInBrowser browser;
  private final AccountService accounts;

  UptakeReportPage(UptakeReports reports, SignedInBrowser browser, AccountService accounts) {
    this.reports = reports;
    this.browser = browser;
    this.accounts = accounts;
  }

  @Get(uri = "/uptake", produces = MediaType.TEXT_HTML)
  HttpResponse<?> page(
      HttpRequest<?> request,
      @Nullable @QueryValue String from,
      @Nullable @QueryValue String to,
      @Nullable @QueryValue String interval,
      @Nullable @QueryValue String area) {
    Optional<MutableHttpResponse<?>> refused = refusal(request);
    if (refused.isPresent()) {
      return refused.get();
    }
    try {
      UptakeController.checkParameters(request);
      UptakeQuery query = UptakeQuery.parse(from, to, interval, area, reports.today());
      if (UptakeQuery.periods(query.from(), query.to(), query.interval()) > PAGE_PERIODS) {
        // Two charts and two tables of thousands of periods help nobody: the CSV has them all.
        throw new ProblemException.InvalidField(
            "interval",
            "gives more than "
                + PAGE_PERIODS
                + " periods for the page: choose a longer interval, a shorter range, or the CSV");
      }
      UptakeReport report = reports.report(query);
      return HttpResponse.ok(
          new ModelAndView<>(
              UptakePageModel.VIEW, UptakePageModel.report(query, report, reports.areaNames())));
    } catch (ProblemException.InvalidField e) {
      return withErrors(from, to, interval, area, e);
    }
  }

  @Get(uri = "/uptake.csv", produces = "text/csv")
  HttpResponse<?> csv(
      HttpRequest<?> request,
      @Nullable @QueryValue String from,
      @Nullable @QueryValue String to,
      @Nullable @QueryValue String interval,
      @Nullable @QueryValue String area) {
    Optional<MutableHttpResponse<?>> refused = refusal(request);
    if (refused.isPresent()) {
      return refused.get();
    }
    UptakeQuery query;
    UptakeReport report;
    try {
      UptakeController.checkParameters(request);
      query = UptakeQuery.parse(from, to, interval, area, reports.today());
      report = reports.report(query);
    } catch (ProblemException.InvalidField e) {
      return withErrors(from, to, interval, area, e);
    }
    String name =
        "uptake-"
            + query.from()
            + "-to-"
            + query.to()
            + "-by-"
            + query.interval().value()
            + (query.area() == null ? "" : "-" + query.area())
            + ".csv";
    return HttpResponse.ok(UptakeCsv.series(report))
        .contentType("text/csv; charset=utf-8")
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
        .header(HttpHeaders.CACHE_CONTROL, "no-store");
  }

  /**
   * Empty when a manager (or administrator) is signed in in this browser; else the way there: a
   * sign-in that comes back to this URL, or a 403 page for any other account.
   */
  private Optional<MutableHttpResponse<?>> refusal(HttpRequest<?> request) {
    Optional<String> accountId = browser.accountId(request);
    if (accountId.isEmpty()) {
      return Optional.of(browser.signIn(request));
    }
    boolean staff =
        accounts
            .signedIn(accountId.get())
            .map(a -> a.roles().contains(Role.MANAGER) || a.roles().contains(Role.ADMIN))
            .orElse(false);
    if (staff) {
      return Optional.empty();
    }
    return Optional.of(
        HttpResponse.status(HttpStatus.FORBIDDEN)
            .contentType(MediaType.TEXT_HTML_TYPE)
            .body(new ModelAndView<>("uptake/forbidden", Map.of())));
  }

  private MutableHttpResponse<?> withErrors(
      @Nullable String from,
      @Nullable String to,
      @Nullable String interval,
      @Nullable String area,
      ProblemException.InvalidField e) {
    Map<String, String> typed = new HashMap<>();
    typed.put("from", from == null ? "" : from);
    typed.put("to", to == null ? "" : to);
    typed.put("interval", interval == null ? "" : interval);
    typed.put("area", area == null ? "" : area);
    return HttpResponse.status(HttpStatus.BAD_REQUEST)
        .contentType(MediaType.TEXT_HTML_TYPE)
        .body(
            new ModelAndView<>(
                UptakePageModel.VIEW,
                UptakePageModel.errors(typed, e.errors(), reports.areaNames())));
  }
}
