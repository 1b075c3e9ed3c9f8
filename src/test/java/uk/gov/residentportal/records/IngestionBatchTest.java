package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.records.IngestionSteps.BATCH;
import static uk.gov.residentportal.records.IngestionSteps.CONFLICT;
import static uk.gov.residentportal.records.IngestionSteps.FORBIDDEN;
import static uk.gov.residentportal.records.IngestionSteps.PAYLOAD_TOO_LARGE;
import static uk.gov.residentportal.records.IngestionSteps.UNAUTHORIZED;
import static uk.gov.residentportal.records.IngestionSteps.anItem;
import static uk.gov.residentportal.records.IngestionSteps.anUpsert;
import static uk.gov.residentportal.records.IngestionSteps.assertInvalidField;
import static uk.gov.residentportal.records.IngestionSteps.assertProblem;
import static uk.gov.residentportal.records.IngestionSteps.batch;
import static uk.gov.residentportal.records.IngestionSteps.count;
import static uk.gov.residentportal.records.IngestionSteps.minutesAgo;
import static uk.gov.residentportal.records.IngestionSteps.newRef;
import static uk.gov.residentportal.records.IngestionSteps.paddedBatch;
import static uk.gov.residentportal.records.IngestionSteps.postBatch;
import static uk.gov.residentportal.records.IngestionSteps.postRawBatch;
import static uk.gov.residentportal.records.IngestionSteps.problemOf;
import static uk.gov.residentportal.records.IngestionSteps.put;
import static uk.gov.residentportal.records.IngestionSteps.results;
import static uk.gov.residentportal.records.IngestionSteps.string;
import static uk.gov.residentportal.records.IngestionSteps.with;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;

/**
 * POST /api/v1/systems/records:batch: up to 1,000 upserts, each with its own result; a bad item
 * never spoils the good ones.
 */
@MicronautTest(transactional = false)
class IngestionBatchTest {
  @Inject EmbeddedServer server;

  Portal portal;
  String councilTax;

  @BeforeEach
  void connect() {
    portal = new Portal(server.getURI());
    councilTax = MachineTokens.tokenFor(portal, MachineTokens.COUNCIL_TAX_SYSTEM);
  }

  @Nested
  class MixedItems {
    @Test
    void storesTheGoodItemsAndReportsEachBadOneByItself() {
      // A record already stored with a newer change than the batch's item for it.
      String staleRef = newRef();
      Map<String, Object> stored = with(anUpsert(), "updatedAt", minutesAgo(5));
      put(portal, councilTax, "COUNCIL_TAX", staleRef, stored);
      Map<String, Object> stale = new java.util.LinkedHashMap<>(stored);
      stale.put("sourceSystem", "COUNCIL_TAX");
      stale.put("externalRef", staleRef);
      stale.put("updatedAt", minutesAgo(50));
      stale.put("title", "Stale title");

      String good1 = newRef();
      String badField = newRef();
      String wrongType = newRef();
      String otherSystem = newRef();
      String good2 = newRef();
      List<Object> items =
          Arrays.asList(
              anItem("COUNCIL_TAX", good1),
              with(anItem("COUNCIL_TAX", badField), "category", "TAXIDERMY"),
              with(anItem("COUNCIL_TAX", wrongType), "residentVisible", "yes"),
              anItem("PARKING", otherSystem),
              stale,
              42,
              with(anItem("COUNCIL_TAX", "x"), "externalRef", null),
              anItem("COUNCIL_TAX", good2));

      Portal.Response response = postBatch(portal, councilTax, batch(items));

      List<Map<String, Object>> results = results(response);
      assertThat(results).hasSize(items.size());
      assertThat(results.get(0))
          .containsEntry("externalRef", good1)
          .containsEntry("status", "CREATED")
          .containsKey("id")
          .doesNotContainKey("problem");
      assertThat(results.get(1)).containsEntry("externalRef", badField);
      assertInvalidField(problemOf(results.get(1)), "category");
      assertThat(results.get(2)).containsEntry("externalRef", wrongType);
      assertInvalidField(problemOf(results.get(2)), "residentVisible");
      assertThat(results.get(3)).containsEntry("externalRef", otherSystem);
      assertThat(problemOf(results.get(3)))
          .containsEntry("type", FORBIDDEN)
          .containsEntry("status", 403L)
          .containsKeys("title", "detail");
      assertThat(results.get(4)).containsEntry("externalRef", staleRef);
      assertThat(problemOf(results.get(4)))
          .containsEntry("type", CONFLICT)
          .containsEntry("status", 409L);
      assertThat(results.get(5)).doesNotContainKey("externalRef");
      assertInvalidField(problemOf(results.get(5)), "record");
      assertInvalidField(problemOf(results.get(6)), "externalRef");
      assertThat(results.get(7))
          .containsEntry("externalRef", good2)
          .containsEntry("status", "CREATED");

      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref IN (?, ?)", good1, good2))
          .isEqualTo(2);
      assertThat(
              count(
                  "SELECT COUNT(*) FROM records WHERE external_ref IN (?, ?, ?)",
                  badField,
                  wrongType,
                  otherSystem))
          .isZero();
      assertThat(string("SELECT title FROM records WHERE external_ref = ?", staleRef))
          .isEqualTo("Council tax bill 2026/27");
    }

