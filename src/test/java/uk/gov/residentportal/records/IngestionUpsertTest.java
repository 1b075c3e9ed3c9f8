package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.records.IngestionSteps.CONFLICT;
import static uk.gov.residentportal.records.IngestionSteps.FORBIDDEN;
import static uk.gov.residentportal.records.IngestionSteps.UNAUTHORIZED;
import static uk.gov.residentportal.records.IngestionSteps.anUpsert;
import static uk.gov.residentportal.records.IngestionSteps.assertInvalidField;
import static uk.gov.residentportal.records.IngestionSteps.assertProblem;
import static uk.gov.residentportal.records.IngestionSteps.count;
import static uk.gov.residentportal.records.IngestionSteps.json;
import static uk.gov.residentportal.records.IngestionSteps.minutesAgo;
import static uk.gov.residentportal.records.IngestionSteps.newAccountRef;
import static uk.gov.residentportal.records.IngestionSteps.newRef;
import static uk.gov.residentportal.records.IngestionSteps.put;
import static uk.gov.residentportal.records.IngestionSteps.string;
import static uk.gov.residentportal.records.IngestionSteps.with;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;

/**
 * PUT /api/v1/systems/records/{sourceSystem}/{externalRef}: the idempotent, ordered upsert of one
 * record by the back-office system that owns it.
 */
@MicronautTest(transactional = false)
class IngestionUpsertTest {
  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;

  Portal portal;
  String councilTax;

  @BeforeEach
  void connect() {
    portal = new Portal(server.getURI());
    councilTax = MachineTokens.tokenFor(portal, MachineTokens.COUNCIL_TAX_SYSTEM);
  }

  @Nested
  class CreateAndUpdate {
    @Test
    void createsARecordWith201AndItsId() {
      String ref = newRef();

      Portal.Response response = put(portal, councilTax, "COUNCIL_TAX", ref, anUpsert());

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      assertThat(response.json()).containsEntry("status", "CREATED").containsKey("id");
      String id = (String) response.json().get("id");
      assertThat(
              string(
                  "SELECT id FROM records WHERE source_system = ? AND external_ref = ?",
                  "COUNCIL_TAX",
                  ref))
          .isEqualTo(id);
    }

    @Test
    void updatesWith200WhenTheSourceChangeIsNewer() {
      String ref = newRef();
      Map<String, Object> first = with(anUpsert(), "updatedAt", minutesAgo(60));
      String id = (String) put(portal, councilTax, "COUNCIL_TAX", ref, first).json().get("id");

      Portal.Response response =
          put(
              portal,
              councilTax,
              "COUNCIL_TAX",
              ref,
              with(
                  with(first, "updatedAt", minutesAgo(30)), "title", "Council tax bill (revised)"));

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(response.json()).containsEntry("status", "UPDATED").containsEntry("id", id);
      assertThat(string("SELECT title FROM records WHERE id = ?", id))
          .isEqualTo("Council tax bill (revised)");
    }

    @Test
    void aReplayOfTheSameChangeIsANoOp() {
      String ref = newRef();
      Map<String, Object> body = anUpsert();
      String id = (String) put(portal, councilTax, "COUNCIL_TAX", ref, body).json().get("id");
      String updatedAt = string("SELECT updated_at FROM records WHERE id = ?", id);

      // The same updatedAt with another title: a replay of a change already stored.
      Portal.Response response =
          put(portal, councilTax, "COUNCIL_TAX", ref, with(body, "title", "Something else"));

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(response.json()).containsEntry("status", "UNCHANGED").containsEntry("id", id);
      assertThat(string("SELECT title FROM records WHERE id = ?", id))
          .isEqualTo("Council tax bill 2026/27");
      assertThat(string("SELECT updated_at FROM records WHERE id = ?", id)).isEqualTo(updatedAt);
    }

    @Test
    void refusesAnOlderChangeWith409AndKeepsTheNewerOne() {
      String ref = newRef();
      Map<String, Object> newer = with(anUpsert(), "updatedAt", minutesAgo(10));
      String id = (String) put(portal, councilTax, "COUNCIL_TAX", ref, newer).json().get("id");

      Portal.Response response =
          put(
              portal,
              councilTax,
              "COUNCIL_TAX",
              ref,
              with(with(newer, "updatedAt", minutesAgo(20)), "title", "Stale title"));

      assertProblem(response, 409, CONFLICT);
      assertThat(string("SELECT title FROM records WHERE id = ?", id))
          .isEqualTo("Council tax bill 2026/27");
    }

