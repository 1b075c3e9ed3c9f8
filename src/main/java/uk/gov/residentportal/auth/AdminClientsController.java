package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
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
import java.net.URI;
import java.util.List;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.web.Problem;

/**
 * Client registration by administrators (role ADMIN): public and confidential sign-in clients,
 * back-office systems and NHS partners (the rules per type are in {@link ClientService}).
 */
@Controller("/api/v1/admin/clients")
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
class AdminClientsController {
  private static final int MAX_LIMIT = 100;

  private final ClientService clients;

  AdminClientsController(ClientService clients) {
    this.clients = clients;
  }

  @Post
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Register a client",
      description =
          "clientId is generated when left out. PUBLIC and CONFIDENTIAL clients sign residents in"
              + " (redirectUris, scopes openid profile email account); BACK_OFFICE (sourceSystem,"
              + " scopes records:write links:write transactions:write) and PARTNER (organisationOds, scope"
              + " partner:resident.read) use client_credentials. Every type but PUBLIC needs jwks:"
              + " public RSA (2048 bits or more) or EC P-256/P-384 keys, each with its own kid;"
              + " jwks_uri is not supported.")
  @ApiResponse(
      responseCode = "201",
      description = "Registered",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = ClientView.class)))
  @ApiResponse(
      responseCode = "400",
      description =
          "A field is invalid or does not apply to the type (redirect URIs: https, no wildcard,"
              + " no fragment; jwks: public keys only)",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "409",
      description = "The clientId is taken",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  HttpResponse<ClientView> register(Authentication admin, @Valid @Body ClientRegistration body) {
    ClientView client = clients.register(body, Actor.account(admin.getName()));
    return HttpResponse.created(client, URI.create("/api/v1/admin/clients/" + client.clientId()));
  }

  @Get
  @Operation(summary = "Registered clients, in clientId order, paged by cursor")
  @ApiResponse(responseCode = "200", description = "A page of clients")
  ClientView.Page list(
      @Nullable @QueryValue String cursor,
      @Nullable
          @QueryValue
          @Min(value = 1, message = "must be at least {value}")
          @Max(value = MAX_LIMIT, message = "must be at most {value}")
          Integer limit) {
    int size = limit == null ? 50 : limit;
    List<ClientView> items = clients.list(cursor, size);
    String next = items.size() == size ? items.get(items.size() - 1).clientId() : null;
    return new ClientView.Page(items, next);
  }

  @Get("/{clientId}")
  @Operation(summary = "One client")
  @ApiResponse(responseCode = "200", description = "The client")
  @ApiResponse(
      responseCode = "404",
      description = "No such client",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  ClientView get(@PathVariable String clientId) {
    return clients.get(clientId);
  }

  @Patch("/{clientId}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Change a client's name, redirect URIs, scopes or keys",
      description = "jwks replaces the whole key set (key rotation); the type never changes.")
  @ApiResponse(responseCode = "200", description = "The changed client")
  @ApiResponse(
      responseCode = "400",
      description = "A field is invalid",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No such client",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  ClientView update(
      Authentication admin, @PathVariable String clientId, @Valid @Body ClientChanges body) {
    return clients.update(clientId, body, Actor.account(admin.getName()));
  }

  @Delete("/{clientId}")
  @Status(HttpStatus.NO_CONTENT)
  @Operation(
      summary = "Deactivate a client",
      description = "Its sign-in and token requests are refused from now on; the row is kept.")
  @ApiResponse(responseCode = "204", description = "Deactivated")
  @ApiResponse(
      responseCode = "404",
      description = "No such client",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  void deactivate(Authentication admin, @PathVariable String clientId) {
    clients.deactivate(clientId, Actor.account(admin.getName()));
  }
}