    @Test
    void aStaleItemInAChunkLeavesEveryOtherItemOfTheChunkStored() {
      String staleRef = newRef();
      Map<String, Object> stored = with(anUpsert(), "updatedAt", minutesAgo(5));
      put(portal, councilTax, "COUNCIL_TAX", staleRef, stored);
      List<Object> items = new ArrayList<>();
      List<String> refs = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        if (i == 120) {
          Map<String, Object> stale =
              with(anItem("COUNCIL_TAX", staleRef), "updatedAt", minutesAgo(50));
          items.add(stale);
        } else {
          String ref = newRef();
          refs.add(ref);
          items.add(anItem("COUNCIL_TAX", ref));
        }
      }

      List<Map<String, Object>> results = results(postBatch(portal, councilTax, batch(items)));

      assertThat(results).hasSize(150);
      assertThat(results.get(120)).containsEntry("status", "FAILED");
      assertThat(problemOf(results.get(120))).containsEntry("type", CONFLICT);
      assertThat(results)
          .filteredOn(r -> !"FAILED".equals(r.get("status")))
          .extracting(r -> r.get("status"))
          .hasSize(149)
          .containsOnly("CREATED");
      assertThat(
              count(
                  "SELECT COUNT(*) FROM records WHERE source_system = 'COUNCIL_TAX' AND external_ref IN ("
                      + String.join(",", refs.stream().map(r -> "?").toList())
                      + ")",
                  refs.toArray()))
          .isEqualTo(149);
    }

    @Test
    void appliesTwoChangesOfOneRecordInTheirOrder() {
      String ref = newRef();
      Map<String, Object> first = with(anItem("COUNCIL_TAX", ref), "updatedAt", minutesAgo(30));
      Map<String, Object> second =
          with(with(first, "updatedAt", minutesAgo(20)), "title", "Second version");
      Map<String, Object> older =
          with(with(first, "updatedAt", minutesAgo(40)), "title", "Older version");

      List<Map<String, Object>> results =
          results(postBatch(portal, councilTax, batch(List.of(first, second, first, older))));

      assertThat(results)
          .extracting(r -> r.get("status"))
          .containsExactly("CREATED", "UPDATED", "FAILED", "FAILED");
      assertThat(results).extracting(r -> r.get("externalRef")).containsOnly(ref);
      assertThat(string("SELECT title FROM records WHERE external_ref = ?", ref))
          .isEqualTo("Second version");
    }

