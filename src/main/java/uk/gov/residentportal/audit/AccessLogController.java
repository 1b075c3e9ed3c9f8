package uk.gov.residentportal.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
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
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.Scopes;

/**
 * Who read the resident's data: the resident's own access log. Same access rule as /api/v1/me: a
 * token issued with scope {@code account}, whose subject is the account; machine tokens (back
 * office, NHS partners) lack that scope and are refused with 403.
 */
@Controller("/api/v1/me/access-log")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Me")
@SecurityRequirement(name = "bearer")
class AccessLogController {
  private static final String ACCOUNT_SCOPE = "account";

  private final AccessLog log;

  AccessLogController(AccessLog log) {
    this.log = log;
  }

  @Get
  @Operation(
      summary = "Who read the resident's data",
      description =
          "Each time an NHS partner organisation read the resident's data (found them by NHS"
              + " number, read their records or a document), newest first: the organisation,"
              + " the purpose, what was read and when. Lookups that found nobody are not shown:"
              + " they read nothing. Paged: pass nextCursor back as cursor; limit defaults to 20,"
              + " from 1 to 100.")
  @ApiResponse(
      responseCode = "200",
      description = "A page of the access log",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = AccessLogBodies.Page.class)))
  @ApiResponse(
      responseCode = "400",
      description = "A cursor not from a previous page, or a limit outside 1 to 100",
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
  @ApiResponse(
      responseCode = "403",
      description = "The access token was not issued with scope account",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  AccessLogBodies.Page accessLog(
      Authentication principal,
      @Nullable
          @QueryValue
          @Size(max = AccessLogCursor.MAX_LENGTH, message = "is not a cursor from a previous page")
          String cursor,
      @Nullable
          @QueryValue
          @Min(value = 1, message = "must be from 1 to 100")
          @Max(value = AccessLog.MAX_LIMIT, message = "must be from 1 to 100")
          Integer limit) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    return log.page(principal.getName(), cursor, limit);
  }
}
