package uk.gov.residentportal.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.partner.PartnerSteps.PARTNER_RX1;
import static uk.gov.residentportal.partner.PartnerSteps.RX1;
import static uk.gov.residentportal.partner.PartnerSteps.auditOf;
import static uk.gov.residentportal.partner.PartnerSteps.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.partner.PartnerSteps.Resident;
import uk.gov.residentportal.records.DocumentStore;
import uk.gov.residentportal.records.RecordIngestion;
import uk.gov.residentportal.support.Portal;

/**
 * GET /fhir/r4/Patient: every answer is parsed with HAPI FHIR's R4 parser (strict), as a FHIR
 * client would, to show it is valid FHIR.
 */
@MicronautTest(transactional = false)
class FhirPatientSearchTest {
  private static final FhirContext FHIR = FhirContext.forR4();
  private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
  private static final String SPINE = "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode";

  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;
  @Inject DocumentStore store;

  Portal portal;
  PartnerSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new PartnerSteps(portal, ingestion, store);
    PartnerSteps.activeOrganisations();
  }

  private static IParser parser() {
    FHIR.setParserErrorHandler(new StrictErrorHandler());
    return FHIR.newJsonParser();
  }

  private static String search(String identifier, String birthdate) {
    StringBuilder path = new StringBuilder("/fhir/r4/Patient?");
    if (identifier != null) {
      path.append("identifier=").append(URLEncoder.encode(identifier, StandardCharsets.UTF_8));
    }
    if (birthdate != null) {
      path.append("&birthdate=").append(birthdate);
    }
    return path.toString();
  }

  private static Bundle bundle(Portal.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/fhir+json");
    return parser().parseResource(Bundle.class, response.body());
  }

  /** Asserts an OperationOutcome of that status, issue type and Spine code. */
  private static void assertOutcome(
      Portal.Response response, int status, String issueType, String spineCode) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/fhir+json");
    OperationOutcome outcome = parser().parseResource(OperationOutcome.class, response.body());
    assertThat(outcome.getIssue()).hasSize(1);
    OperationOutcome.OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
    assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
    assertThat(issue.getCode().toCode()).isEqualTo(issueType);
    assertThat(issue.getDetails().getCodingFirstRep().getSystem()).isEqualTo(SPINE);
    assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(spineCode);
  }

  @Test
  void findsAConsentingResidentAsAUkCorePatientInASearchsetBundle() {
    Resident resident = steps.resident("P1");
    consent(resident.accountId(), RX1, "HOUSING");
    String requestId = UUID.randomUUID().toString();

    Portal.Response response =
        portal.get(
            search(NHS + "|" + resident.nhsNumber(), resident.birthDate().toString()),
            steps.token(PARTNER_RX1),
            "X-Request-ID",
            requestId,
            "Accept",
            "application/fhir+json");

    Bundle bundle = bundle(response);
    assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
    assertThat(bundle.getTotal()).isEqualTo(1);
    Bundle.BundleEntryComponent entry = bundle.getEntryFirstRep();
    assertThat(entry.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.MATCH);
    Patient patient = (Patient) entry.getResource();
    String id = patient.getIdElement().getIdPart();
    assertThat(id).isEqualTo(steps.partnerId(PARTNER_RX1, resident));
    assertThat(entry.getFullUrl()).endsWith("/fhir/r4/Patient/" + id);
    assertThat(patient.getMeta().getProfile())
        .extracting(p -> p.getValue())
        .containsExactly("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient");
    assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(NHS);
    assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo(resident.nhsNumber());
    // Typed by the resident and matched, never traced against PDS: partners are told so.
    org.hl7.fhir.r4.model.CodeableConcept verification =
        (org.hl7.fhir.r4.model.CodeableConcept)
            patient
                .getIdentifierFirstRep()
                .getExtensionByUrl(
                    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus")
                .getValue();
    assertThat(verification.getCodingFirstRep().getSystem())
        .isEqualTo("https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland");
    assertThat(verification.getCodingFirstRep().getCode()).isEqualTo("02");
    assertThat(patient.getNameFirstRep().getUse().toCode()).isEqualTo("official");
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Lovelace");
    assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Ada");
    assertThat(patient.getBirthDateElement().getValueAsString())
        .isEqualTo(resident.birthDate().toString());
    assertThat(patient.getAddress())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getPostalCode()).isEqualTo("LE1");
              assertThat(a.getLine()).isEmpty();
            });
    assertThat(response.header("X-Request-ID")).isEqualTo(requestId);
    assertThat(auditOf(requestId))
        .isEqualTo("PARTNER_LOOKUP SUCCESS RX1 DIRECT_CARE " + resident.accountId() + " -");

    // FHIR's eq prefix on the date is the same search.
    assertThat(
            bundle(
                    steps.call(
                        PARTNER_RX1,
                        search(NHS + "|" + resident.nhsNumber(), "eq" + resident.birthDate())))
                .getTotal())
        .isEqualTo(1);
  }

  @Test
  void answersAnEmptyBundleWhenNoConsentingResidentMatches() {
    Resident unconsented = steps.resident("P1");
    String requestId = UUID.randomUUID().toString();

    Portal.Response response =
        portal.get(
            search(NHS + "|" + unconsented.nhsNumber(), unconsented.birthDate().toString()),
            steps.token(PARTNER_RX1),
            "X-Request-ID",
            requestId);

    Bundle bundle = bundle(response);
    assertThat(bundle.getTotal()).isZero();
    assertThat(bundle.getEntry()).isEmpty();
    assertThat(auditOf(requestId))
        .isEqualTo("PARTNER_LOOKUP NOT_FOUND RX1 DIRECT_CARE " + unconsented.accountId() + " -");
  }

  @Test
  void refusesAnIdentifierOfAnotherSystem() {
    assertOutcome(
        steps.call(
            PARTNER_RX1,
            search("https://fhir.nhs.uk/Id/ods-organization-code|9434765919", "1980-01-01")),
        400,
        "invalid",
        "INVALID_IDENTIFIER_SYSTEM");
    assertOutcome(
        steps.call(PARTNER_RX1, search("9434765919", "1980-01-01")),
        400,
        "invalid",
        "INVALID_IDENTIFIER_SYSTEM");
  }

  @Test
  void refusesAMissingIdentifierOrBirthdate() {
    assertOutcome(
        steps.call(PARTNER_RX1, search(null, "1980-01-01")), 400, "required", "MISSING_VALUE");
    assertOutcome(
        steps.call(PARTNER_RX1, search(NHS + "|9434765919", null)),
        400,
        "required",
        "MISSING_VALUE");
  }

  @Test
  void refusesAnInvalidNhsNumberOrDate() {
    assertOutcome(
        steps.call(PARTNER_RX1, search(NHS + "|9434765918", "1980-01-01")),
        400,
        "invalid",
        "INVALID_IDENTIFIER_VALUE");
    assertOutcome(
        steps.call(PARTNER_RX1, search(NHS + "|1111111111", "1980-01-01")),
        400,
        "invalid",
        "INVALID_IDENTIFIER_VALUE");
    assertOutcome(
        steps.call(PARTNER_RX1, search(NHS + "|9434765919", "ge1980-01-01")),
        400,
        "invalid",
        "INVALID_VALUE");
  }

  @Test
  void answersGateAndSecurityErrorsAsOperationOutcomes() {
    String path = search(NHS + "|9434765919", "1980-01-01");
    assertOutcome(portal.get(path, steps.token(PARTNER_RX1)), 400, "required", "MISSING_VALUE");
    assertOutcome(
        portal.get(path, steps.token(PARTNER_RX1), "X-Request-ID", "nope"),
        400,
        "invalid",
        "INVALID_VALUE");
    Portal.Response noToken = portal.get(path, null, "X-Request-ID", UUID.randomUUID().toString());
    assertOutcome(noToken, 401, "login", "ACCESS_DENIED");
    assertThat(noToken.header("WWW-Authenticate")).startsWith("Bearer");
    assertOutcome(
        portal.get(
            "/fhir/r4/Observation",
            steps.token(PARTNER_RX1),
            "X-Request-ID",
            UUID.randomUUID().toString()),
        404,
        "not-found",
        "RESOURCE_NOT_FOUND");
    // No Spine code fits a wrong method: an issue without details.
    Portal.Response post =
        portal.post(
            "/fhir/r4/Patient",
            "application/fhir+json",
            "{}",
            "Authorization",
            "Bearer " + steps.token(PARTNER_RX1),
            "X-Request-ID",
            UUID.randomUUID().toString());
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.contentType()).startsWith("application/fhir+json");
    OperationOutcome outcome = parser().parseResource(OperationOutcome.class, post.body());
    assertThat(outcome.getIssueFirstRep().getCode().toCode()).isEqualTo("not-supported");
    assertThat(outcome.getIssueFirstRep().hasDetails()).isFalse();
  }

  private static String read(String id) {
    return "/fhir/r4/Patient/" + id;
  }

  private static Patient patient(Portal.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/fhir+json");
    return parser().parseResource(Patient.class, response.body());
  }

  @Test
  void linksTheSearchsetToItselfAndReadsThePatientAtTheEntrysFullUrl() {
    Resident resident = steps.resident("P1");
    consent(resident.accountId(), RX1, "HOUSING");

    Bundle bundle =
        bundle(
            steps.call(
                PARTNER_RX1,
                search(NHS + "|" + resident.nhsNumber(), "eq" + resident.birthDate())));

    assertThat(bundle.getLink()).hasSize(1);
    assertThat(bundle.getLinkFirstRep().getRelation()).isEqualTo("self");
    assertThat(bundle.getLinkFirstRep().getUrl())
        .endsWith(
            "/fhir/r4/Patient?identifier="
                + URLEncoder.encode(NHS + "|" + resident.nhsNumber(), StandardCharsets.UTF_8)
                + "&birthdate="
                + resident.birthDate());
    String fullUrl = bundle.getEntryFirstRep().getFullUrl();
    String id = bundle.getEntryFirstRep().getResource().getIdElement().getIdPart();
    assertThat(fullUrl).endsWith(read(id));
    String requestId = UUID.randomUUID().toString();

    Patient patient =
        patient(
            portal.get(
                fullUrl.substring(fullUrl.indexOf("/fhir/")),
                steps.token(PARTNER_RX1),
                "X-Request-ID",
                requestId));

    assertThat(patient.getIdElement().getIdPart()).isEqualTo(id);
    assertThat(patient.getMeta().getProfile())
        .extracting(p -> p.getValue())
        .containsExactly("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient");
    assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(NHS);
    assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo(resident.nhsNumber());
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Lovelace");
    assertThat(patient.getBirthDateElement().getValueAsString())
        .isEqualTo(resident.birthDate().toString());
    assertThat(patient.getAddressFirstRep().getPostalCode()).isEqualTo("LE1");
    assertThat(auditOf(requestId))
        .isEqualTo("PARTNER_LOOKUP SUCCESS RX1 DIRECT_CARE " + resident.accountId() + " -");
    // An empty searchset links to itself too.
    assertThat(
            bundle(
                    steps.call(
                        PARTNER_RX1, search(NHS + "|" + PartnerSteps.newNhsNumber(), "1980-01-01")))
                .getLinkFirstRep()
                .getRelation())
        .isEqualTo("self");
  }

  @Test
  void answersResourceNotFoundForAPatientThisOrganisationMayNotRead() {
    Resident resident = steps.resident("P1");
    String rx1Consent = consent(resident.accountId(), RX1, "HOUSING");
    consent(resident.accountId(), PartnerSteps.RX2, "HOUSING");
    String id = steps.partnerId(PARTNER_RX1, resident);
    String rx2Id = steps.partnerId(PartnerSteps.PARTNER_RX2, resident);
    Resident socialCareOnly = steps.resident("P1");
    String socialCareConsent = consent(socialCareOnly.accountId(), RX1, "HOUSING");
    String socialCareId = steps.partnerId(PARTNER_RX1, socialCareOnly);
    PartnerSteps.withdraw(socialCareConsent);
    consent(socialCareOnly.accountId(), RX1, "SOCIAL_CARE");

    assertThat(patient(steps.call(PARTNER_RX1, read(id))).getIdElement().getIdPart()).isEqualTo(id);
    // Another organisation's id, an unknown one, one that is not an id at all.
    assertOutcome(steps.call(PARTNER_RX1, read(rx2Id)), 404, "not-found", "RESOURCE_NOT_FOUND");
    assertOutcome(
        steps.call(PARTNER_RX1, read(UUID.randomUUID().toString())),
        404,
        "not-found",
        "RESOURCE_NOT_FOUND");
    assertOutcome(steps.call(PARTNER_RX1, read("x")), 404, "not-found", "RESOURCE_NOT_FOUND");
    // Consent only to a category the resident's assurance does not open (SOCIAL_CARE needs P2).
    assertOutcome(
        steps.call(PARTNER_RX1, read(socialCareId)), 404, "not-found", "RESOURCE_NOT_FOUND");
    // Consent withdrawn: the very next read.
    PartnerSteps.withdraw(rx1Consent);
    String requestId = UUID.randomUUID().toString();
    assertOutcome(
        portal.get(read(id), steps.token(PARTNER_RX1), "X-Request-ID", requestId),
        404,
        "not-found",
        "RESOURCE_NOT_FOUND");
    assertThat(auditOf(requestId))
        .isEqualTo("PARTNER_LOOKUP NOT_FOUND RX1 DIRECT_CARE " + resident.accountId() + " -");
    // The read passes the same gate.
    assertOutcome(
        portal.get(read(rx2Id), steps.token(PARTNER_RX1)), 400, "required", "MISSING_VALUE");
  }

  @Test
  void answersAnEmptyBundleWhenTheConsentedCategoriesAreNotReadable() {
    Resident socialCareOnly = steps.resident("P1");
    consent(socialCareOnly.accountId(), RX1, "SOCIAL_CARE");

    Bundle bundle =
        bundle(
            steps.call(
                PARTNER_RX1,
                search(
                    NHS + "|" + socialCareOnly.nhsNumber(),
                    socialCareOnly.birthDate().toString())));

    assertThat(bundle.getTotal()).isZero();
    assertThat(bundle.getEntry()).isEmpty();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"1879-12-31", "0000-01-01", "eq0000-01-01", "99999-01-01", "eq99999-01-01"})
  void refusesABirthdateOutOfBoundsWithInvalidValue(String birthdate) {
    assertOutcome(
        steps.call(PARTNER_RX1, search(NHS + "|9434765919", birthdate)),
        400,
        "invalid",
        "INVALID_VALUE");
  }

  @Test
  void refusesABirthdateAfterToday() {
    String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2).toString();

    assertOutcome(
        steps.call(PARTNER_RX1, search(NHS + "|9434765919", tomorrow)),
        400,
        "invalid",
        "INVALID_VALUE");
    assertThat(
            bundle(steps.call(PARTNER_RX1, search(NHS + "|9434765919", "1880-01-01"))).getTotal())
        .isZero();
  }
}
