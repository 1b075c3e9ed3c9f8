package uk.gov.residentportal.consent;

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
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.Scopes;

/**
 * The resident's consents to share records with NHS partners: grant, list (with history), withdraw.
 * Same access rule as /api/v1/me: a token issued with scope {@code account}; machine tokens (back
 * office, partners) lack it and are refused with 403.
 */
@Controller("/api/v1/me/consents")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Consent")
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
class ConsentController {
  private static final String ACCOUNT_SCOPE = "account";

  private final ConsentService consents;

  ConsentController(ConsentService consents) {
    this.consents = consents;
  }

  @Post
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Consent to share record categories with NHS partners",
      description =
          "Shares the categories, for direct care, with one partner organisation (its ODS code)"
              + " or with every NHS partner of the partnership (ALL_NHS). A partner may read the"
              + " union of the consents in force for it and for ALL_NHS. Granting exactly what is"
              + " already in force (same organisation, purpose and categories) changes nothing"
              + " and answers that consent with 200. At most "
              + ConsentService.MAX_ACTIVE
              + " consents in force at once.")
  @ApiResponse(
      responseCode = "201",
      description = "Granted",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ConsentBodies.View.class)))
  @ApiResponse(
      responseCode = "200",
      description = "The same consent is in force already: that consent, nothing changed",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ConsentBodies.View.class)))
  @ApiResponse(
      responseCode = "400",
      description =
          "A field is missing or malformed; a category unknown or named twice; the purpose not"
              + " DIRECT_CARE; or the organisation neither ALL_NHS nor a registered, active"
              + " partner organisation. The problem names the field.",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "409",
      description = "The account holds the most consents in force it may: withdraw one first",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "415",
      description = "The body is not application/json",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  HttpResponse<ConsentBodies.View> grantConsent(
      Authentication principal, @Valid @Body ConsentBodies.GrantRequest body) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    ConsentService.Granted granted = consents.grant(principal.getName(), body);
    return HttpResponse.status(granted.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(granted.consent());
  }

  @Get
  @Operation(
      summary = "The resident's consents, withdrawn ones included",
      description =
          "Newest grant first; the newest "
              + ConsentService.MAX_LISTED
              + " at most (the subject access export, GET /api/v1/me/export, holds them all).")
  @ApiResponse(
      responseCode = "200",
      description = "The consents",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ConsentBodies.Consents.class)))
  ConsentBodies.Consents listConsents(Authentication principal) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    return new ConsentBodies.Consents(consents.list(principal.getName()));
  }

  @Delete("/{id}")
  @Status(HttpStatus.NO_CONTENT)
  @Operation(
      summary = "Withdraw a consent",
      description =
          "Takes effect for every partner's very next request (consents are never cached). The"
              + " consent stays in the list as WITHDRAWN. Withdrawing a withdrawn consent changes"
              + " nothing and answers 204 too.")
  @ApiResponse(responseCode = "204", description = "Withdrawn (now or before)")
  @ApiResponse(
      responseCode = "404",
      description = "No such consent of this account",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  void withdrawConsent(Authentication principal, @PathVariable String id) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    consents.withdraw(principal.getName(), id);
  }
}