    @Test
    void aReplayedBatchChangesNothing() {
      List<Object> items =
          List.of(anItem("COUNCIL_TAX", newRef()), anItem("COUNCIL_TAX", newRef()));
      List<Map<String, Object>> first = results(postBatch(portal, councilTax, batch(items)));

      List<Map<String, Object>> again = results(postBatch(portal, councilTax, batch(items)));

      assertThat(again).extracting(r -> r.get("status")).containsOnly("UNCHANGED");
      assertThat(again)
          .extracting(r -> r.get("id"))
          .containsExactlyElementsOf(first.stream().map(r -> r.get("id")).toList());
    }
  }

  @Nested
  class Size {
    @Test
    void takesAThousandItemsOfFullSize() {
      List<Object> items = new ArrayList<>();
      for (int i = 0; i < RecordBatch.MAX_ITEMS; i++) {
        Map<String, Object> item = anItem("COUNCIL_TAX", newRef() + "-" + "r".repeat(60));
        item.put("title", "t".repeat(200));
        item.put("status", "s".repeat(60));
        item.put("summary", "Band C. ".repeat(500));
        items.add(item);
      }
      String body = batch(items);
      assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(4_000_000);

      List<Map<String, Object>> results = results(postBatch(portal, councilTax, body));

      assertThat(results).hasSize(1000).extracting(r -> r.get("status")).containsOnly("CREATED");
    }

    @Test
    void refusesMoreThanAThousandItemsWith413() {
      List<Object> items = new ArrayList<>();
      for (int i = 0; i <= RecordBatch.MAX_ITEMS; i++) {
        items.add(anItem("COUNCIL_TAX", newRef()));
      }
      String first = (String) ((Map<?, ?>) items.get(0)).get("externalRef");

      Portal.Response response = postBatch(portal, councilTax, batch(items));

      assertProblem(response, 413, PAYLOAD_TOO_LARGE);
      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", first)).isZero();
    }

    @Test
    void refusesAnEmptyBatchWith400() {
      assertInvalidField(postBatch(portal, councilTax, batch(List.of())), "records");
    }

    @Test
    void refusesABodyWithoutRecordsWith400() {
      assertInvalidField(postBatch(portal, councilTax, "{}"), "records");
      assertInvalidField(postBatch(portal, councilTax, "{\"records\":{}}"), "records");
      assertInvalidField(postBatch(portal, councilTax, "[]"), "records");
    }

    @Test
    void readsABodyOverMicronautsTenMegabyteBufferWhenUnderTheRequestSizeLimit() {
      // 11MB: over Micronaut's default buffer (10MB), under PORTAL_MAX_REQUEST_SIZE (12MB).
      Portal.Response response =
          postRawBatch(portal, councilTax, paddedBatch(11 * 1024 * 1024), false);

      assertInvalidField(response, "records");
    }

    @Test
    void refusesABodyOverTheRequestSizeLimitWith413Problem() {
      Portal.Response response =
          postRawBatch(portal, councilTax, paddedBatch(13 * 1024 * 1024), false);

      assertProblem(response, 413, PAYLOAD_TOO_LARGE);
    }

    @Test
    void refusesAChunkedBodyOverTheRequestSizeLimitWith413Problem() {
      Portal.Response response =
          postRawBatch(portal, councilTax, paddedBatch(13 * 1024 * 1024), true);

      assertProblem(response, 413, PAYLOAD_TOO_LARGE);
    }
  }

  @Nested
  class Routing {
    @Test
    void theLiteralColonBatchPathIsItsOwnRoute() {
      Portal.Response near =
          portal.json("POST", "/api/v1/systems/records:batches", batch(List.of()), councilTax);
      Portal.Response get = portal.get(BATCH, councilTax);

      assertThat(near.status()).isIn(404, 405);
      assertThat(get.status()).isIn(404, 405);
      assertThat(
              results(
                  postBatch(portal, councilTax, batch(List.of(anItem("COUNCIL_TAX", newRef()))))))
          .hasSize(1);
    }
  }

  @Nested
  class Callers {
    @Test
    void refusesAResidentTokenWith403() {
      Portal.Tokens resident = portal.newResident(Portal.newEmail());
      String ref = newRef();

      Portal.Response response =
          postBatch(portal, resident.accessToken(), batch(List.of(anItem("COUNCIL_TAX", ref))));

      assertProblem(response, 403, FORBIDDEN);
      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", ref)).isZero();
    }

    @Test
    void refusesAPartnerTokenWith403() {
      String partner = MachineTokens.tokenFor(portal, MachineTokens.PARTNER);

      Portal.Response response =
          postBatch(portal, partner, batch(List.of(anItem("COUNCIL_TAX", newRef()))));

      assertProblem(response, 403, FORBIDDEN);
    }

    @Test
    void refusesACallWithoutATokenWith401() {
      Portal.Response response =
          postBatch(portal, null, batch(List.of(anItem("COUNCIL_TAX", newRef()))));

      assertProblem(response, 401, UNAUTHORIZED);
    }

    @Test
    void everyItemOfAnotherSystemFailsAloneWith403() {
      String parking = MachineTokens.tokenFor(portal, MachineTokens.PARKING_SYSTEM);
      String ours = newRef();
      String theirs = newRef();

      List<Map<String, Object>> results =
          results(
              postBatch(
                  portal,
                  parking,
                  batch(
                      List.of(
                          // Without a postcode: only COUNCIL_TAX may give one for a council tax
                          // account (IngestionSubjectAuthorityTest).
                          with(anItem("PARKING", ours), "subjectPostcode", null),
                          anItem("COUNCIL_TAX", theirs)))));

      assertThat(results.get(0)).containsEntry("status", "CREATED");
      assertThat(problemOf(results.get(1))).containsEntry("type", FORBIDDEN);
      assertThat(count("SELECT COUNT(*) FROM records WHERE external_ref = ?", theirs)).isZero();
    }
  }
}
