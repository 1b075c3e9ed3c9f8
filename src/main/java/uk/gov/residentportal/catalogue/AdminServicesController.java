package uk.gov.residentportal.catalogue;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.catalogue.CatalogueBodies.Page;
import uk.gov.residentportal.catalogue.CatalogueBodies.Registration;
import uk.gov.residentportal.catalogue.CatalogueBodies.View;
import uk.gov.residentportal.web.Problem;

/** The council services catalogue, kept by administrators (role ADMIN). */
@Controller("/api/v1/admin/services")
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
class AdminServicesController {
  private static final int MAX_LIMIT = 100;

  private final ServiceCatalogue catalogue;

  AdminServicesController(ServiceCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  @Post
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Add a service to the catalogue",
      description = "clientId, when given, must be a registered client.")
  @ApiResponse(
      responseCode = "201",
      description = "Added",
      content =
          @Content(mediaType = "application/json", schema = @Schema(implementation = View.class)))
  @ApiResponse(
      responseCode = "400",
      description = "A field is invalid",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "409",
      description = "The department already has a service with this name",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  HttpResponse<View> register(Authentication admin, @Valid @Body Registration body) {
    View service = catalogue.register(body, Actor.account(admin.getName()));
    return HttpResponse.created(service, URI.create("/api/v1/admin/services/" + service.id()));
  }

  @Get
  @Operation(summary = "The catalogue in name order, paged by an opaque cursor")
  @ApiResponse(responseCode = "200", description = "A page of services")
  @ApiResponse(
      responseCode = "400",
      description = "A bad cursor or limit",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  Page list(
      @Nullable @QueryValue @Size(max = 600, message = "is not a cursor from a previous page")
          String cursor,
      @Nullable
          @QueryValue
          @Min(value = 1, message = "must be at least {value}")
          @Max(value = MAX_LIMIT, message = "must be at most {value}")
          Integer limit) {
    return catalogue.list(cursor, limit == null ? 50 : limit);
  }

  @Get("/{id}")
  @Operation(summary = "One service")
  @ApiResponse(responseCode = "200", description = "The service")
  @ApiResponse(
      responseCode = "404",
      description = "No such service",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  View get(@PathVariable String id) {
    return catalogue.get(id);
  }

  @Put("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Replace a service's entry",
      description = "Every field is replaced; leave clientId out to unlink the client.")
  @ApiResponse(responseCode = "200", description = "The changed service")
  @ApiResponse(
      responseCode = "400",
      description = "A field is invalid",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No such service",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "409",
      description = "The department already has a service with this name",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  View replace(Authentication admin, @PathVariable String id, @Valid @Body Registration body) {
    return catalogue.replace(id, body, Actor.account(admin.getName()));
  }

  @Delete("/{id}")
  @Status(HttpStatus.NO_CONTENT)
  @Operation(summary = "Remove a service from the catalogue")
  @ApiResponse(responseCode = "204", description = "Removed")
  @ApiResponse(
      responseCode = "404",
      description = "No such service",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  void remove(Authentication admin, @PathVariable String id) {
    catalogue.remove(id, Actor.account(admin.getName()));
  }
}
