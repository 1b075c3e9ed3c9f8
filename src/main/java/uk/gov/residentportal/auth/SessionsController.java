package uk.gov.residentportal.auth;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
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
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.Scopes;

/**
 * The resident's signed-in devices (browser sessions): list them, sign one out. Same access rule as
 * /api/v1/me: a token issued with scope {@code account}.
 */
@Controller("/api/v1/me/sessions")
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
class SessionsController {
  private static final String ACCOUNT_SCOPE = "account";

  private final BrowserSessions sessions;

  SessionsController(BrowserSessions sessions) {
    this.sessions = sessions;
  }

  @Get
  @Operation(
      summary = "The resident's signed-in devices",
      description =
          "Live browser sessions, newest first (at most 100); the one the calling token was"
              + " issued in has current: true.")
  @ApiResponse(
      responseCode = "200",
      description = "The sessions",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = SessionView.Page.class)))
  SessionView.Page listSessions(Authentication principal) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    Object grant = principal.getAttributes().get(TokenIssuer.GRANT_ID);
    return new SessionView.Page(
        sessions.list(principal.getName(), grant instanceof String g ? g : null));
  }

  @Delete("/{id}")
  @Status(HttpStatus.NO_CONTENT)
  @Operation(
      summary = "Sign a device out",
      description =
          "Ends the browser session and what was issued in it (refresh and access tokens); its"
              + " services are told by back-channel logout.")
  @ApiResponse(responseCode = "204", description = "Signed out")
  @ApiResponse(
      responseCode = "404",
      description = "No such live session of this resident",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  void endSession(Authentication principal, @PathVariable String id) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    sessions.revoke(principal.getName(), id);
  }
}
