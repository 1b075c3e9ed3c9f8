package uk.gov.residentportal.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** An RFC 9457 problem document, as every API error is answered. */
@Serdeable
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
    String type,
    String title,
    int status,
    @Nullable String detail,
    @Nullable String requestId,
    @Nullable List<FieldError> errors) {

  public static final String CONTENT_TYPE = "application/problem+json";
  public static final MediaType MEDIA_TYPE = MediaType.of(CONTENT_TYPE);

  /** One bad field of the request, named as the caller sent it. */
  @Serdeable
  public record FieldError(String field, String message) {}
}
