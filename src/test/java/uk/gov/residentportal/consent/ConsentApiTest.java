package uk.gov.residentportal.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.consent.ConsentSteps.CONFLICT;
import static uk.gov.residentportal.consent.ConsentSteps.CONSENTS;
import static uk.gov.residentportal.consent.ConsentSteps.FORBIDDEN;
import static uk.gov.residentportal.consent.ConsentSteps.MALFORMED;
import static uk.gov.residentportal.consent.ConsentSteps.UNAUTHORIZED;
import static uk.gov.residentportal.consent.ConsentSteps.UNSUPPORTED;
import static uk.gov.residentportal.consent.ConsentSteps.assertInvalidField;
import static uk.gov.residentportal.consent.ConsentSteps.assertProblem;
import static uk.gov.residentportal.consent.ConsentSteps.auditEvents;
import static uk.gov.residentportal.consent.ConsentSteps.consentRows;
import static uk.gov.residentportal.consent.ConsentSteps.notFoundBody;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.consent.ConsentSteps.Resident;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/** /api/v1/me/consents: residents grant, list and withdraw consent to share with NHS partners. */
@MicronautTest(transactional = false)
class ConsentApiTest {
  @Inject EmbeddedServer server;

  Portal portal;
  ConsentSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new ConsentSteps(portal);
  }

  @Nested
  class Grant {
    @Test
    void grantsConsentToEveryNhsPartner() {
      Resident resident = steps.resident();
      Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

      Portal.Response response = steps.grant(resident.token(), "ALL_NHS", "HOUSING", "BENEFITS");

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      Map<String, Object> consent = response.json();
      assertThat(consent)
          .containsEntry("organisation", "ALL_NHS")
          .containsEntry("categories", List.of("BENEFITS", "HOUSING"))
          .containsEntry("purpose", "DIRECT_CARE")
          .containsEntry("status", "ACTIVE")
          .doesNotContainKeys("organisationName", "withdrawnAt");
      assertThat(UUID.fromString((String) consent.get("id"))).isNotNull();
      assertThat(Instant.parse((String) consent.get("grantedAt"))).isBetween(before, Instant.now());
      assertThat(steps.consents(resident.token())).containsExactly(consent);
    }

    @Test
    void grantsConsentToOneActiveOrganisationByItsOdsCode() {
      Resident resident = steps.resident();
      String ods = ConsentSteps.organisation("Leicester Hospitals", true);

      Portal.Response response =
          steps.grant(resident.token(), ods.toLowerCase(), "social_care", " COUNCIL_TAX ");

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      assertThat(response.json())
          .containsEntry("organisation", ods)
          .containsEntry("organisationName", "Leicester Hospitals")
          .containsEntry("categories", List.of("COUNCIL_TAX", "SOCIAL_CARE"))
          .containsEntry("status", "ACTIVE");
    }

    @Test
    void storesTheConsentAndAuditsTheGrantInOneGo() {
      Resident resident = steps.resident();
      String ods = ConsentSteps.organisation("Rutland GP", true);

      String id = (String) steps.granted(resident.token(), ods, "HOUSING").get("id");

      assertThat(
              Sql.string(
                  "SELECT CONCAT(organisation, '|', categories, '|', purpose, '|', granted_by)"
                      + " FROM consents WHERE id = ? AND account_id = ? AND withdrawn_at IS NULL",
                  id,
                  resident.id()))
          .isEqualTo(ods + "|HOUSING|DIRECT_CARE|" + resident.id());
      assertThat(
              Sql.string(
                  "SELECT CONCAT(outcome, '|', actor_type, '|', actor_id, '|', organisation_ods,"
                      + " '|', purpose, '|', record_ids) FROM audit_events"
                      + " WHERE subject = ? AND action = 'CONSENT_GRANTED'",
                  resident.id()))
          .isEqualTo("SUCCESS|ACCOUNT|" + resident.id() + "|" + ods + "|DIRECT_CARE|" + id);
      assertThat(auditEvents(resident.id(), "CONSENT_GRANTED")).isEqualTo(1);
    }

    @Test
    void answersTheConsentInForceWhenTheSameIsGrantedAgain() {
      Resident resident = steps.resident();
      Map<String, Object> first = steps.granted(resident.token(), "ALL_NHS", "HOUSING", "WASTE");

      Portal.Response again = steps.grant(resident.token(), "all_nhs", "WASTE", "housing");

      assertThat(again.status()).as(again.body()).isEqualTo(200);
      assertThat(again.json()).isEqualTo(first);
      assertThat(consentRows(resident.id())).isEqualTo(1);
      assertThat(auditEvents(resident.id(), "CONSENT_GRANTED")).isEqualTo(1);
    }

    @Test
    void makesOneConsentOfIdenticalGrantsSentTogether() throws Exception {
      Resident resident = steps.resident();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        Callable<Integer> grant =
            () -> steps.grant(resident.token(), "ALL_NHS", "PARKING").status();
        List<Future<Integer>> answers = pool.invokeAll(List.of(grant, grant, grant, grant));

        List<Integer> statuses = answers.stream().map(ConsentApiTest::get).toList();
        assertThat(statuses).containsOnly(200, 201).containsOnlyOnce(201);
      } finally {
        pool.shutdownNow();
      }
      assertThat(consentRows(resident.id())).isEqualTo(1);
      assertThat(auditEvents(resident.id(), "CONSENT_GRANTED")).isEqualTo(1);
    }

    @Test
    void addsAConsentForOtherCategoriesOrAnotherOrganisation() {
      Resident resident = steps.resident();
      String ods = ConsentSteps.organisation("Leicestershire ICB", true);
      steps.granted(resident.token(), "ALL_NHS", "HOUSING");

      steps.granted(resident.token(), "ALL_NHS", "HOUSING", "WASTE");
      steps.granted(resident.token(), ods, "HOUSING");

      assertThat(steps.consents(resident.token()))
          .extracting(c -> c.get("status"))
          .containsExactly("ACTIVE", "ACTIVE", "ACTIVE");
      assertThat(auditEvents(resident.id(), "CONSENT_GRANTED")).isEqualTo(3);
    }

    @Test
    void grantsAgainWhatWasWithdrawn() {
      Resident resident = steps.resident();
      String first = (String) steps.granted(resident.token(), "ALL_NHS", "HOUSING").get("id");
      assertThat(steps.withdraw(resident.token(), first).status()).isEqualTo(204);

      Portal.Response again = steps.grant(resident.token(), "ALL_NHS", "HOUSING");

      assertThat(again.status()).as(again.body()).isEqualTo(201);
      assertThat(again.json().get("id")).isNotEqualTo(first);
      assertThat(steps.consents(resident.token())).hasSize(2);
    }

    @Test
    void refusesMoreConsentsInForceThanTheLimit() {
      Resident resident = steps.resident();
      String ods = ConsentSteps.organisation("Busy trust", true);
      for (int i = 0; i < ConsentService.MAX_ACTIVE; i++) {
        Sql.update(
            "INSERT INTO consents (id, account_id, organisation, categories, purpose, granted_at,"
                + " granted_by) VALUES (?, ?, ?, ?, 'DIRECT_CARE', UTC_TIMESTAMP(6), ?)",
            UUID.randomUUID().toString(),
            resident.id(),
            "ALL_NHS",
            "HOUSING " + i,
            resident.id());
      }

      Portal.Response response = steps.grant(resident.token(), ods, "HOUSING");

      assertProblem(response, 409, CONFLICT);
      assertThat(consentRows(resident.id())).isEqualTo(ConsentService.MAX_ACTIVE);
      assertThat(auditEvents(resident.id(), "CONSENT_GRANTED")).isZero();
    }
  }

  @Nested
  class BadInput {
    Resident resident;

    @BeforeEach
    void newResident() {
      resident = steps.resident();
    }

    private void assertNothingWritten() {
      assertThat(consentRows(resident.id())).isZero();
      assertThat(auditEvents(resident.id(), "CONSENT_GRANTED")).isZero();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          // unknown, empty, repeated categories
          "{\"organisation\":\"ALL_NHS\",\"categories\":[\"GARDENING\"],\"purpose\":\"DIRECT_CARE\"}"
              + "|categories",
          "{\"organisation\":\"ALL_NHS\",\"categories\":[\"HOUSING\",\"\"],\"purpose\":\"DIRECT_CARE\"}"
              + "|categories",
          "{\"organisation\":\"ALL_NHS\",\"categories\":[\"HOUSING\",null],\"purpose\":\"DIRECT_CARE\"}"
              + "|categories",
          "{\"organisation\":\"ALL_NHS\",\"categories\":[],\"purpose\":\"DIRECT_CARE\"}|categories",
          "{\"organisation\":\"ALL_NHS\",\"categories\":[\"HOUSING\",\"housing\"],"
              + "\"purpose\":\"DIRECT_CARE\"}|categories",
          // purposes other than direct care
          "{\"organisation\":\"ALL_NHS\",\"categories\":[\"HOUSING\"],\"purpose\":\"RESEARCH\"}"
              + "|purpose",
          "{\"organisation\":\"ALL_NHS\",\"categories\":[\"HOUSING\"],\"purpose\":\"direct_care\"}"
              + "|purpose",
          // malformed organisations
          "{\"organisation\":\"R\",\"categories\":[\"HOUSING\"],\"purpose\":\"DIRECT_CARE\"}"
              + "|organisation",
          "{\"organisation\":\"RX1-01\",\"categories\":[\"HOUSING\"],\"purpose\":\"DIRECT_CARE\"}"
              + "|organisation",
          "{\"organisation\":\"ALL NHS\",\"categories\":[\"HOUSING\"],\"purpose\":\"DIRECT_CARE\"}"
              + "|organisation",
          "{\"organisation\":\"ABCDEFGHIJK\",\"categories\":[\"HOUSING\"],\"purpose\":\"DIRECT_CARE\"}"
              + "|organisation",
          "{\"organisation\":\"\",\"categories\":[\"HOUSING\"],\"purpose\":\"DIRECT_CARE\"}"
              + "|organisation",
          // missing fields
          "{\"categories\":[\"HOUSING\"],\"purpose\":\"DIRECT_CARE\"}|organisation",
          "{\"organisation\":\"ALL_NHS\",\"purpose\":\"DIRECT_CARE\"}|categories",
          "{\"organisation\":\"ALL_NHS\",\"categories\":[\"HOUSING\"]}|purpose",
          "{\"organisation\":null,\"categories\":[\"HOUSING\"],\"purpose\":\"DIRECT_CARE\"}"
              + "|organisation"
        })
    void namesTheBadFieldAndWritesNothing(String body, String field) {
      assertInvalidField(steps.grantRaw(resident.token(), body), field);
      assertNothingWritten();
    }

    @Test
    void listsTheKnownCategoriesForAnUnknownOne() {
      String message =
          assertInvalidField(
              steps.grant(resident.token(), "ALL_NHS", "HOUSING", "GARDENING"), "categories");

      assertThat(message).contains("COUNCIL_TAX", "HOUSING", "SOCIAL_CARE");
      assertNothingWritten();
    }

    @Test
    void refusesMoreCategoriesThanAConsentHolds() {
      List<String> many =
          java.util.stream.IntStream.range(0, ConsentService.MAX_CATEGORIES + 1)
              .mapToObj(i -> "HOUSING")
              .toList();

      assertInvalidField(
          steps.grantRaw(resident.token(), ConsentSteps.body("ALL_NHS", many, "DIRECT_CARE")),
          "categories");
      assertNothingWritten();
    }

    @Test
    void refusesAnUnregisteredOrganisation() {
      String message =
          assertInvalidField(
              steps.grant(resident.token(), ConsentSteps.newOdsCode(), "HOUSING"), "organisation");

      assertThat(message).contains("active partner organisation");
      assertNothingWritten();
    }

    @Test
    void refusesAnInactiveOrganisationAsAnUnregisteredOne() {
      String inactive = ConsentSteps.organisation("Closed practice", false);

      Portal.Response response = steps.grant(resident.token(), inactive, "HOUSING");
      Portal.Response unknown = steps.grant(resident.token(), ConsentSteps.newOdsCode(), "HOUSING");

      assertInvalidField(response, "organisation");
      assertThat(response.json().get("errors")).isEqualTo(unknown.json().get("errors"));
      assertNothingWritten();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "{\"organisation\":\"ALL_NHS\",\"categories\":\"HOUSING\",\"purpose\":\"DIRECT_CARE\"}",
          "{\"organisation\":[\"ALL_NHS\",\"RX1\"],\"categories\":[\"HOUSING\"],"
              + "\"purpose\":\"DIRECT_CARE\"}",
          "{\"organisation\":\"ALL_NHS\",\"categories\":[\"HOUSING\"],\"purpose\":{\"x\":1}}",
          "{\"organisation\":\"ALL_NHS\",\"categories\":[{\"code\":\"HOUSING\"}],"
              + "\"purpose\":\"DIRECT_CARE\"}",
          "[\"ALL_NHS\"]",
          "{\"organisation\":\"ALL_NHS\",",
        })
    void refusesJsonOfTheWrongShape(String body) {
      assertProblem(steps.grantRaw(resident.token(), body), 400, MALFORMED);
      assertNothingWritten();
    }

    @Test
    void refusesABodyThatIsNotJson() {
      Portal.Response response =
          portal.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(portal.base() + CONSENTS))
                  .POST(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "organisation=ALL_NHS&categories=HOUSING&purpose=DIRECT_CARE"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Authorization", "Bearer " + resident.token()));

      assertProblem(response, 415, UNSUPPORTED);
      assertNothingWritten();
    }
  }

  @Nested
  class ListAndWithdraw {
    @Test
    void withdrawsAndKeepsTheConsentInTheHistory() {
      Resident resident = steps.resident();
      Map<String, Object> consent = steps.granted(resident.token(), "ALL_NHS", "HOUSING");
      String id = (String) consent.get("id");

      Portal.Response withdrawn = steps.withdraw(resident.token(), id);

      assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(204);
      assertThat(steps.consents(resident.token()))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c)
                    .containsEntry("id", id)
                    .containsEntry("status", "WITHDRAWN")
                    .containsEntry("grantedAt", consent.get("grantedAt"))
                    .containsEntry("categories", List.of("HOUSING"));
                assertThat(Instant.parse((String) c.get("withdrawnAt")))
                    .isAfterOrEqualTo(Instant.parse((String) consent.get("grantedAt")));
              });
      assertThat(Sql.string("SELECT withdrawn_by FROM consents WHERE id = ?", id))
          .isEqualTo(resident.id());
    }

    @Test
    void auditsTheWithdrawalOnce() {
      Resident resident = steps.resident();
      String ods = ConsentSteps.organisation("Withdrawn-from trust", true);
      String id = (String) steps.granted(resident.token(), ods, "HOUSING").get("id");

      assertThat(steps.withdraw(resident.token(), id).status()).isEqualTo(204);
      Portal.Response again = steps.withdraw(resident.token(), id);

      assertThat(again.status()).as("withdrawing again is a no-op").isEqualTo(204);
      assertThat(auditEvents(resident.id(), "CONSENT_WITHDRAWN")).isEqualTo(1);
      assertThat(
              Sql.string(
                  "SELECT CONCAT(outcome, '|', actor_type, '|', actor_id, '|', organisation_ods,"
                      + " '|', purpose, '|', record_ids) FROM audit_events"
                      + " WHERE subject = ? AND action = 'CONSENT_WITHDRAWN'",
                  resident.id()))
          .isEqualTo("SUCCESS|ACCOUNT|" + resident.id() + "|" + ods + "|DIRECT_CARE|" + id);
    }

    @Test
    void keepsTheFirstWithdrawalTime() {
      Resident resident = steps.resident();
      String id = (String) steps.granted(resident.token(), "ALL_NHS", "HOUSING").get("id");
      steps.withdraw(resident.token(), id);
      Sql.update(
          "UPDATE consents SET withdrawn_at = DATE_SUB(withdrawn_at, INTERVAL 1 HOUR) WHERE id = ?",
          id);
      String first = Sql.string("SELECT withdrawn_at FROM consents WHERE id = ?", id);

      steps.withdraw(resident.token(), id);

      assertThat(Sql.string("SELECT withdrawn_at FROM consents WHERE id = ?", id)).isEqualTo(first);
    }

    @Test
    void listsNewestGrantFirstWithOrganisationNames() {
      Resident resident = steps.resident();
      String ods = ConsentSteps.organisation("Glenfield GP", true);
      String older = (String) steps.granted(resident.token(), "ALL_NHS", "HOUSING").get("id");
      Sql.update(
          "UPDATE consents SET granted_at = DATE_SUB(granted_at, INTERVAL 1 DAY) WHERE id = ?",
          older);
      String newer = (String) steps.granted(resident.token(), ods, "BENEFITS").get("id");

      List<Map<String, Object>> consents = steps.consents(resident.token());

      assertThat(consents).extracting(c -> c.get("id")).containsExactly(newer, older);
      assertThat(consents.get(0)).containsEntry("organisationName", "Glenfield GP");
      assertThat(consents.get(1)).doesNotContainKey("organisationName");
    }

    @Test
    void listsNothingForANewResident() {
      assertThat(steps.consents(steps.resident().token())).isEmpty();
    }

    @Test
    void answersSomeoneElsesConsentAsAnUnknownOneAndLeavesItInForce() {
      Resident owner = steps.resident();
      Resident other = steps.resident();
      String id = (String) steps.granted(owner.token(), "ALL_NHS", "HOUSING").get("id");

      Portal.Response someoneElses = steps.withdraw(other.token(), id);
      Portal.Response unknown = steps.withdraw(other.token(), UUID.randomUUID().toString());
      Portal.Response malformed = steps.withdraw(other.token(), "not-a-consent-id");

      assertThat(notFoundBody(someoneElses))
          .isEqualTo(notFoundBody(unknown))
          .isEqualTo(notFoundBody(malformed));
      assertThat(steps.consents(owner.token()))
          .singleElement()
          .satisfies(c -> assertThat(c).containsEntry("status", "ACTIVE"));
      assertThat(steps.consents(other.token())).isEmpty();
      assertThat(auditEvents(owner.id(), "CONSENT_WITHDRAWN")).isZero();
      assertThat(auditEvents(other.id(), "CONSENT_WITHDRAWN")).isZero();
    }
  }

  @Nested
  class ExportAndErasure {
    @Test
    void exportsTheWholeHistoryWithWhoAndWhen() {
      Resident resident = steps.resident();
      String ods = ConsentSteps.organisation("Export trust", true);
      String withdrawn = (String) steps.granted(resident.token(), ods, "HOUSING").get("id");
      steps.withdraw(resident.token(), withdrawn);
      String active = (String) steps.granted(resident.token(), "ALL_NHS", "BENEFITS").get("id");

      Portal.Response export = portal.get("/api/v1/me/export", resident.token());

      assertThat(export.status()).as(export.body()).isEqualTo(200);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> consents =
          (List<Map<String, Object>>) export.json().get("consents");
      assertThat(consents)
          .extracting(c -> c.get("id"))
          .containsExactlyInAnyOrder(withdrawn, active);
      Map<String, Object> first =
          consents.stream().filter(c -> c.get("id").equals(withdrawn)).findFirst().orElseThrow();
      assertThat(first)
          .containsEntry("organisation", ods)
          .containsEntry("organisationName", "Export trust")
          .containsEntry("categories", List.of("HOUSING"))
          .containsEntry("purpose", "DIRECT_CARE")
          .containsEntry("status", "WITHDRAWN")
          .containsEntry("grantedBy", resident.id())
          .containsEntry("withdrawnBy", resident.id())
          .containsKeys("grantedAt", "withdrawnAt");
      Map<String, Object> second =
          consents.stream().filter(c -> c.get("id").equals(active)).findFirst().orElseThrow();
      assertThat(second)
          .containsEntry("status", "ACTIVE")
          .containsEntry("grantedBy", resident.id())
          .doesNotContainKeys("withdrawnAt", "withdrawnBy");
    }

    @Test
    void erasureDeletesTheConsentsAndKeepsTheAuditEvents() {
      Resident resident = steps.resident();
      String id = (String) steps.granted(resident.token(), "ALL_NHS", "HOUSING").get("id");
      steps.withdraw(resident.token(), id);
      steps.granted(resident.token(), "ALL_NHS", "BENEFITS");
      assertThat(consentRows(resident.id())).isEqualTo(2);

      Portal.Response erased =
          portal.json(
              "DELETE",
              "/api/v1/me",
              "{\"password\":\"" + Portal.PASSWORD + "\"}",
              resident.token());

      assertThat(erased.status()).as(erased.body()).isEqualTo(204);
      assertThat(consentRows(resident.id())).isZero();
      assertThat(auditEvents(resident.id(), "CONSENT_GRANTED")).isEqualTo(2);
      assertThat(auditEvents(resident.id(), "CONSENT_WITHDRAWN")).isEqualTo(1);
    }

    @Test
    void erasureLeavesOtherResidentsConsents() {
      Resident erased = steps.resident();
      Resident other = steps.resident();
      steps.granted(erased.token(), "ALL_NHS", "HOUSING");
      steps.granted(other.token(), "ALL_NHS", "HOUSING");

      portal.json(
          "DELETE", "/api/v1/me", "{\"password\":\"" + Portal.PASSWORD + "\"}", erased.token());

      assertThat(consentRows(erased.id())).isZero();
      assertThat(steps.consents(other.token())).hasSize(1);
    }
  }

  @Nested
  class Callers {
    @Test
    void refusesRequestsWithoutAToken() {
      assertProblem(portal.get(CONSENTS, null), 401, UNAUTHORIZED);
      assertProblem(steps.grant(null, "ALL_NHS", "HOUSING"), 401, UNAUTHORIZED);
      assertProblem(steps.withdraw(null, UUID.randomUUID().toString()), 401, UNAUTHORIZED);
    }

    @ParameterizedTest
    @ValueSource(strings = {MachineTokens.PARTNER, MachineTokens.COUNCIL_TAX_SYSTEM})
    void refusesMachineTokens(String client) {
      String token = MachineTokens.tokenFor(portal, client);

      assertRefusedForScope(token);
    }

    @Test
    void refusesAResidentTokenWithoutTheAccountScope() {
      Resident resident = steps.resident();
      String id = (String) steps.granted(resident.token(), "ALL_NHS", "HOUSING").get("id");
      String token = steps.tokenWithoutAccountScope(resident.email());

      assertRefusedForScope(token);
      assertThat(steps.withdraw(token, id).status()).isEqualTo(403);
      assertThat(steps.consents(resident.token()))
          .singleElement()
          .satisfies(c -> assertThat(c).containsEntry("status", "ACTIVE"));
      assertThat(consentRows(resident.id())).isEqualTo(1);
    }

    @Test
    void refusesTheTokenOfAnErasedAccount() {
      Resident resident = steps.resident();
      portal.json(
          "DELETE", "/api/v1/me", "{\"password\":\"" + Portal.PASSWORD + "\"}", resident.token());

      Portal.Response grant = steps.grant(resident.token(), "ALL_NHS", "HOUSING");

      assertThat(grant.status()).isEqualTo(401);
      assertThat(consentRows(resident.id())).isZero();
    }

    private void assertRefusedForScope(String token) {
      Portal.Response list = portal.get(CONSENTS, token);
      Portal.Response grant = steps.grant(token, "ALL_NHS", "HOUSING");
      Portal.Response withdraw = steps.withdraw(token, UUID.randomUUID().toString());

      for (Portal.Response response : List.of(list, grant, withdraw)) {
        assertProblem(response, 403, FORBIDDEN);
        assertThat(response.header("www-authenticate")).contains("scope=\"account\"");
      }
    }
  }

  private static <T> T get(Future<T> future) {
    try {
      return future.get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
