package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.gov.residentportal.records.IngestionSteps.FORBIDDEN;
import static uk.gov.residentportal.records.IngestionSteps.anItem;
import static uk.gov.residentportal.records.IngestionSteps.anUpsert;
import static uk.gov.residentportal.records.IngestionSteps.assertProblem;
import static uk.gov.residentportal.records.IngestionSteps.batch;
import static uk.gov.residentportal.records.IngestionSteps.count;
import static uk.gov.residentportal.records.IngestionSteps.newAccountRef;
import static uk.gov.residentportal.records.IngestionSteps.newRef;
import static uk.gov.residentportal.records.IngestionSteps.postBatch;
import static uk.gov.residentportal.records.IngestionSteps.problemOf;
import static uk.gov.residentportal.records.IngestionSteps.put;
import static uk.gov.residentportal.records.IngestionSteps.results;
import static uk.gov.residentportal.records.IngestionSteps.string;
import static uk.gov.residentportal.records.IngestionSteps.with;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.account.Assurance;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;

/**
 * portal.records.subject-authorities: any back-office system may write records about any subject,
 * but only the authority of a subject's type (COUNCIL_TAX for council tax accounts) may set the
 * subject's postcode, the secret that linking by reference and postcode checks.
 */
@MicronautTest(transactional = false)
class IngestionSubjectAuthorityTest {
  private static final String SUBJECT_POSTCODE =
      "SELECT s.postcode FROM record_subjects s WHERE s.subject_type = ? AND s.subject_ref = ?";

  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;
  @Inject RecordsConfig config;

  Portal portal;
  String councilTax;
  String parking;

  @BeforeEach
  void connect() {
    portal = new Portal(server.getURI());
    councilTax = MachineTokens.tokenFor(portal, MachineTokens.COUNCIL_TAX_SYSTEM);
    parking = MachineTokens.tokenFor(portal, MachineTokens.PARKING_SYSTEM);
  }

  private static Map<String, Object> aboutAccount(String accountRef, String postcode) {
    return with(with(anUpsert(), "subjectRef", accountRef), "subjectPostcode", postcode);
  }

  private static Map<String, Object> aboutProperty(String uprn, String postcode) {
    return with(
        with(with(anUpsert(), "subjectType", "PROPERTY"), "subjectRef", uprn),
        "subjectPostcode",
        postcode);
  }

  private static String newUprn() {
    return String.valueOf(ThreadLocalRandom.current().nextLong(1L, 999_999_999_999L));
  }

  @Nested
  class Upsert {
    @Test
    void refusesTheSubjectPostcodeOfACouncilTaxAccountFromAnotherSystemWith403() {
      String ref = newRef();

      Portal.Response response =
          put(portal, parking, "PARKING", ref, aboutAccount(newAccountRef(), "LE1 6ZG"));

      Map<String, Object> problem = assertProblem(response, 403, FORBIDDEN);
      assertThat((String) problem.get("detail"))
          .contains("subjectPostcode")
          .contains("COUNCIL_TAX_ACCOUNT")
          .contains("Only COUNCIL_TAX may");
      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", ref)).isZero();
    }

    @Test
    void keepsTheAuthoritysPostcodeSoLinkingStillMatchesIt() {
      String account = newAccountRef();
      put(portal, councilTax, "COUNCIL_TAX", newRef(), aboutAccount(account, "LE1 6ZG"));

      Portal.Response overwrite =
          put(portal, parking, "PARKING", newRef(), aboutAccount(account, "SW1A 1AA"));

      assertProblem(overwrite, 403, FORBIDDEN);
      assertThat(string(SUBJECT_POSTCODE, "COUNCIL_TAX_ACCOUNT", account)).isEqualTo("LE1 6ZG");
      LinkSteps steps = new LinkSteps(portal, ingestion);
      String resident = portal.newResident(Portal.newEmail()).accessToken();
      assertProblem(
          steps.linkByReference(resident, account, "SW1A 1AA"), 422, LinkSteps.UNPROCESSABLE);
      assertThat(steps.linkByReference(resident, account, "LE1 6ZG").status()).isEqualTo(201);
    }

    @Test
    void letsAnySystemWriteARecordAboutACouncilTaxAccountShownWithItsSourceSystem() {
      String account = newAccountRef();
      put(portal, councilTax, "COUNCIL_TAX", newRef(), aboutAccount(account, "LE1 6ZG"));

      Portal.Response response =
          put(portal, parking, "PARKING", newRef(), aboutAccount(account, null));

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      String recordId = (String) response.json().get("id");
      String resident = portal.newResident(Portal.newEmail()).accessToken();
      assertThat(
              new LinkSteps(portal, ingestion)
                  .linkByReference(resident, account, "LE1 6ZG")
                  .status())
          .isEqualTo(201);
      Portal.Response read = portal.get("/api/v1/me/records/" + recordId, resident);
      assertThat(read.status()).as(read.body()).isEqualTo(200);
      assertThat(read.json()).containsEntry("sourceSystem", "PARKING");
    }

    @Test
    void letsTheAuthoritySetThePostcode() {
      String account = newAccountRef();

      Portal.Response response =
          put(portal, councilTax, "COUNCIL_TAX", newRef(), aboutAccount(account, "le1 6zg"));

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      assertThat(string(SUBJECT_POSTCODE, "COUNCIL_TAX_ACCOUNT", account)).isEqualTo("LE1 6ZG");
    }

