package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.ProblemException;
import uk.gov.residentportal.web.Scopes;

/**
 * Council services report their transactions for the digital take-up KPI (client credentials with
 * scope {@code transactions:write}, a back-office client). Each client reports its own figures
 * only: the client is the one the token was issued to.
 */
@Controller("/api/v1/reports/transactions")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Reports")
@SecurityRequirement(name = "bearer")
class UptakeTransactionsController {
  static final String TRANSACTIONS_WRITE = "transactions:write";

  private final UptakeTransactions transactions;

  UptakeTransactionsController(UptakeTransactions transactions) {
    this.transactions = transactions;
  }

  /** One day's figures, as sent. */
  @Serdeable
  @Schema(name = "TransactionDay")
  record DayBody(
      @Schema(
              description = "The UTC day, not in the future, from 2000-01-01",
              example = "2026-11-29")
          LocalDate day,
      @Schema(description = "Transactions completed online that day, 0 to 10,000,000") int online,
      @Schema(description = "Transactions completed that day by any channel, online or not")
          int total) {}

  /** One day's figures, as stored. */
  @Serdeable
  @Schema(name = "TransactionDayStored")
  record StoredDay(LocalDate day, int online, int total, Instant reportedAt) {}

  /** What the client's report stored. */
  @Serdeable
  @Schema(name = "TransactionsReported")
  record Reported(String clientId, List<StoredDay> days) {}

  @Post
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Report a service's transactions for the digital take-up KPI",
      description =
          "The calling client's figures for a UTC day: transactions completed online and in all"
              + " (online, phone, paper, face to face). The body is one {day, online, total} or an"
              + " array of up to 366; all are stored or none. A day reported again replaces what"
              + " the client reported for it before, so sending the same figures again changes"
              + " nothing. Unknown fields are ignored. The uptake report's digitalTakeUpPercent sums"
              + " every client's figures between its from and to.")
  @RequestBody(
      required = true,
      content =
          @Content(
              schema =
                  @Schema(
                      oneOf = {DayBody.class, DayBody[].class},
                      description = "One day, or an array of 1 to 366 days (each day once)")))
  @ApiResponse(
      responseCode = "200",
      description = "Stored (created or replaced): the days as stored",
      content = @Content(schema = @Schema(implementation = Reported.class)))
  @ApiResponse(
      responseCode = "400",
      description =
          "A field is missing or wrong (in an array, named [i].day, [i].online, [i].total)",
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
      description = "The access token was not issued with scope transactions:write",
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
  Reported report(Authentication principal, @Nullable @Body JsonNode body) {
    Scopes.require(principal, TRANSACTIONS_WRITE);
    if (!(principal.getAttributes().get("client_id") instanceof String clientId)) {
      throw new ProblemException.InsufficientScope(TRANSACTIONS_WRITE);
    }
    List<StoredDay> days =
        transactions.report(clientId, body).stream()
            .map(d -> new StoredDay(d.day(), d.online(), d.total(), d.reportedAt()))
            .toList();
    return new Reported(clientId, days);
  }
}