    @Test
    void ordersChangesWithinTheSameSecond() {
      String ref = newRef();
      Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
      Map<String, Object> body = with(anUpsert(), "updatedAt", base.plusMillis(1).toString());
      put(portal, councilTax, "COUNCIL_TAX", ref, body);

      Portal.Response later =
          put(
              portal,
              councilTax,
              "COUNCIL_TAX",
              ref,
              with(body, "updatedAt", base.plusMillis(2).toString()));
      Portal.Response earlier =
          put(portal, councilTax, "COUNCIL_TAX", ref, with(body, "updatedAt", base.toString()));

      assertThat(later.json()).containsEntry("status", "UPDATED");
      assertProblem(earlier, 409, CONFLICT);
    }

    @Test
    void takesExternalRefsWithDotsColonsAndDashes() {
      String ref = "PCN:2026.04-" + newAccountRef();

      Portal.Response response = put(portal, councilTax, "COUNCIL_TAX", ref, anUpsert());

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", ref)).isEqualTo(1);
    }
  }

  @Nested
  class Callers {
    @Test
    void refusesWritingAnotherSystemsRecordsWith403() {
      String parking = MachineTokens.tokenFor(portal, MachineTokens.PARKING_SYSTEM);
      String ref = newRef();

      Portal.Response response = put(portal, parking, "COUNCIL_TAX", ref, anUpsert());

      assertProblem(response, 403, FORBIDDEN);
      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", ref)).isZero();
    }

    @Test
    void refusesWritingAnotherSystemsExistingRecordWith403() {
      String ref = newRef();
      Map<String, Object> body = anUpsert();
      put(portal, councilTax, "COUNCIL_TAX", ref, body);
      String parking = MachineTokens.tokenFor(portal, MachineTokens.PARKING_SYSTEM);

      Portal.Response response =
          put(
              portal,
              parking,
              "COUNCIL_TAX",
              ref,
              with(with(body, "updatedAt", minutesAgo(1)), "title", "Hijacked"));

      assertProblem(response, 403, FORBIDDEN);
      assertThat(
              string(
                  "SELECT title FROM records WHERE source_system = ? AND external_ref = ?",
                  "COUNCIL_TAX",
                  ref))
          .isEqualTo("Council tax bill 2026/27");
    }

    @Test
    void aSystemWithOnlyRecordsWriteMayUpsert() {
      String recordsOnly = MachineTokens.tokenFor(portal, MachineTokens.RECORDS_ONLY_SYSTEM);

      Portal.Response response = put(portal, recordsOnly, "COUNCIL_TAX", newRef(), anUpsert());

      assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void refusesAResidentTokenWith403InsufficientScope() {
      Portal.Tokens resident = portal.newResident(Portal.newEmail());

      Portal.Response response =
          put(portal, resident.accessToken(), "COUNCIL_TAX", newRef(), anUpsert());

      assertProblem(response, 403, FORBIDDEN);
      assertThat(response.header("www-authenticate")).contains("insufficient_scope");
    }

    @Test
    void refusesAPartnerTokenWith403() {
      String partner = MachineTokens.tokenFor(portal, MachineTokens.PARTNER);

      Portal.Response response = put(portal, partner, "COUNCIL_TAX", newRef(), anUpsert());

      assertProblem(response, 403, FORBIDDEN);
      assertThat(response.header("www-authenticate")).contains("insufficient_scope");
    }

    @Test
    void refusesACallWithoutATokenWith401() {
      Portal.Response response = put(portal, null, "COUNCIL_TAX", newRef(), anUpsert());

      assertProblem(response, 401, UNAUTHORIZED);
    }
  }

