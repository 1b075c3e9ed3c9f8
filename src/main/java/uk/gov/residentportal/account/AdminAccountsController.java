package uk.gov.residentportal.account;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
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
import java.util.EnumSet;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.web.Problem;

/** Staff roles, granted by an administrator (never by sign-up). */
@Controller("/api/v1/admin/accounts")
@Secured("ADMIN")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Administration")
@SecurityRequirement(name = "bearer")
class AdminAccountsController {
  private final AccountService accounts;

  AdminAccountsController(AccountService accounts) {
    this.accounts = accounts;
  }

  @Post("/{id}/roles")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Set an account's staff roles",
      description =
          "Replaces the account's roles (MANAGER, ADMIN); they appear in tokens from the next sign-in"
              + " or refresh.")
  @ApiResponse(
      responseCode = "200",
      description = "The account's roles now",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = AccountBodies.AccountRoles.class)))
  @ApiResponse(
      responseCode = "400",
      description = "Not a list of known roles",
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
  @ApiResponse(
      responseCode = "403",
      description = "Not an administrator",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No such active account",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  AccountBodies.AccountRoles setRoles(
      Authentication admin, @PathVariable String id, @Valid @Body AccountBodies.RoleGrant body) {
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    roles.addAll(body.roles());
    return new AccountBodies.AccountRoles(
        id, accounts.setRoles(id, roles, Actor.account(admin.getName())));
  }
}