    @Test
    void letsAnySystemSetThePostcodeOfASubjectTypeWithoutAuthority() {
      String uprn = newUprn();

      Portal.Response response =
          put(portal, parking, "PARKING", newRef(), aboutProperty(uprn, "LE1 6ZG"));

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      assertThat(string(SUBJECT_POSTCODE, "PROPERTY", uprn)).isEqualTo("LE1 6ZG");
    }

    @Test
    void acceptsABlankPostcodeFromAnotherSystemAsNone() {
      Portal.Response response =
          put(portal, parking, "PARKING", newRef(), aboutAccount(newAccountRef(), "  "));

      assertThat(response.status()).as(response.body()).isEqualTo(201);
    }
  }

  @Nested
  class Batch {
    @Test
    void failsOnlyTheItemsWhosePostcodeTheSystemMayNotSet() {
      String refused = newRef();
      String withoutPostcode = newRef();
      String property = newRef();
      String account = newAccountRef();
      List<Map<String, Object>> items =
          List.of(
              with(
                  with(anItem("PARKING", refused), "subjectRef", account),
                  "subjectPostcode",
                  "SW1A 1AA"),
              with(
                  with(anItem("PARKING", withoutPostcode), "subjectRef", account),
                  "subjectPostcode",
                  null),
              with(
                  with(anItem("PARKING", property), "subjectType", "PROPERTY"),
                  "subjectRef",
                  newUprn()));

      List<Map<String, Object>> results = results(postBatch(portal, parking, batch(items)));

      assertThat(results.get(0)).containsEntry("externalRef", refused);
      assertThat(problemOf(results.get(0)))
          .containsEntry("type", FORBIDDEN)
          .containsEntry("status", 403L);
      assertThat((String) problemOf(results.get(0)).get("detail")).contains("subjectPostcode");
      assertThat(results.get(1)).containsEntry("status", "CREATED");
      assertThat(results.get(2)).containsEntry("status", "CREATED");
      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", refused)).isZero();
      assertThat(
              count(
                  "SELECT COUNT(*) FROM record_subjects WHERE subject_ref = ? AND postcode IS NULL",
                  account))
          .isEqualTo(1);
    }
  }

  @Nested
  class Configuration {
    private RecordsConfig withAuthorities(Map<String, List<String>> authorities) {
      return new RecordsConfig(
          Map.of("OTHER", Assurance.P1), 10 * 1024 * 1024, Duration.ofDays(30), 5, 10, authorities);
    }

    @Test
    void makesCouncilTaxTheOnlyAuthorityOfCouncilTaxAccountsByDefault() {
      assertThat(config.authoritiesFor(SubjectType.COUNCIL_TAX_ACCOUNT))
          .contains(List.of("COUNCIL_TAX"));
      assertThat(config.isAuthority(SubjectType.COUNCIL_TAX_ACCOUNT, "COUNCIL_TAX")).isTrue();
      assertThat(config.isAuthority(SubjectType.COUNCIL_TAX_ACCOUNT, "PARKING")).isFalse();
      assertThat(config.authoritiesFor(SubjectType.PROPERTY)).isEmpty();
      assertThat(config.isAuthority(SubjectType.PROPERTY, "PARKING")).isTrue();
      assertThat(config.referenceFailuresPerDay()).isEqualTo(10);
    }

    @Test
    void acceptsTypesWrittenAsPropertyKeys() {
      RecordsConfig parsed =
          withAuthorities(Map.of("council-tax-account", List.of("COUNCIL_TAX", "REVENUES")));

      assertThat(parsed.authoritiesFor(SubjectType.COUNCIL_TAX_ACCOUNT))
          .contains(List.of("COUNCIL_TAX", "REVENUES"));
    }

    @Test
    void leavesEveryTypeOpenWithoutAuthorities() {
      assertThat(withAuthorities(null).isAuthority(SubjectType.COUNCIL_TAX_ACCOUNT, "PARKING"))
          .isTrue();
    }

    @Test
    void refusesAnUnknownSubjectType() {
      assertThatThrownBy(() -> withAuthorities(Map.of("COUNCIL_TAX", List.of("COUNCIL_TAX"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("portal.records.subject-authorities")
          .hasMessageContaining("not a subject type");
    }

    @Test
    void refusesATypeWithoutSystems() {
      assertThatThrownBy(() -> withAuthorities(Map.of("COUNCIL_TAX_ACCOUNT", List.of())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("portal.records.subject-authorities.COUNCIL_TAX_ACCOUNT")
          .hasMessageContaining("at least one source system");
    }

    @Test
    void refusesASystemNameThatNoClientCanHave() {
      assertThatThrownBy(
              () -> withAuthorities(Map.of("COUNCIL_TAX_ACCOUNT", List.of("council tax"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'council tax' must be an upper-case source system name");
    }

    @Test
    void refusesTheSameTypeTwice() {
      Map<String, List<String>> twice = new HashMap<>();
      twice.put("COUNCIL_TAX_ACCOUNT", List.of("COUNCIL_TAX"));
      twice.put("council-tax-account", List.of("PARKING"));

      assertThatThrownBy(() -> withAuthorities(twice))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("names COUNCIL_TAX_ACCOUNT twice");
    }

    @Test
    void refusesAReferenceLimitBelowOne() {
      assertThatThrownBy(
              () ->
                  new RecordsConfig(
                      Map.of("OTHER", Assurance.P1),
                      10 * 1024 * 1024,
                      Duration.ofDays(30),
                      5,
                      0,
                      null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("portal.records.reference-failures-per-day");
    }
  }
}