  @Nested
  class BadFields {
    static Stream<Arguments> badFields() {
      return Stream.of(
          Arguments.of("subjectType", null),
          Arguments.of("subjectType", "HOUSEHOLD"),
          Arguments.of("subjectRef", null),
          Arguments.of("subjectRef", "not a ref!"),
          Arguments.of("subjectPostcode", "NOT A POSTCODE"),
          Arguments.of("category", null),
          Arguments.of("category", "TAXIDERMY"),
          Arguments.of("title", null),
          Arguments.of("title", "   "),
          Arguments.of("title", "t".repeat(201)),
          Arguments.of("status", "s".repeat(61)),
          Arguments.of("summary", "s".repeat(4001)),
          Arguments.of("residentVisible", null),
          Arguments.of("minAssurance", "P9"),
          Arguments.of("updatedAt", null),
          Arguments.of("updatedAt", "yesterday"),
          Arguments.of("updatedAt", "2026-01-01T10:00:00"),
          Arguments.of("updatedAt", Instant.now().plus(1, ChronoUnit.DAYS).toString()),
          // Would overflow epoch microseconds: a 400, never a 500.
          Arguments.of("updatedAt", "-300000-01-01T00:00:00Z"),
          Arguments.of("updatedAt", "1899-12-31T23:59:59Z"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badFields")
    void refusesABadFieldWith400NamingIt(String field, String value) {
      String ref = newRef();

      Portal.Response response =
          put(portal, councilTax, "COUNCIL_TAX", ref, with(anUpsert(), field, value));

      assertInvalidField(response, field);
      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", ref)).isZero();
    }

    @Test
    void refusesAnInvalidNhsNumber() {
      Map<String, Object> body =
          with(with(anUpsert(), "subjectType", "NHS_NUMBER"), "subjectRef", "9434765918");

      assertInvalidField(put(portal, councilTax, "COUNCIL_TAX", newRef(), body), "subjectRef");
    }

    @Test
    void refusesABadExternalRefNamingIt() {
      assertInvalidField(
          put(portal, councilTax, "COUNCIL_TAX", "-starts-with-a-dash", anUpsert()), "externalRef");
      assertInvalidField(
          put(portal, councilTax, "COUNCIL_TAX", "r".repeat(101), anUpsert()), "externalRef");
    }

    @Test
    void refusesAValueOfTheWrongJsonTypeWith400NamingTheField() {
      Portal.Response response =
          put(
              portal,
              councilTax,
              "COUNCIL_TAX",
              newRef(),
              with(anUpsert(), "title", Map.of("en", "Council tax bill")));

      assertInvalidField(response, "title");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"maybe\"", "{\"value\":true}", "2"})
    void refusesAYesNoFieldThatIsNotTrueOrFalse(String value) {
      String body =
          json(anUpsert()).replace("\"residentVisible\":true", "\"residentVisible\":" + value);

      Portal.Response response =
          portal.json("PUT", IngestionSteps.RECORDS + "/COUNCIL_TAX/" + newRef(), body, councilTax);

      assertInvalidField(response, "residentVisible");
    }

    @Test
    void refusesABodyThatIsNotAnObject() {
      Portal.Response response =
          portal.json("PUT", IngestionSteps.RECORDS + "/COUNCIL_TAX/" + newRef(), "[]", councilTax);

      assertInvalidField(response, "body");
    }

    @Test
    void refusesAMissingBody() {
      Portal.Response response =
          portal.json("PUT", IngestionSteps.RECORDS + "/COUNCIL_TAX/" + newRef(), null, councilTax);

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void refusesABodyThatIsNotJson() {
      Portal.Response response =
          portal.json(
              "PUT",
              IngestionSteps.RECORDS + "/COUNCIL_TAX/" + newRef(),
              "{\"title\":",
              councilTax);

      assertProblem(response, 400, IngestionSteps.MALFORMED);
    }
  }

  @Nested
  class Concurrency {
    @Test
    void parallelCreatesOfOneKeyEndWithOneRecord() throws Exception {
      String ref = newRef();
      Map<String, Object> body = anUpsert();

      List<Portal.Response> responses =
          inParallel(8, i -> put(portal, councilTax, "COUNCIL_TAX", ref, body));

      assertThat(responses).extracting(Portal.Response::status).containsOnly(201, 200);
      assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
      assertThat(responses).extracting(r -> r.json().get("id")).containsOnly(idOf(ref));
      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", ref)).isEqualTo(1);
    }

    @Test
    void parallelChangesOfOneKeyKeepTheNewest() throws Exception {
      String ref = newRef();
      Map<String, Object> body = anUpsert();
      Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

      List<Portal.Response> responses =
          inParallel(
              8,
              i ->
                  put(
                      portal,
                      councilTax,
                      "COUNCIL_TAX",
                      ref,
                      with(
                          with(body, "updatedAt", base.plusSeconds(i).toString()),
                          "title",
                          "Version " + i)));

      assertThat(responses).extracting(Portal.Response::status).isSubsetOf(201, 200, 409);
      assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", ref)).isEqualTo(1);
      assertThat(string("SELECT title FROM records WHERE external_ref = ?", ref))
          .isEqualTo("Version 7");
    }

    @Test
    void parallelCreatesOfRecordsAboutOneNewSubjectAllSucceed() throws Exception {
      Map<String, Object> body = anUpsert();
      String subjectRef = (String) body.get("subjectRef");

      List<Portal.Response> responses =
          inParallel(8, i -> put(portal, councilTax, "COUNCIL_TAX", newRef(), body));

      assertThat(responses).extracting(Portal.Response::status).containsOnly(201);
      assertThat(count("SELECT COUNT(*) FROM record_subjects WHERE subject_ref = ?", subjectRef))
          .isEqualTo(1);
    }

    @Test
    void parallelCreatesOfOneKeyAboutAKnownSubjectEndWithOneRecord() throws Exception {
      Map<String, Object> body = anUpsert();
      put(portal, councilTax, "COUNCIL_TAX", newRef(), body);
      String ref = newRef();

      List<Portal.Response> responses =
          inParallel(8, i -> put(portal, councilTax, "COUNCIL_TAX", ref, body));

      assertThat(responses).extracting(Portal.Response::status).containsOnly(201, 200);
      assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
      assertThat(responses).extracting(r -> r.json().get("id")).containsOnly(idOf(ref));
      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", ref)).isEqualTo(1);
    }

    @Test
    void parallelUpsertsMovingAKnownSubjectToANewPostcodeAllSucceed() throws Exception {
      Map<String, Object> body = anUpsert();
      String subjectRef = (String) body.get("subjectRef");
      put(portal, councilTax, "COUNCIL_TAX", newRef(), body);
      Map<String, Object> moved = with(body, "subjectPostcode", "SW1A 1AA");

      List<Portal.Response> responses =
          inParallel(8, i -> put(portal, councilTax, "COUNCIL_TAX", newRef(), moved));

      assertThat(responses).extracting(Portal.Response::status).containsOnly(201);
      assertThat(string("SELECT postcode FROM record_subjects WHERE subject_ref = ?", subjectRef))
          .isEqualTo("SW1A 1AA");
    }

    @Test
    void racingCreatesInsideTheServiceEndWithOneRecord() throws Exception {
      // Closer together than HTTP requests arrive: the unique key and the retry decide.
      for (int round = 0; round < 5; round++) {
        Map<String, Object> body = anUpsert();
        put(portal, councilTax, "COUNCIL_TAX", newRef(), body);
        RecordUpsert upsert = upsertOf(body);
        String ref = newRef();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
          CountDownLatch start = new CountDownLatch(1);
          List<Future<RecordIngestion.Result>> results = new ArrayList<>();
          for (int i = 0; i < 16; i++) {
            results.add(
                pool.submit(
                    () -> {
                      start.await();
                      return ingestion.upsert("COUNCIL_TAX", "COUNCIL_TAX", ref, upsert);
                    }));
          }
          start.countDown();
          List<RecordIngestion.Outcome> outcomes = new ArrayList<>();
          for (Future<RecordIngestion.Result> result : results) {
            outcomes.add(result.get().outcome());
          }
          assertThat(outcomes)
              .containsOnlyOnce(RecordIngestion.Outcome.CREATED)
              .containsOnly(RecordIngestion.Outcome.CREATED, RecordIngestion.Outcome.UNCHANGED);
          assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", ref))
              .isEqualTo(1);
        } finally {
          pool.shutdownNow();
        }
      }
    }

    private String idOf(String ref) {
      return string("SELECT id FROM records WHERE external_ref = ?", ref);
    }
  }

  static RecordUpsert upsertOf(Map<String, Object> body) {
    return new RecordUpsert(
        (String) body.get("subjectType"),
        (String) body.get("subjectRef"),
        (String) body.get("subjectPostcode"),
        (String) body.get("category"),
        (String) body.get("title"),
        (String) body.get("status"),
        (String) body.get("summary"),
        (Boolean) body.get("residentVisible"),
        (Boolean) body.get("partnerShareable"),
        (String) body.get("minAssurance"),
        (String) body.get("updatedAt"));
  }

  interface Call {
    Portal.Response call(int i);
  }

  /** Runs {@code n} calls at once (released together) and returns their answers. */
  static List<Portal.Response> inParallel(int n, Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Portal.Response>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<Portal.Response> task =
            () -> {
              start.await();
              return call.call(index);
            };
        futures.add(pool.submit(task));
      }
      start.countDown();
      List<Portal.Response> responses = new ArrayList<>();
      for (Future<Portal.Response> future : futures) {
        responses.add(future.get());
      }
      return Collections.unmodifiableList(responses);
    } finally {
      pool.shutdownNow();
    }
  }
}
