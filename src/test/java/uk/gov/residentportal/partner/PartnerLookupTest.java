package uk.gov.residentportal.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.partner.PartnerSteps.PARTNER_RX1;
import static uk.gov.residentportal.partner.PartnerSteps.PARTNER_RX2;
import static uk.gov.residentportal.partner.PartnerSteps.RX1;
import static uk.gov.residentportal.partner.PartnerSteps.RX2;
import static uk.gov.residentportal.partner.PartnerSteps.assertInvalidField;
import static uk.gov.residentportal.partner.PartnerSteps.auditOf;
import static uk.gov.residentportal.partner.PartnerSteps.audits;
import static uk.gov.residentportal.partner.PartnerSteps.consent;
import static uk.gov.residentportal.partner.PartnerSteps.lookupPath;
import static uk.gov.residentportal.partner.PartnerSteps.notFoundBody;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.partner.PartnerSteps.Resident;
import uk.gov.residentportal.records.DocumentStore;
import uk.gov.residentportal.records.RecordIngestion;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/** GET /api/v1/partner/residents?nhsNumber=&birthDate=: matching, consent, the same 404, audit. */
@MicronautTest(transactional = false)
class PartnerLookupTest {
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

  @Test
  void findsAConsentingResidentWithAnIdOfTheOrganisationsOwn() {
    Resident resident = steps.resident("P1");
    consent(resident.accountId(), RX1, "HOUSING", "COUNCIL_TAX");
    consent(resident.accountId(), "ALL_NHS", "BENEFITS");
    String requestId = UUID.randomUUID().toString();

    Portal.Response found =
        portal.get(
            lookupPath(resident.nhsNumber(), resident.birthDate().toString()),
            steps.token(PARTNER_RX1),
            "X-Request-ID",
            requestId);

    assertThat(found.status()).as(found.body()).isEqualTo(200);
    assertThat(found.header("X-Request-ID")).isEqualTo(requestId);
    Map<String, Object> body = found.json();
    assertThat(body)
        .containsEntry("givenName", "Ada")
        .containsEntry("familyName", "Lovelace")
        .containsEntry("postcodeDistrict", "LE1")
        .doesNotContainKeys("nhsNumber", "email", "accountId", "postcode");
    assertThat(Portal.list(body.get("categories")))
        .containsExactly("BENEFITS", "COUNCIL_TAX", "HOUSING");
    String id = (String) body.get("id");
    assertThat(id).isNotEqualTo(resident.accountId()).matches("[0-9a-f-]{36}");
    assertThat(auditOf(requestId))
        .isEqualTo("PARTNER_LOOKUP SUCCESS RX1 DIRECT_CARE " + resident.accountId() + " -");

    // The same id the next time; another organisation gets another one.
    assertThat(steps.partnerId(PARTNER_RX1, resident)).isEqualTo(id);
    String other = steps.partnerId(PARTNER_RX2, resident);
    assertThat(other).isNotEqualTo(id);
    assertThat(
            Sql.count(
                "SELECT COUNT(*) FROM partner_residents WHERE account_id = ?",
                resident.accountId()))
        .isEqualTo(2);
  }

  @Test
  void givesConcurrentFirstLookupsOneId() throws Exception {
    Resident resident = steps.resident("P1");
    consent(resident.accountId(), RX1, "HOUSING");
    steps.token(PARTNER_RX1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ids.add(pool.submit(() -> steps.partnerId(PARTNER_RX1, resident)));
      }
      Set<String> distinct = new HashSet<>();
      for (Future<String> id : ids) {
        distinct.add(id.get(30, TimeUnit.SECONDS));
      }

      assertThat(distinct).hasSize(1);
      assertThat(
              Sql.count(
                  "SELECT COUNT(*) FROM partner_residents WHERE account_id = ?",
                  resident.accountId()))
          .isEqualTo(1);
      assertThat(audits("PARTNER_LOOKUP", "SUCCESS", PARTNER_RX1, resident.accountId()))
          .isEqualTo(8);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void answersEveryConcurrentFirstLookupOfSeveralResidentsByTwoOrganisations() throws Exception {
    // Racing INSERT IGNOREs of one key can deadlock in InnoDB; the lookup is then run again
    // (DeadlockRetry), never answered 503.
    List<Resident> residents = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Resident resident = steps.resident("P1");
      consent(resident.accountId(), "ALL_NHS", "HOUSING");
      residents.add(resident);
    }
    steps.token(PARTNER_RX1);
    steps.token(PARTNER_RX2);
    ExecutorService pool = Executors.newFixedThreadPool(24);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        Resident resident = residents.get(i % 3);
        String client = i % 2 == 0 ? PARTNER_RX1 : PARTNER_RX2;
        statuses.add(pool.submit(() -> steps.lookup(client, resident).status()));
      }
      for (Future<Integer> status : statuses) {
        assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(200);
      }

