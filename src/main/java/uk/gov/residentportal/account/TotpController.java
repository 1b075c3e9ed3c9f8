package uk.gov.residentportal.account;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.Scopes;

/**
 * The resident's authenticator app (TOTP second factor): set up, confirm, remove, and recovery
 * codes. Once confirmed, sign-in asks for a security code after the password.
 */
@Controller("/api/v1/me/totp")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Me")
@SecurityRequirement(name = "bearer")
@ApiResponse(
    responseCode = "401",
    description = "No valid access token, or the account is no longer active",
    content =
        @Content(
            mediaType = Problem.CONTENT_TYPE,
            schema = @Schema(implementation = Problem.class)))
@ApiResponse(
    responseCode = "403",
    description = "The access token was not issued with scope account, or a wrong password",
    content =
        @Content(
            mediaType = Problem.CONTENT_TYPE,
            schema = @Schema(implementation = Problem.class)))
class TotpController {
  private final SecondFactor secondFactor;

  TotpController(SecondFactor secondFactor) {
    this.secondFactor = secondFactor;
  }

  /** A code from the authenticator app. */
  @Serdeable
  @Schema(name = "TotpConfirmation")
  record Confirmation(
      @NotBlank(message = "is required")
          @Size(max = 20, message = "must be at most {max} characters")
          String code) {
    @Override
    public String toString() {
      return "Confirmation[***]";
    }
  }

  /** The current password, for changes to the second factor. */
  @Serdeable
  @Schema(name = "PasswordConfirmation")
  record PasswordConfirmation(
      @NotBlank(message = "is required")
          @Size(max = 1024, message = "must be at most {max} characters")
          String password) {
    @Override
    public String toString() {
      return "PasswordConfirmation[***]";
    }
  }

  @Get
  @Operation(summary = "Whether an authenticator app is set up")
  @ApiResponse(responseCode = "200", description = "The second factor's status")
  SecondFactor.Status status(Authentication principal) {
    Scopes.require(principal, MeController.ACCOUNT_SCOPE);
    return secondFactor.status(principal.getName());
  }

  @Post
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Start setting up an authenticator app",
      description =
          "Requires the current password. A new secret (base32), its otpauth:// URI and a QR code"
              + " (SVG). Nothing changes at sign-in until a code confirms it; the owner is then"
              + " emailed. Starting again replaces a pending secret.")
  @ApiResponse(
      responseCode = "201",
      description = "The secret to add to the app",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = SecondFactor.Enrolment.class)))
  @ApiResponse(
      responseCode = "409",
      description = "An authenticator is already set up",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  HttpResponse<SecondFactor.Enrolment> begin(
      Authentication principal, @Valid @Body PasswordConfirmation body) {
    Scopes.require(principal, MeController.ACCOUNT_SCOPE);
    return HttpResponse.status(HttpStatus.CREATED)
        .body(secondFactor.begin(principal.getName(), body.password()));
  }

  @Post("/confirm")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Confirm the authenticator with its current code",
      description = "Turns the second factor on and answers ten recovery codes, shown only once.")
  @ApiResponse(responseCode = "200", description = "Set up; the recovery codes")
  @ApiResponse(
      responseCode = "400",
      description = "The code is not the app's current code",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "409",
      description = "No authenticator is waiting to be confirmed",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  SecondFactor.RecoveryCodes confirm(Authentication principal, @Valid @Body Confirmation body) {
    Scopes.require(principal, MeController.ACCOUNT_SCOPE);
    return new SecondFactor.RecoveryCodes(secondFactor.confirm(principal.getName(), body.code()));
  }

  @Post("/recovery-codes")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "New recovery codes",
      description = "Requires the current password; the old codes stop working.")
  @ApiResponse(responseCode = "200", description = "The new recovery codes")
  @ApiResponse(
      responseCode = "409",
      description = "No authenticator is set up",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  SecondFactor.RecoveryCodes recoveryCodes(
      Authentication principal, @Valid @Body PasswordConfirmation body) {
    Scopes.require(principal, MeController.ACCOUNT_SCOPE);
    return new SecondFactor.RecoveryCodes(
        secondFactor.newRecoveryCodes(principal.getName(), body.password()));
  }

  @Delete
  @Consumes(MediaType.APPLICATION_JSON)
  @Status(HttpStatus.NO_CONTENT)
  @Operation(
      summary = "Remove the authenticator app",
      description = "Requires the current password; sign-in asks only for the password again.")
  @ApiResponse(responseCode = "204", description = "Removed")
  @ApiResponse(
      responseCode = "404",
      description = "No authenticator is set up",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  void remove(Authentication principal, @Valid @Body PasswordConfirmation body) {
    Scopes.require(principal, MeController.ACCOUNT_SCOPE);
    secondFactor.remove(principal.getName(), body.password());
  }
}
