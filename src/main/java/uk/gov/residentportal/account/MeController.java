package uk.gov.residentportal.account;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
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
import java.util.Map;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.Scopes;

/** The signed-in resident's own account. The subject of the access token is the account id. */
@Controller("/api/v1/me")
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
    description = "No valid access token, or the account is no longer active",
    content =
        @Content(
            mediaType = Problem.CONTENT_TYPE,
            schema = @Schema(implementation = Problem.class)))
class MeController {
  /** The resident's own account API needs a token issued for it, not any sign-in token. */
  static final String ACCOUNT_SCOPE = "account";

  private final AccountService accounts;

  MeController(AccountService accounts) {
    this.accounts = accounts;
  }

  @Get
  @Operation(summary = "The resident's profile")
  @ApiResponse(
      responseCode = "200",
      description = "The profile",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = AccountBodies.Profile.class)))
  AccountBodies.Profile profile(Authentication principal) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    return accounts.profile(principal.getName());
  }

  @Patch
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Change profile fields",
      description =
          "Fields left out stay as they are; an empty string clears postcode, dateOfBirth or"
              + " nhsNumber.")
  @ApiResponse(
      responseCode = "200",
      description = "The updated profile",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = AccountBodies.Profile.class)))
  @ApiResponse(
      responseCode = "400",
      description = "A field is invalid",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  AccountBodies.Profile update(
      Authentication principal, @Valid @Body AccountBodies.ProfileUpdate body) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    return accounts.updateProfile(principal.getName(), body);
  }

  @Delete
  @Consumes(MediaType.APPLICATION_JSON)
  @Status(HttpStatus.NO_CONTENT)
  @Operation(
      summary = "Erase the account",
      description =
          "Requires the current password. Personal data is removed, the account can never sign in"
              + " again, and the address may register afresh.")
  @ApiResponse(responseCode = "204", description = "Erased")
  @ApiResponse(
      responseCode = "403",
      description = "The password is not right",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "409",
      description = "The password was reset or changed while it was being checked; try again",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  void erase(Authentication principal, @Valid @Body AccountBodies.Erasure body) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    accounts.erase(principal.getName(), body.password());
  }

  @Get("/export")
  @Operation(summary = "Everything held about the resident, as one JSON document")
  @ApiResponse(responseCode = "200", description = "The export")
  Map<String, Object> export(Authentication principal) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    return accounts.export(principal.getName());
  }
}