      for (Resident resident : residents) {
        assertThat(
                Sql.count(
                    "SELECT COUNT(*) FROM partner_residents WHERE account_id = ?",
                    resident.accountId()))
            .isEqualTo(2);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void answersTheSame404ForUnknownWrongBirthDateUnconsentedAndBelowP1() {
    Resident consenting = steps.resident("P1");
    consent(consenting.accountId(), RX1, "HOUSING");
    Resident otherOrganisationOnly = steps.resident("P1");
    consent(otherOrganisationOnly.accountId(), RX2, "HOUSING");
    Resident unassured = steps.resident("P0");
    consent(unassured.accountId(), RX1, "HOUSING");

    Portal.Response unknown =
        steps.call(PARTNER_RX1, lookupPath(PartnerSteps.newNhsNumber(), "1980-01-01"));
    Portal.Response wrongBirthDate =
        steps.call(
            PARTNER_RX1,
            lookupPath(consenting.nhsNumber(), consenting.birthDate().plusDays(1).toString()));
    Portal.Response unconsented = steps.lookup(PARTNER_RX1, otherOrganisationOnly);
    Portal.Response belowP1 = steps.lookup(PARTNER_RX1, unassured);

    Map<String, Object> expected = notFoundBody(unknown);
    assertThat(notFoundBody(wrongBirthDate)).isEqualTo(expected);
    assertThat(notFoundBody(unconsented)).isEqualTo(expected);
    assertThat(notFoundBody(belowP1)).isEqualTo(expected);
    // Refused lookups are audited; a matched account is named as the subject.
    assertThat(
            audits("PARTNER_LOOKUP", "NOT_FOUND", PARTNER_RX1, otherOrganisationOnly.accountId()))
        .isEqualTo(1);
    assertThat(
            Sql.count(
                "SELECT COUNT(*) FROM partner_residents WHERE account_id = ?",
                otherOrganisationOnly.accountId()))
        .isZero();
    // The organisation the resident does consent to finds them.
    assertThat(steps.lookup(PARTNER_RX2, otherOrganisationOnly).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "9434765918", // wrong check digit (9434765919 is valid)
        "943476591", // nine digits
        "94347659190", // eleven digits
        "94347659AB", // letters
        "1111111111", // one repeated digit (passes modulus 11)
        "0000000000"
      })
  void refusesAnInvalidNhsNumber(String nhsNumber) {
    assertInvalidField(steps.call(PARTNER_RX1, lookupPath(nhsNumber, "1980-01-01")), "nhsNumber");
  }

  @Test
  void requiresTheNhsNumberAndAnIsoBirthDate() {
    assertInvalidField(
        steps.call(PARTNER_RX1, PartnerSteps.RESIDENTS + "?birthDate=1980-01-01"), "nhsNumber");
    assertInvalidField(
        steps.call(PARTNER_RX1, PartnerSteps.RESIDENTS + "?nhsNumber=9434765919"), "birthDate");
    assertInvalidField(
        steps.call(PARTNER_RX1, lookupPath("9434765919", "01/02/1980")), "birthDate");
    assertInvalidField(
        steps.call(PARTNER_RX1, lookupPath("9434765919", "1980-02-30")), "birthDate");
  }

  @Test
  void answersTheSame404WhenTheConsentedCategoriesAreNotReadableAtTheAccountsAssurance() {
    // SOCIAL_CARE needs P2: a P1 resident who shares only that has nothing RX1 may read.
    Resident socialCareOnly = steps.resident("P1");
    consent(socialCareOnly.accountId(), RX1, "SOCIAL_CARE");
    String requestId = UUID.randomUUID().toString();

    Portal.Response unreadable =
        portal.get(
            lookupPath(socialCareOnly.nhsNumber(), socialCareOnly.birthDate().toString()),
            steps.token(PARTNER_RX1),
            "X-Request-ID",
            requestId);

    Portal.Response unknown =
        steps.call(PARTNER_RX1, lookupPath(PartnerSteps.newNhsNumber(), "1980-01-01"));
    assertThat(notFoundBody(unreadable)).isEqualTo(notFoundBody(unknown));
    assertThat(auditOf(requestId))
        .isEqualTo("PARTNER_LOOKUP NOT_FOUND RX1 DIRECT_CARE " + socialCareOnly.accountId() + " -");
    assertThat(
            Sql.count(
                "SELECT COUNT(*) FROM partner_residents WHERE account_id = ?",
                socialCareOnly.accountId()))
        .isZero();
  }

  @Test
  void runsTheSameQueriesForUnknownWrongBirthDateAndUnconsented() {
    Resident consenting = steps.resident("P1");
    consent(consenting.accountId(), RX1, "HOUSING");
    Resident unconsented = steps.resident("P1");
    consent(unconsented.accountId(), RX2, "HOUSING");
    steps.token(PARTNER_RX1);

    try (QueryLog log = QueryLog.start()) {
      List<String> unknown =
          log.of(
              () -> steps.call(PARTNER_RX1, lookupPath(PartnerSteps.newNhsNumber(), "1980-01-01")));
      List<String> wrongBirthDate =
          log.of(
              () ->
                  steps.call(
                      PARTNER_RX1,
                      lookupPath(
                          consenting.nhsNumber(), consenting.birthDate().plusDays(1).toString())));
      List<String> notConsented = log.of(() -> steps.lookup(PARTNER_RX1, unconsented));

      assertThat(unknown)
          .anyMatch(q -> q.contains("accounts"))
          .anyMatch(q -> q.contains("consents"));
      assertThat(wrongBirthDate).isEqualTo(unknown);
      assertThat(notConsented).isEqualTo(unknown);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1879-12-31", "0000-01-01", "0001-01-01", "99999-01-01", "+9999-01-01"})
  void refusesABirthDateBefore1880OrOutOfRange(String birthDate) {
    Portal.Response response = steps.call(PARTNER_RX1, lookupPath("9434765919", birthDate));

    assertInvalidField(response, "birthDate");
  }

  @Test
  void refusesABirthDateAfterTodayAndAcceptsOnesWithinTheBounds() {
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);

    assertInvalidField(
        steps.call(PARTNER_RX1, lookupPath("9434765919", today.plusDays(2).toString())),
        "birthDate");
    assertThat(steps.call(PARTNER_RX1, lookupPath("9434765919", "1880-01-01")).status())
        .isEqualTo(404);
    assertThat(
            steps
                .call(PARTNER_RX1, lookupPath("9434765919", today.minusDays(1).toString()))
                .status())
        .isEqualTo(404);
  }
}
