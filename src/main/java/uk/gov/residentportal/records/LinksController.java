package uk.gov.residentportal.records;

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
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.Scopes;

/**
 * The resident's links to council records: link by council tax reference and postcode or by a
 * one-time code from a letter, list, remove. Same access rule as /api/v1/me: a token issued with
 * scope {@code account}.
 */
@Controller("/api/v1/me/links")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Me")
@SecurityRequirement(name = "bearer")
@ApiResponse(
    responseCode = "403",
    description = "The access token was not issued with scope account",
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
class LinksController {
  private static final String ACCOUNT_SCOPE = "account";

  private final Linking linking;

  LinksController(Linking linking) {
    this.linking = linking;
  }

  @Post
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Link council records to the account",
      description =
          "With {type: COUNCIL_TAX, reference, postcode} or with {code} from a letter. The first"
              + " link raises the account's assurance to P1. Records already linked to another"
              + " account can be linked only with a one-time code; the other account's owner is"
              + " then emailed and both stay linked. At most 5 failed attempts per hour.")
  @ApiResponse(
      responseCode = "201",
      description = "Linked",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = LinkBodies.Link.class)))
  @ApiResponse(
      responseCode = "200",
      description = "Already linked to this account: the existing link, nothing changed",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = LinkBodies.Link.class)))
  @ApiResponse(
      responseCode = "400",
      description = "Neither shape, or a field is missing or malformed",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "409",
      description = "Linked to another account: a one-time code from a letter is needed",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "422",
      description = "The details do not match (without saying which part)",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "429",
      description = "Too many failed attempts in the hour",
      headers = @Header(name = "Retry-After", description = "Seconds to wait"),
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  HttpResponse<LinkBodies.Link> link(
      Authentication principal, @Valid @Body LinkBodies.LinkRequest body) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    Linking.Linked linked = linking.link(principal.getName(), body);
    return HttpResponse.status(linked.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(linked.link());
  }

  @Get
  @Operation(summary = "The account's links to council records, newest first")
  @ApiResponse(
      responseCode = "200",
      description = "The links",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = LinkBodies.Links.class)))
  LinkBodies.Links listLinks(Authentication principal) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    return new LinkBodies.Links(linking.list(principal.getName()));
  }

  @Delete("/{id}")
  @Status(HttpStatus.NO_CONTENT)
  @Operation(
      summary = "Remove a link",
      description = "The removal of the last link lowers the account's assurance from P1 to P0.")
  @ApiResponse(responseCode = "204", description = "Removed")
  @ApiResponse(
      responseCode = "404",
      description = "No such link of this account",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  void unlink(Authentication principal, @PathVariable String id) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    linking.unlink(principal.getName(), id);
  }
}
