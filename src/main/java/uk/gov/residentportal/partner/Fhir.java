package uk.gov.residentportal.partner;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The few FHIR R4 resources the partner API answers with, as plain records: a searchset {@link
 * Bundle} of UK Core-shaped {@link Patient}s, and {@link OperationOutcome} for errors. Components
 * are in FHIR's element order; absent values are left out (the service writes no nulls), and lists
 * are null rather than empty, since FHIR JSON allows no empty arrays.
 *
 * <p>Why not HAPI FHIR's structures: hapi-fhir-structures-r4 8.12.1 with what it brings is about 45
 * MB of jars (org.hl7.fhir.r4 13 MB, icu4j 15 MB, Saxon-HE 6 MB, guava, utilities...) and its
 * FhirContext takes seconds to start, for seven small shapes. Tests parse every answer with HAPI
 * (test scope) to prove it is valid FHIR.
 */
final class Fhir {
  static final String JSON = "application/fhir+json";
  static final MediaType MEDIA_TYPE = MediaType.of(JSON);

  static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
  static final String UK_CORE_PATIENT =
      "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";
  static final String SPINE_ERROR_CODES =
      "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode";

  // UK Core: how far the NHS number was checked. Residents type theirs and the portal matches it
  // with the date of birth; nobody traced it against the Personal Demographics Service, so every
  // Patient says "02 Number present but not traced" and a clinician knows to confirm it.
  static final String NHS_NUMBER_VERIFICATION =
      "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";
  static final String NHS_NUMBER_VERIFICATION_CODES =
      "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland";
  static final String NOT_TRACED = "02";

  private Fhir() {}

  @Serdeable
  @Schema(name = "FhirMeta")
  record Meta(List<String> profile) {}

  @Serdeable
  @Schema(name = "FhirCoding")
  record Coding(String system, String code, @Nullable String display) {}

  @Serdeable
  @Schema(name = "FhirCodeableConcept")
  record CodeableConcept(List<Coding> coding) {}

  @Serdeable
  @Schema(name = "FhirExtension")
  record Extension(String url, CodeableConcept valueCodeableConcept) {}

  @Serdeable
  @Schema(name = "FhirIdentifier")
  record Identifier(@Nullable List<Extension> extension, String system, String value) {

    /** An NHS number as residents give it: present, not traced against PDS. */
    static Identifier untracedNhsNumber(String nhsNumber) {
      return new Identifier(
          List.of(
              new Extension(
                  NHS_NUMBER_VERIFICATION,
                  new CodeableConcept(
                      List.of(
                          new Coding(
                              NHS_NUMBER_VERIFICATION_CODES,
                              NOT_TRACED,
                              "Number present but not traced"))))),
          NHS_NUMBER_SYSTEM,
          nhsNumber);
    }
  }

  @Serdeable
  @Schema(name = "FhirHumanName")
  record HumanName(String use, @Nullable String family, @Nullable List<String> given) {}

  @Serdeable
  @Schema(name = "FhirAddress")
  record Address(String postalCode) {}

  /** UK Core Patient: only what the partner may learn. {@link #toString()} names no one. */
  @Serdeable
  @Schema(name = "FhirPatient")
  record Patient(
      String resourceType,
      String id,
      Meta meta,
      List<Identifier> identifier,
      @Nullable List<HumanName> name,
      String birthDate,
      @Nullable List<Address> address) {
    Patient(
        String id,
        String nhsNumber,
        @Nullable String family,
        @Nullable String given,
        String birthDate,
        @Nullable String postcodeDistrict) {
      this(
          "Patient",
          id,
          new Meta(List.of(UK_CORE_PATIENT)),
          List.of(Identifier.untracedNhsNumber(nhsNumber)),
          family == null && given == null
              ? null
              : List.of(new HumanName("official", family, given == null ? null : List.of(given))),
          birthDate,
          postcodeDistrict == null ? null : List.of(new Address(postcodeDistrict)));
    }

    @Override
    public String toString() {
      return "Patient[id=" + id + "]";
    }
  }

  @Serdeable
  @Schema(name = "FhirBundleSearch")
  record BundleSearch(String mode) {}

  @Serdeable
  @Schema(name = "FhirBundleLink")
  record BundleLink(String relation, String url) {}

  @Serdeable
  @Schema(name = "FhirBundleEntry")
  record BundleEntry(String fullUrl, Patient resource, BundleSearch search) {}

  /** A searchset Bundle: its self link, and the matches or none (total 0, no entry). */
  @Serdeable
  @Schema(name = "FhirBundle")
  record Bundle(
      String resourceType,
      String id,
      String type,
      String timestamp,
      int total,
      List<BundleLink> link,
      @Nullable List<BundleEntry> entry) {
    static Bundle searchset(
        String id, String timestamp, String selfUrl, List<BundleEntry> entries) {
      return new Bundle(
          "Bundle",
          id,
          "searchset",
          timestamp,
          entries.size(),
          List.of(new BundleLink("self", selfUrl)),
          entries.isEmpty() ? null : List.copyOf(entries));
    }
  }

  @Serdeable
  @Schema(name = "FhirIssue")
  record Issue(
      String severity,
      String code,
      // Not @Nullable (OpenAPI would wrap the $ref in allOf beside nullable); left out when null.
      @Schema(
              description = "The Spine error code; absent when none fits",
              requiredMode = Schema.RequiredMode.NOT_REQUIRED)
          CodeableConcept details,
      @Nullable String diagnostics) {}

  @Serdeable
  @Schema(name = "FhirOperationOutcome")
  record OperationOutcome(String resourceType, List<Issue> issue) {
    /** One error; {@code spineCode} (Spine-ErrorOrWarningCode) may be null. */
    static OperationOutcome error(
        String issueCode, @Nullable SpineCode spineCode, @Nullable String diagnostics) {
      CodeableConcept details =
          spineCode == null
              ? null
              : new CodeableConcept(
                  List.of(new Coding(SPINE_ERROR_CODES, spineCode.name(), spineCode.display())));
      return new OperationOutcome(
          "OperationOutcome", List.of(new Issue("error", issueCode, details, diagnostics)));
    }
  }

  /** The NHS Spine error codes the partner API uses (Spine-ErrorOrWarningCode). */
  enum SpineCode {
    INVALID_VALUE("Provided value is invalid"),
    MISSING_VALUE("Required value is missing"),
    INVALID_IDENTIFIER_SYSTEM("Invalid identifier system"),
    INVALID_IDENTIFIER_VALUE("Provided identifier value is invalid"),
    ACCESS_DENIED("Access has been denied to process this request"),
    RESOURCE_NOT_FOUND("Resource not found"),
    TOO_MANY_REQUESTS("Too many requests");

    private final String display;

    SpineCode(String display) {
      this.display = display;
    }

    String display() {
      return display;
    }
  }
}
