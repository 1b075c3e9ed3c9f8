package uk.gov.residentportal.catalogue;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
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
import uk.gov.residentportal.web.Problem;

/** SSO coverage for managers: online services that use our sign-in, overall and by department. */
@Controller("/api/v1/reports/sso-coverage")
@Secured({"MANAGER", "ADMIN"})
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Reports")
@SecurityRequirement(name = "bearer")
class SsoCoverageController {
  private final ServiceCatalogue catalogue;

  SsoCoverageController(ServiceCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  @Get
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
}
