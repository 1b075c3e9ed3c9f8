package uk.gov.residentportal.records;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.Scopes;

/**
 * One-time linking codes for back-office systems to print on letters (client credentials, scope
 * {@code links:write}); the system is the {@code source_system} its client was registered with.
 */
@Controller("/api/v1/systems/link-codes")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Systems")
@SecurityRequirement(name = "bearer")
@ApiResponse(
    responseCode = "403",
    description = "The access token was not issued with scope links:write",
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
class LinkCodesController {
  static final String LINKS_SCOPE = "links:write";
  private static final String SOURCE_SYSTEM = "source_system";

  private final LinkCodes codes;

  LinkCodesController(LinkCodes codes) {
    this.codes = codes;
  }

  @Post
  @Consumes(MediaType.APPLICATION_JSON)
  @Status(HttpStatus.CREATED)
  @Operation(
      summary = "Issue a one-time linking code for a letter",
      description =
          "For a subject the calling system is an authority for"
              + " (portal.records.subject-authorities; council tax accounts: COUNCIL_TAX) or,"
              + " for a subject type without authorities, holds records about; any other subject"
              + " answers 404 like an unknown one. The code is shown only in this answer (only"
              + " its hash is kept), works once, and expires after 30 days.")
  @ApiResponse(
      responseCode = "201",
      description = "The code",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = LinkBodies.LinkCodeIssued.class)))
  @ApiResponse(
      responseCode = "400",
      description = "A field is missing or malformed",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No such subject among this system's records",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  LinkBodies.LinkCodeIssued issue(
      Authentication principal, @Valid @Body LinkBodies.LinkCodeRequest body) {
    Scopes.require(principal, LINKS_SCOPE);
    Object system = principal.getAttributes().get(SOURCE_SYSTEM);
    return codes.issue(system instanceof String s ? s : null, body);
  }
}
