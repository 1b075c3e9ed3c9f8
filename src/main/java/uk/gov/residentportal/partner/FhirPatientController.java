package uk.gov.residentportal.partner;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import uk.gov.residentportal.partner.Fhir.SpineCode;
import uk.gov.residentportal.shared.PortalUrls;
import uk.gov.residentportal.web.ProblemException;

/**
 * FHIR R4 Patient search for NHS partners: the JSON API's lookup (same gate, matching, consent and
 * audit) as a searchset Bundle. FHIR search semantics: no match is an empty Bundle (200), not 404.
 */
@Controller("/fhir/r4")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Partner API (FHIR R4)")
@SecurityRequirement(name = "bearer")
class FhirPatientController {
  private final PartnerGate gate;
  private final PartnerAccess access;
  private final PortalUrls urls;
  private final JsonMapper json;
  private final Clock clock;

  FhirPatientController(
      PartnerGate gate, PartnerAccess access, PortalUrls urls, JsonMapper json, Clock clock) {
    this.gate = gate;
    this.access = access;
    this.urls = urls;
    this.json = json;
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
  @Get(
      uri = "/Patient",
      produces = {Fhir.JSON, MediaType.APPLICATION_JSON})
  @Operation(
      summary = "Search for a patient by NHS number and date of birth (FHIR R4)",
      description =
          "identifier=https://fhir.nhs.uk/Id/nhs-number|{NHS number} and birthdate=YYYY-MM-DD (or"
              + " eqYYYY-MM-DD), both required. A searchset Bundle with the UK Core Patient when"
              + " the resident matches and consents to share with this organisation, else an"
              + " empty one. Errors are OperationOutcomes with Spine error codes. Requires"
              + " X-Request-ID (a UUID).")
  @ApiResponse(
      responseCode = "200",
      description = "A searchset Bundle (total 0 or 1)",
      content =
          @Content(mediaType = Fhir.JSON, schema = @Schema(implementation = Fhir.Bundle.class)))
  @ApiResponse(
      responseCode = "400",
      description =
          "INVALID_IDENTIFIER_SYSTEM, INVALID_IDENTIFIER_VALUE, INVALID_VALUE or MISSING_VALUE",
      content =
          @Content(
              mediaType = Fhir.JSON,
              schema = @Schema(implementation = Fhir.OperationOutcome.class)))
  @ApiResponse(
      responseCode = "403",
      description = "ACCESS_DENIED",
      content =
          @Content(
              mediaType = Fhir.JSON,
              schema = @Schema(implementation = Fhir.OperationOutcome.class)))
  @ApiResponse(
      responseCode = "429",
      description = "TOO_MANY_REQUESTS, with Retry-After",
      content =
          @Content(
              mediaType = Fhir.JSON,
              schema = @Schema(implementation = Fhir.OperationOutcome.class)))
  HttpResponse<byte[]> searchPatients(
      HttpRequest<?> request,
      Authentication principal,
      @Parameter(description = "https://fhir.nhs.uk/Id/nhs-number|{NHS number}")
          @Nullable
          @QueryValue
          String identifier,
      @Parameter(description = "YYYY-MM-DD, or eqYYYY-MM-DD") @Nullable @QueryValue
          String birthdate) {
    PartnerCaller caller = gate.admit(request, principal);
    String nhsNumber = nhsNumber(identifier);
    LocalDate birthDate = birthDate(birthdate);
    Optional<PartnerAccess.Found> found = access.lookup(caller, nhsNumber, birthDate);
    List<Fhir.BundleEntry> entries =
        found
            .map(
                f ->
                    List.of(
                        new Fhir.BundleEntry(
                            urls.issuer() + "/fhir/r4/Patient/" + f.id(),
                            new Fhir.Patient(
                                f.id(),
                                nhsNumber,
                                f.match().familyName(),
                                f.match().givenName(),
                                birthDate.toString(),
                                PartnerSearch.postcodeDistrict(f.match().postcode())),
                            new Fhir.BundleSearch("match"))))
            .orElse(List.of());
    Fhir.Bundle bundle =
        Fhir.Bundle.searchset(
            UUID.randomUUID().toString(),
            clock.instant().truncatedTo(ChronoUnit.MILLIS).toString(),
            entries);
    try {
      return HttpResponse.<byte[]>status(HttpStatus.OK)
          .body(json.writeValueAsBytes(bundle))
          .contentType(Fhir.MEDIA_TYPE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The NHS number of {@code system|value}; only the NHS number system is searched. */
  private static String nhsNumber(@Nullable String identifier) {
    if (identifier == null || identifier.isBlank()) {
      throw FhirException.badRequest(
          "required",
          SpineCode.MISSING_VALUE,
          "identifier is required: " + Fhir.NHS_NUMBER_SYSTEM + "|{NHS number}");
    }
    int bar = identifier.indexOf('|');
    if (bar < 0 || !Fhir.NHS_NUMBER_SYSTEM.equals(identifier.substring(0, bar))) {
      throw FhirException.badRequest(
          "invalid",
          SpineCode.INVALID_IDENTIFIER_SYSTEM,
          "identifier must be in the system " + Fhir.NHS_NUMBER_SYSTEM);
    }
    try {
      return PartnerSearch.nhsNumber("identifier", identifier.substring(bar + 1));
    } catch (ProblemException.InvalidField invalid) {
      throw FhirException.badRequest(
          "invalid",
          SpineCode.INVALID_IDENTIFIER_VALUE,
          "identifier must hold a valid NHS number: ten digits with a correct modulus 11 check"
              + " digit");
    }
  }

  /** A date, with FHIR's {@code eq} prefix or none; other comparisons are not searched. */
  private static LocalDate birthDate(@Nullable String birthdate) {
    if (birthdate == null || birthdate.isBlank()) {
      throw FhirException.badRequest(
          "required", SpineCode.MISSING_VALUE, "birthdate is required: YYYY-MM-DD");
    }
    String date = birthdate.startsWith("eq") ? birthdate.substring(2) : birthdate;
    try {
      return PartnerSearch.birthDate("birthdate", date);
    } catch (ProblemException.InvalidField invalid) {
      throw FhirException.badRequest(
          "invalid",
          SpineCode.INVALID_VALUE,
          "birthdate must be a date as YYYY-MM-DD, optionally prefixed with eq");
    }
  }
}
