package uk.gov.residentportal.partner;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.partner.Fhir.SpineCode;
import uk.gov.residentportal.shared.PortalUrls;
import uk.gov.residentportal.web.ProblemException;

/**
 * FHIR R4 Patient search and read for NHS partners: the JSON API's lookup (same gate, matching,
 * consent and audit) as a searchset Bundle, and the Patient its entries' fullUrl names. FHIR search
 * semantics: no match is an empty Bundle (200), not 404; a read of an id that is not (or no longer)
 * readable is 404.
 */
@Controller("/fhir/r4")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Partner API (FHIR R4)")
@SecurityRequirement(name = "bearer")
class FhirPatientController {
  private static final String PATIENT = "/fhir/r4/Patient";

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
    LocalDate birthDate = birthDate(birthdate, PartnerSearch.today(clock));
    Optional<PartnerAccess.Found> found = access.lookup(caller, nhsNumber, birthDate);
    List<Fhir.BundleEntry> entries =
        found
            .map(
                f ->
                    List.of(
                        new Fhir.BundleEntry(
                            patientUrl(f.id()),
                            new Fhir.Patient(
                                f.id(),
                                nhsNumber,
                                f.match().familyName(),
                                f.match().givenName(),
                                birthDate.toString(),
                                PartnerSearch.postcodeDistrict(f.match().postcode())),
                            new Fhir.BundleSearch("match"))))
            .orElse(List.of());
    // The search as run, in canonical form (not the request's own text).
    String self =
        urls.issuer()
            + PATIENT
            + "?identifier="
            + URLEncoder.encode(Fhir.NHS_NUMBER_SYSTEM + "|" + nhsNumber, StandardCharsets.UTF_8)
            + "&birthdate="
            + birthDate;
    Fhir.Bundle bundle =
        Fhir.Bundle.searchset(
            UUID.randomUUID().toString(),
            clock.instant().truncatedTo(ChronoUnit.MILLIS).toString(),
            self,
            entries);
    return fhirJson(bundle);
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
      uri = "/Patient/{id}",
      produces = {Fhir.JSON, MediaType.APPLICATION_JSON})
  @Operation(
      summary = "Read a patient by this organisation's id for them (FHIR R4)",
      description =
          "The id is the one a search (or the JSON lookup) gave this organisation; the searchset"
              + " entries' fullUrl. The UK Core Patient while the resident still shares a category"
              + " this organisation may read; otherwise (another organisation's id, unknown,"
              + " consent withdrawn, NHS number or date of birth changed since) 404"
              + " RESOURCE_NOT_FOUND. Audited as a lookup. Requires X-Request-ID (a UUID).")
  @ApiResponse(
      responseCode = "200",
      description = "The Patient",
      content =
          @Content(mediaType = Fhir.JSON, schema = @Schema(implementation = Fhir.Patient.class)))
  @ApiResponse(
      responseCode = "400",
      description = "X-Request-ID missing or not a UUID: MISSING_VALUE or INVALID_VALUE",
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
      responseCode = "404",
      description = "RESOURCE_NOT_FOUND",
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
  HttpResponse<byte[]> readPatient(
      HttpRequest<?> request, Authentication principal, @PathVariable String id) {
    PartnerCaller caller = gate.admit(request, principal);
    PartnerAccess.PatientRead read =
        access.patient(caller, id).orElseThrow(ProblemException.NotFound::new);
    AccountService.PartnerIdentity identity = read.identity();
    return fhirJson(
        new Fhir.Patient(
            read.id(),
            identity.nhsNumber(),
            identity.familyName(),
            identity.givenName(),
            identity.birthDate().toString(),
            PartnerSearch.postcodeDistrict(identity.postcode())));
  }

  private String patientUrl(String id) {
    return urls.issuer() + PATIENT + "/" + id;
  }

  private HttpResponse<byte[]> fhirJson(Object resource) {
    try {
      return HttpResponse.<byte[]>status(HttpStatus.OK)
          .body(json.writeValueAsBytes(resource))
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
  private static LocalDate birthDate(@Nullable String birthdate, LocalDate today) {
    if (birthdate == null || birthdate.isBlank()) {
      throw FhirException.badRequest(
          "required", SpineCode.MISSING_VALUE, "birthdate is required: YYYY-MM-DD");
    }
    String date = birthdate.startsWith("eq") ? birthdate.substring(2) : birthdate;
    try {
      return PartnerSearch.birthDate("birthdate", date, today);
    } catch (ProblemException.InvalidField invalid) {
      throw FhirException.badRequest(
          "invalid",
          SpineCode.INVALID_VALUE,
          "birthdate must be a date as YYYY-MM-DD, optionally prefixed with eq, from "
              + PartnerSearch.EARLIEST_BIRTH_DATE
              + " to today");
    }
  }
}
