package uk.gov.residentportal.partner;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import uk.gov.residentportal.partner.PartnerBodies.ResidentSummary;
import uk.gov.residentportal.records.PartnerRecords;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.ProblemException;

/**
 * The partner API for NHS organisations (scope {@value PartnerGate#SCOPE}): find a resident by NHS
 * number and date of birth, then read the records they consented to share. Every call passes {@link
 * PartnerGate} first and is audited.
 */
@Controller("/api/v1/partner/residents")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Partner API")
@SecurityRequirement(name = "bearer")
@ApiResponse(
    responseCode = "400",
    description = "X-Request-ID missing or not a UUID, or a bad parameter (named in errors)",
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
    description =
        "The token lacks scope partner:resident.read or an organisation, or the organisation is"
            + " not an active partner",
    content =
        @Content(
            mediaType = Problem.CONTENT_TYPE,
            schema = @Schema(implementation = Problem.class)))
@ApiResponse(
    responseCode = "429",
    description = "The client's rate limit is used up; Retry-After says when to try again",
    content =
        @Content(
            mediaType = Problem.CONTENT_TYPE,
            schema = @Schema(implementation = Problem.class)))
class PartnerController {
  private final PartnerGate gate;
  private final PartnerAccess access;
  private final Clock clock;

  PartnerController(PartnerGate gate, PartnerAccess access, Clock clock) {
    this.gate = gate;
    this.access = access;
    this.clock = clock;
  }

  @Parameter(
      name = PartnerGate.REQUEST_ID,
      in = ParameterIn.HEADER,
      required = true,
      description = "A UUID naming this request: echoed back, kept in the audit trail",
      schema = @Schema(type = "string", format = "uuid"))
  @Parameter(
      name = CorrelationIdFilter.HEADER,
      in = ParameterIn.HEADER,
      description = "Echoed back when given (letters, digits and . _ : - only, at most 128)",
      schema = @Schema(type = "string"))
  @Get
  @Operation(
      summary = "Find a resident by NHS number and date of birth",
      description =
          "Found only when both match an account of at least P1 whose holder consents to share,"
              + " with this organisation for direct care, a category it may read; anything else"
              + " is the same 404."
              + " The id is this organisation's own for the resident.")
  @ApiResponse(
      responseCode = "200",
      description = "The resident",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ResidentSummary.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No consenting resident with that NHS number and date of birth",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  ResidentSummary findResident(
      HttpRequest<?> request,
      Authentication principal,
      @Parameter(description = "Ten digits, modulus 11 checked") @Nullable @QueryValue
          String nhsNumber,
      @Parameter(description = "YYYY-MM-DD, from 1880-01-01 to today (UTC)") @Nullable @QueryValue
          String birthDate) {
    PartnerCaller caller = gate.admit(request, principal);
    String nhs = PartnerSearch.nhsNumber("nhsNumber", nhsNumber);
    PartnerAccess.Found found =
        access
            .lookup(
                caller,
                nhs,
                PartnerSearch.birthDate("birthDate", birthDate, PartnerSearch.today(clock)))
            .orElseThrow(ProblemException.NotFound::new);
    return new ResidentSummary(
        found.id(),
        found.match().givenName(),
        found.match().familyName(),
        PartnerSearch.postcodeDistrict(found.match().postcode()),
        found.categories());
  }

