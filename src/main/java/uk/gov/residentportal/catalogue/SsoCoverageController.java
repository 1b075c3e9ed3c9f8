package uk.gov.residentportal.catalogue;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import uk.gov.residentportal.catalogue.CatalogueBodies.Coverage;
import uk.gov.residentportal.catalogue.CatalogueBodies.DepartmentCoverage;
import uk.gov.residentportal.web.CsvWriter;
import uk.gov.residentportal.web.Problem;

/**
 * SSO coverage for managers: online services that use our sign-in, overall and by department, as
 * JSON or as CSV for spreadsheets.
 */
@Controller("/api/v1/reports")
@Secured({"MANAGER", "ADMIN"})
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Reports")
@SecurityRequirement(name = "bearer")
class SsoCoverageController {
  private final ServiceCatalogue catalogue;

  SsoCoverageController(ServiceCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  @Get("/sso-coverage")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "SSO coverage",
      description =
          "Online services in the catalogue whose client signs residents in through the portal"
              + " (an active public or confidential client), of all online services.")
  @ApiResponse(responseCode = "200", description = "The coverage now")
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
  Coverage coverage() {
    return catalogue.ssoCoverage();
  }

  @Get("/sso-coverage.csv")
  @Produces(CsvWriter.CONTENT_TYPE)
  @Operation(
      summary = "SSO coverage as CSV",
      description =
          "The coverage as an RFC 4180 CSV file (UTF-8, CRLF line ends) sent as the attachment"
              + " `sso-coverage.csv`: `department,services,sso_enabled,percent`, one row per"
              + " department in name order, then the total with an empty department. Text cells"
              + " beginning with = + - @, a tab or a carriage return start with a ' so"
              + " spreadsheets do not read them as formulas.")
  @ApiResponse(
      responseCode = "200",
      description = "The CSV file",
      content = @Content(mediaType = CsvWriter.CONTENT_TYPE, schema = @Schema(type = "string")))
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
  HttpResponse<byte[]> coverageCsv() {
    Coverage coverage = catalogue.ssoCoverage();
    CsvWriter csv = CsvWriter.withHeader("department", "services", "sso_enabled", "percent");
    for (DepartmentCoverage department : coverage.byDepartment()) {
      csv.row(
          department.department(),
          department.services(),
          department.ssoEnabled(),
          department.percent());
    }
    csv.row(null, coverage.services(), coverage.ssoEnabled(), coverage.percent());
    return HttpResponse.ok(csv.toBytes())
        .contentType(CsvWriter.CONTENT_TYPE)
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"sso-coverage.csv\"")
        .header("X-Content-Type-Options", "nosniff")
        .header(HttpHeaders.CACHE_CONTROL, "no-store");
  }
}
