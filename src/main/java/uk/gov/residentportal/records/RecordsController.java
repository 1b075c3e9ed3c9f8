package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
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
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.EncoderException;
import org.apache.commons.codec.net.PercentCodec;
import uk.gov.residentportal.records.ResidentRecordBodies.Detail;
import uk.gov.residentportal.records.ResidentRecordBodies.Page;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.Scopes;

/**
 * The resident's records and their documents. Same access rule as /api/v1/me: a token issued with
 * scope {@code account}; its subject is the account. Machine tokens (back office, partners) lack
 * that scope and are refused with 403.
 */
@Controller("/api/v1/me/records")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Records")
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
class RecordsController {
  private static final String ACCOUNT_SCOPE = "account";

  // RFC 8187 section 3.2.1 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." /
  // "^" / "_" / "`" / "|" / "~". Every other byte of the UTF-8 name is percent-encoded.
  private static final String ATTR_CHAR_PUNCTUATION = "!#$&+-.^_`|~";
  private static final PercentCodec EXT_VALUE = new PercentCodec(nonAttrChars(), false);

  private final ResidentRecords records;

  RecordsController(ResidentRecords records) {
    this.records = records;
  }

  @Get
  @Operation(
      summary = "The resident's records",
      description =
          "Records of the council accounts, properties and people linked to the account that the"
              + " council shows residents and that the account's assurance allows, newest first."
              + " Paged: pass nextCursor back as cursor; limit defaults to 20, at most 100 (more"
              + " gives 100). A category above the account's assurance gives an empty list.")
  @ApiResponse(
      responseCode = "200",
      description = "A page of records",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Page.class)))
  @ApiResponse(
      responseCode = "400",
      description = "An unknown category, a cursor not from a previous page, or a limit below 1",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  Page listRecords(
      Authentication principal,
      @Nullable @QueryValue String category,
      @Nullable @QueryValue @Size(max = 200, message = "is not a cursor from a previous page")
          String cursor,
      @Nullable @QueryValue @Min(value = 1, message = "must be at least {value}") Integer limit) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    return records.list(principal.getName(), category, cursor, limit);
  }

  @Get("/{id}")
  @Operation(summary = "One of the resident's records, with its documents")
  @ApiResponse(
      responseCode = "200",
      description = "The record",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Detail.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No such record that this resident may see",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  Detail getRecord(Authentication principal, @PathVariable String id) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    return records.get(principal.getName(), id);
  }

  @Get("/{id}/documents/{documentId}")
  // The stored type is set on the response; any Accept is served (browsers send */*).
  @Produces(MediaType.ALL)
  @Operation(
      summary = "Download a document of one of the resident's records",
      description =
          "The file with its stored content type and size (Content-Length), streamed, as an"
              + " attachment (Content-Disposition with an ASCII filename and the UTF-8 filename*),"
              + " never sniffed, never cached.")
  @ApiResponse(
      responseCode = "200",
      description = "The file",
      content =
          @Content(mediaType = MediaType.ALL, schema = @Schema(type = "string", format = "binary")))
  @ApiResponse(
      responseCode = "404",
      description = "No such record or document that this resident may see",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  HttpResponse<StreamedFile> downloadDocument(
      Authentication principal, @PathVariable String id, @PathVariable String documentId) {
    Scopes.require(principal, ACCOUNT_SCOPE);
    // Every check (records.download) is done before the status line is sent. The body is read
    // afterwards:
    // Micronaut reads a StreamedFile on the blocking executor (never the event loop), chunk by
    // chunk as the client takes it; a store failure then aborts the connection.
    ResidentRecords.Download file = records.download(principal.getName(), id, documentId);
    MediaType type = MediaType.of(file.contentType());
    StreamedFile body =
        new StreamedFile(file.content(), type, file.updatedAt().toEpochMilli(), file.size());
    return HttpResponse.ok(body)
        .contentType(type)
        .header(HttpHeaders.CONTENT_DISPOSITION, attachment(file.name()))
        .header("X-Content-Type-Options", "nosniff")
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        // Micronaut gives streamed files an Expires a minute ahead unless one is set; "0" is
        // already expired (RFC 9111 section 5.3), in line with no-store.
        .header(HttpHeaders.EXPIRES, "0");
  }

  /**
   * {@code Content-Disposition: attachment} for {@code name} as RFC 6266 section 4.3 advises: an
   * ASCII {@code filename} for old clients, with anything that could break out of the quoted
   * string, split the header, or be read as a path or an escape (controls, '"', '\', '%', '/')
   * replaced by '_', and the exact name as RFC 8187 {@code filename*}, which clients prefer.
   */
  static String attachment(String name) {
    StringBuilder fallback = new StringBuilder(name.length());
    name.codePoints()
        .forEach(
            c ->
                fallback.append(c >= 0x20 && c < 0x7f && "\"\\%/".indexOf(c) < 0 ? (char) c : '_'));
    String encoded;
    try {
      encoded =
          new String(
              EXT_VALUE.encode(name.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    } catch (EncoderException e) {
      throw new IllegalStateException("percent-encoding cannot fail on bytes", e);
    }
    return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
  }

  private static byte[] nonAttrChars() {
    ByteArrayOutputStream encode = new ByteArrayOutputStream();
    for (int c = 0; c < 0x80; c++) {
      boolean attrChar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || ATTR_CHAR_PUNCTUATION.indexOf(c) >= 0;
      if (!attrChar) {
        encode.write(c);
      }
    }
    return encode.toByteArray();
  }
}
