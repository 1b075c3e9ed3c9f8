package uk.gov.residentportal.partner;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import uk.gov.residentportal.partner.OrganisationBodies.Changes;
import uk.gov.residentportal.partner.OrganisationBodies.Page;
import uk.gov.residentportal.partner.OrganisationBodies.Registration;
import uk.gov.residentportal.partner.OrganisationBodies.View;
import uk.gov.residentportal.web.Problem;

/**
 * The partnership's NHS organisations, kept by administrators (role ADMIN). Each partner client
 * belongs to one; deactivating an organisation stops its clients at once.
 */
@Controller("/api/v1/admin/organisations")
@Secured("ADMIN")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Administration")
@SecurityRequirement(name = "bearer")
@ApiResponse(
    responseCode = "401",
    description = "No valid access token",
    content =
        @Content(
            mediaType = Problem.CONTENT_TYPE,
            schema = @Schema(implementation = Problem.class)))
@ApiResponse(
    responseCode = "403",
    description = "Not an administrator",
    content =
        @Content(
            mediaType = Problem.CONTENT_TYPE,
            schema = @Schema(implementation = Problem.class)))
class AdminOrganisationsController {
  private static final int MAX_LIMIT = 100;

  private final OrganisationRegistry registry;
  private final OrganisationJson bodies;

  AdminOrganisationsController(OrganisationRegistry registry, OrganisationJson bodies) {
    this.registry = registry;
    this.bodies = bodies;
  }

  @Post
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Register an organisation",
      description =
          "odsCode is the NHS ODS code exactly as ODS publishes it: 3 to 10 upper-case letters or"
              + " digits (RX1, RX1RA, A12345, QK1); lower case is refused, never normalised. A"
              + " new organisation is active unless active is false.")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(implementation = Registration.class)))
  @ApiResponse(
      responseCode = "201",
      description = "Registered",
      content =
          @Content(mediaType = "application/json", schema = @Schema(implementation = View.class)))
  @ApiResponse(
      responseCode = "400",
      description = "A field is missing, invalid or of the wrong JSON type (named in errors)",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "409",
      description = "The ODS code is registered already",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  HttpResponse<View> registerOrganisation(Authentication admin, @Body JsonNode body) {
    View organisation = registry.register(bodies.registration(body), admin.getName());
    return HttpResponse.created(
        organisation, URI.create("/api/v1/admin/organisations/" + organisation.odsCode()));
  }

  @Get
  @Operation(summary = "Registered organisations in ODS code order, paged by cursor")
  @ApiResponse(responseCode = "200", description = "A page of organisations")
  @ApiResponse(
      responseCode = "400",
      description = "A bad cursor or limit",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  Page listOrganisations(
      @Nullable
          @QueryValue
          @Pattern(regexp = "[A-Z0-9]{1,10}", message = "is not a cursor from a previous page")
          String cursor,
      @Nullable
          @QueryValue
          @Min(value = 1, message = "must be at least {value}")
          @Max(value = MAX_LIMIT, message = "must be at most {value}")
          Integer limit) {
    return registry.list(cursor, limit == null ? 50 : limit);
  }

  @Get("/{odsCode}")
  @Operation(summary = "One organisation")
  @ApiResponse(responseCode = "200", description = "The organisation")
  @ApiResponse(
      responseCode = "404",
      description = "No such organisation (codes are exact: rx1 is not RX1)",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  View getOrganisation(@PathVariable String odsCode) {
    return registry.get(odsCode);
  }

  @Patch("/{odsCode}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Change an organisation's name, type or active flag",
      description =
          "The fields given replace the registered ones; the ODS code never changes. active false"
              + " stops the organisation's partner clients at once: no new tokens, and tokens"
              + " already issued are refused by the partner API from the next request.")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(implementation = Changes.class)))
  @ApiResponse(
      responseCode = "200",
      description = "The changed organisation",
      content =
          @Content(mediaType = "application/json", schema = @Schema(implementation = View.class)))
  @ApiResponse(
      responseCode = "400",
      description = "A field is invalid or of the wrong JSON type (named in errors)",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No such organisation",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  View updateOrganisation(Authentication admin, @PathVariable String odsCode, @Body JsonNode body) {
    return registry.update(odsCode, bodies.changes(body), admin.getName());
  }
}
