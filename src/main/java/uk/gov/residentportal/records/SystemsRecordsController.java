package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import uk.gov.residentportal.records.IngestionBodies.BatchResults;
import uk.gov.residentportal.records.IngestionBodies.DocumentView;
import uk.gov.residentportal.records.IngestionBodies.ItemResult;
import uk.gov.residentportal.records.IngestionBodies.UpsertResult;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.Scopes;

/**
 * Records and documents pushed by the council's back-office systems (client credentials with scope
 * {@code records:write}). A system writes only records of its own source system: the {@code
 * source_system} its client was registered with, carried in its access token.
 */
@Controller("/api/v1/systems")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Back-office systems")
@SecurityRequirement(name = "bearer")
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
        "The access token was not issued with scope records:write, the record belongs to"
            + " another source system, or subjectPostcode came from a system that is not an"
            + " authority for the subject type (portal.records.subject-authorities)",
    content =
        @Content(
            mediaType = Problem.CONTENT_TYPE,
            schema = @Schema(implementation = Problem.class)))
@ApiResponse(
    responseCode = "400",
    description = "A field is missing or wrong; the problem names it",
    content =
        @Content(
            mediaType = Problem.CONTENT_TYPE,
            schema = @Schema(implementation = Problem.class)))
class SystemsRecordsController {
  static final String RECORDS_WRITE = "records:write";
  private static final String SOURCE_SYSTEM_CLAIM = "source_system";

  private final RecordBatch batch;
  private final RecordDocuments documents;

  SystemsRecordsController(RecordBatch batch, RecordDocuments documents) {
    this.batch = batch;
    this.documents = documents;
  }

  @Put("/records/{sourceSystem}/{externalRef}")
  @Operation(
      summary = "Create or update a record",
      description =
          "Idempotent upsert keyed by (sourceSystem, externalRef). The source's updatedAt orders"
              + " changes: the same one again changes nothing (UNCHANGED), an older one than"
              + " stored is refused with 409.")
  @ApiResponse(
      responseCode = "201",
      description = "Created",
      content = @Content(schema = @Schema(implementation = UpsertResult.class)))
  @ApiResponse(
      responseCode = "200",
      description = "Updated, or unchanged (a replay)",
      content = @Content(schema = @Schema(implementation = UpsertResult.class)))
  @ApiResponse(
      responseCode = "409",
      description = "A newer version of the record is stored",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(implementation = RecordUpsert.class)))
  HttpResponse<UpsertResult> upsert(
      Authentication principal,
      @PathVariable String sourceSystem,
      @PathVariable String externalRef,
      @Nullable @Body JsonNode body) {
    Scopes.require(principal, RECORDS_WRITE);
    // Read as a tree, as batch items are: a value of the wrong JSON type is named like any other
    // bad field instead of making the whole body unreadable.
    RecordIngestion.Result result =
        batch.upsert(callerSystem(principal), sourceSystem, externalRef, body);
    UpsertResult answer = new UpsertResult(result.recordId(), result.outcome().name());
    return result.outcome() == RecordIngestion.Outcome.CREATED
        ? HttpResponse.created(answer)
        : HttpResponse.ok(answer);
  }

  @Post("/records:batch")
  @Operation(
      summary = "Create or update up to 1,000 records",
      description =
          "Each item is an upsert as PUT /api/v1/systems/records/{sourceSystem}/{externalRef},"
              + " with its own result in the same order: a bad item fails alone (status FAILED"
              + " with a problem) and never spoils the others. Items are written in bounded"
              + " transactions.")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(implementation = IngestionBodies.BatchRequest.class)))
  @ApiResponse(
      responseCode = "200",
      description = "One result per item",
      content = @Content(schema = @Schema(implementation = BatchResults.class)))
  @ApiResponse(
      responseCode = "413",
      description = "More than 1,000 items, or a body over the request size limit",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  BatchResults upsertBatch(Authentication principal, @Body JsonNode body) {
    Scopes.require(principal, RECORDS_WRITE);
    return new BatchResults(
        batch.apply(callerSystem(principal), body).stream()
            .map(
                r -> new ItemResult(r.externalRef(), r.recordId(), r.status(), r.problemDocument()))
            .toList());
  }

  @Put(uri = "/records/{sourceSystem}/{externalRef}/documents/{name}", consumes = MediaType.ALL)
  @Operation(
      summary = "Upload a document to a record",
      description =
          "The body is the file itself. Its type is detected from the bytes (the Content-Type"
              + " header and the name are not trusted): PDF, PNG, JPEG, TIFF or plain text. The"
              + " same name again replaces the document.")
  @RequestBody(
      required = true,
      content =
          @Content(mediaType = MediaType.ALL, schema = @Schema(type = "string", format = "binary")))
  @ApiResponse(
      responseCode = "201",
      description = "Stored as a new document",
      content = @Content(schema = @Schema(implementation = DocumentView.class)))
  @ApiResponse(
      responseCode = "200",
      description = "Replaced the document of that name",
      content = @Content(schema = @Schema(implementation = DocumentView.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No such record",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "413",
      description = "Larger than the document size limit",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "415",
      description = "Not a PDF, PNG, JPEG, TIFF or plain text file",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  HttpResponse<DocumentView> putDocument(
      Authentication principal,
      @PathVariable String sourceSystem,
      @PathVariable String externalRef,
      @PathVariable String name,
      @Nullable @Body byte[] content) {
    Scopes.require(principal, RECORDS_WRITE);
    RecordDocuments.Stored stored =
        documents.put(callerSystem(principal), sourceSystem, externalRef, name, content);
    DocumentView view =
        new DocumentView(
            stored.id(), stored.name(), stored.contentType(), stored.size(), stored.sha256());
    return stored.created() ? HttpResponse.created(view) : HttpResponse.ok(view);
  }

  /** The back-office system the token was issued to; null for any other kind of client. */
  private static String callerSystem(Authentication principal) {
    return principal.getAttributes().get(SOURCE_SYSTEM_CLAIM) instanceof String system
        ? system
        : null;
  }
}