  @Parameter(
      name = PartnerGate.REQUEST_ID,
      in = ParameterIn.HEADER,
      required = true,
      description = "A UUID naming this request: echoed back, kept in the audit trail",
      schema = @Schema(type = "string", format = "uuid"))
  @Parameter(
      name = CorrelationIdFilter.HEADER,
      in = ParameterIn.HEADER,
      description = "Echoed back when given (letters, digits and . _ : - only, at most 128)",
      schema = @Schema(type = "string"))
  @Get("/{id}/records")
  @Operation(
      summary = "The records a resident shares with this organisation",
      description =
          "Records the council marked shareable with partners, in categories the resident"
              + " consented to share with this organisation, newest first. Paged: pass nextCursor"
              + " back as cursor; limit defaults to 20, at most 100. A category the resident does"
              + " not share gives an empty list. Consent is checked on every call: after a"
              + " withdrawal the answer is 404.")
  @ApiResponse(
      responseCode = "200",
      description = "A page of records",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = PartnerRecords.Page.class)))
  @ApiResponse(
      responseCode = "404",
      description = "Not this organisation's id, or the resident no longer shares anything with it",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  PartnerRecords.Page listSharedRecords(
      HttpRequest<?> request,
      Authentication principal,
      @PathVariable String id,
      @Nullable @QueryValue String category,
      @Nullable @QueryValue String cursor,
      @Nullable @QueryValue Integer limit) {
    PartnerCaller caller = gate.admit(request, principal);
    return access
        .records(caller, id, category, cursor, limit)
        .orElseThrow(ProblemException.NotFound::new);
  }

  @Parameter(
      name = PartnerGate.REQUEST_ID,
      in = ParameterIn.HEADER,
      required = true,
      description = "A UUID naming this request: echoed back, kept in the audit trail",
      schema = @Schema(type = "string", format = "uuid"))
  @Parameter(
      name = CorrelationIdFilter.HEADER,
      in = ParameterIn.HEADER,
      description = "Echoed back when given (letters, digits and . _ : - only, at most 128)",
      schema = @Schema(type = "string"))
  @Get("/{id}/records/{recordId}")
  @Operation(summary = "One shared record, with its documents")
  @ApiResponse(
      responseCode = "200",
      description = "The record",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = PartnerRecords.Detail.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No such record that this organisation may read",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  PartnerRecords.Detail getSharedRecord(
      HttpRequest<?> request,
      Authentication principal,
      @PathVariable String id,
      @PathVariable String recordId) {
    PartnerCaller caller = gate.admit(request, principal);
    return access.record(caller, id, recordId).orElseThrow(ProblemException.NotFound::new);
  }

  @Parameter(
      name = PartnerGate.REQUEST_ID,
      in = ParameterIn.HEADER,
      required = true,
      description = "A UUID naming this request: echoed back, kept in the audit trail",
      schema = @Schema(type = "string", format = "uuid"))
  @Parameter(
      name = CorrelationIdFilter.HEADER,
      in = ParameterIn.HEADER,
      description = "Echoed back when given (letters, digits and . _ : - only, at most 128)",
      schema = @Schema(type = "string"))
  @Get("/{id}/records/{recordId}/documents/{documentId}")
  @Produces(MediaType.ALL)
  @Operation(
      summary = "Download a document of a shared record",
      description =
          "The file with its stored content type and size, streamed, as an attachment, never"
              + " sniffed, never cached; under the same rules as the record.")
  @ApiResponse(
      responseCode = "200",
      description = "The file",
      content =
          @Content(mediaType = MediaType.ALL, schema = @Schema(type = "string", format = "binary")))
  @ApiResponse(
      responseCode = "404",
      description = "No such record or document that this organisation may read",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  HttpResponse<StreamedFile> downloadSharedDocument(
      HttpRequest<?> request,
      Authentication principal,
      @PathVariable String id,
      @PathVariable String recordId,
      @PathVariable String documentId) {
    PartnerCaller caller = gate.admit(request, principal);
    PartnerRecords.Download file =
        access
            .document(caller, id, recordId, documentId)
            .orElseThrow(ProblemException.NotFound::new);
    MediaType type = MediaType.of(file.contentType());
    StreamedFile body =
        new StreamedFile(file.content(), type, file.updatedAt().toEpochMilli(), file.size());
    return HttpResponse.ok(body)
        .contentType(type)
        .header(HttpHeaders.CONTENT_DISPOSITION, file.contentDisposition())
        .header("X-Content-Type-Options", "nosniff")
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header(HttpHeaders.EXPIRES, "0");
  }
}
