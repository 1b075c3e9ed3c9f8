package uk.gov.residentportal.account;

import io.micronaut.http.HttpResponse;
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
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import uk.gov.residentportal.web.Problem;

/** Sign-up, email verification and password reset: open to anyone, no account enumeration. */
@Controller("/api/v1/accounts")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
@SecurityRequirements
class AccountController {
  private final AccountService accounts;

  AccountController(AccountService accounts) {
    this.accounts = accounts;
  }

  @Post
  @Operation(
      summary = "Sign up",
      description =
          "Creates an account and emails a verification link. A registered address gets the same"
              + " answer (with a new random id) and its owner is emailed instead.")
  @ApiResponse(
      responseCode = "201",
      description = "Account created (or address already registered), verification email sent",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = AccountBodies.SignUpResult.class)))
  @ApiResponse(
      responseCode = "400",
      description = "A field is missing or invalid, or the password is too weak",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "415",
      description = "Not JSON",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  HttpResponse<AccountBodies.SignUpResult> signUp(@Valid @Body AccountBodies.SignUp body) {
    return HttpResponse.created(accounts.signUp(body));
  }

  @Post("/email-verification")
  @Status(HttpStatus.NO_CONTENT)
  @Operation(summary = "Verify the email address with the token from the email")
  @ApiResponse(responseCode = "204", description = "Verified")
  @ApiResponse(
      responseCode = "400",
      description = "The token is unknown, used or expired",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  void verifyEmail(@Valid @Body AccountBodies.EmailVerification body) {
    accounts.verifyEmail(body.token(), body.password());
  }

  @Post("/password-reset")
  @Status(HttpStatus.ACCEPTED)
  @Operation(
      summary = "Ask for a password reset link",
      description = "Always 202; only the owner of a registered address is emailed.")
  @ApiResponse(responseCode = "202", description = "Accepted")
  @ApiResponse(
      responseCode = "400",
      description = "Not an email address",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  void requestPasswordReset(@Valid @Body AccountBodies.PasswordResetRequest body) {
    accounts.requestPasswordReset(body.email());
  }

  @Post("/password-reset/confirm")
  @Status(HttpStatus.NO_CONTENT)
  @Operation(
      summary = "Set a new password with the token from the email",
      description = "Ends every browser session and refresh token of the account.")
  @ApiResponse(responseCode = "204", description = "Password changed")
  @ApiResponse(
      responseCode = "400",
      description = "The token is not valid, or the new password is too weak",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  void confirmPasswordReset(@Valid @Body AccountBodies.PasswordResetConfirmation body) {
    accounts.confirmPasswordReset(body.token(), body.newPassword());
  }
}
