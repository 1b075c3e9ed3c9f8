package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.records.ResidentRecordsSteps.BASE;
import static uk.gov.residentportal.records.ResidentRecordsSteps.FORBIDDEN;
import static uk.gov.residentportal.records.ResidentRecordsSteps.MALFORMED;
import static uk.gov.residentportal.records.ResidentRecordsSteps.UNAUTHORIZED;
import static uk.gov.residentportal.records.ResidentRecordsSteps.aRecord;
import static uk.gov.residentportal.records.ResidentRecordsSteps.assertInvalidField;
import static uk.gov.residentportal.records.ResidentRecordsSteps.assertProblem;
import static uk.gov.residentportal.records.ResidentRecordsSteps.ids;
import static uk.gov.residentportal.records.ResidentRecordsSteps.link;
import static uk.gov.residentportal.records.ResidentRecordsSteps.newSubject;
import static uk.gov.residentportal.records.ResidentRecordsSteps.notFoundBody;
import static uk.gov.residentportal.records.ResidentRecordsSteps.records;
import static uk.gov.residentportal.records.ResidentRecordsSteps.setAssurance;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.records.ResidentRecordsSteps.Resident;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;

/**
 * The resident's read side of records over HTTP on MariaDB: the list, one record, a document. Every
 * test makes its own residents and council tax accounts (subjects).
 */
@MicronautTest(transactional = false)
class ResidentRecordsTest {
  private static final String RECORDS = "/api/v1/me/records";

  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;
  @Inject DocumentStore store;

  Portal portal;
  ResidentRecordsSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new ResidentRecordsSteps(ingestion, store, portal);
  }

  private static Instant minutes(long n) {
    return BASE.plus(Duration.ofMinutes(n));
  }

  @Nested
  class ListRecords {

    @Test
    void listsTheLinkedSubjectsVisibleRecordsNewestFirst() {
      Resident resident = steps.resident("P1");
      String home = newSubject();
      String garage = newSubject();
      String bill = steps.save(aRecord().about(home).at(minutes(1)));
      String permit = steps.save(aRecord().about(garage).in("PARKING").at(minutes(3)));
      String reminder =
          steps.save(aRecord().about(home).in("WASTE").at(minutes(2)).withoutStatus());
      String unlinked = steps.save(aRecord().at(minutes(4)));
      link(resident.accountId(), home);
      link(resident.accountId(), garage);

      Portal.Response page = portal.get(RECORDS, resident.token());

      assertThat(ids(page)).containsExactly(permit, reminder, bill).doesNotContain(unlinked);
      assertThat(page.json()).doesNotContainKey("nextCursor");
      Map<String, Object> first = records(page).get(0);
      assertThat(first)
          .containsEntry("id", permit)
          .containsEntry("category", "PARKING")
          .containsEntry("status", "Issued")
          .containsEntry("sourceSystem", "COUNCIL_TAX")
          .containsKey("title")
          .doesNotContainKey("summary");
      assertThat(Instant.parse((String) first.get("updatedAt"))).isEqualTo(minutes(3));
      assertThat(records(page).get(1)).doesNotContainKey("status");
    }

    @Test
    void showsNothingBeforeAnyLink() {
      Resident resident = steps.resident("P1");
      steps.save(aRecord());

      Portal.Response page = portal.get(RECORDS, resident.token());

      assertThat(records(page)).isEmpty();
      assertThat(page.json()).doesNotContainKey("nextCursor");
    }

    @Test
    void filtersByCategory() {
      Resident resident = steps.resident("P1");
      String subject = newSubject();
      steps.save(aRecord().about(subject).at(minutes(1)));
      String permit = steps.save(aRecord().about(subject).in("PARKING").at(minutes(2)));
      steps.save(aRecord().about(subject).in("WASTE").at(minutes(3)));
      link(resident.accountId(), subject);

      assertThat(ids(portal.get(RECORDS + "?category=PARKING", resident.token())))
          .containsExactly(permit);
      assertThat(ids(portal.get(RECORDS + "?category=parking", resident.token())))
          .containsExactly(permit);
      assertThat(ids(portal.get(RECORDS + "?category=LIBRARY", resident.token()))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOPE", "COUNCIL-TAX%27%20OR%201=1", "%20x"})
    void refusesAnUnknownCategory(String category) {
      Resident resident = steps.resident("P1");

      assertInvalidField(
          portal.get(RECORDS + "?category=" + category, resident.token()), "category");
    }

    @Test
    void leavesOutRecordsTheCouncilHidesFromResidents() {
      Resident resident = steps.resident("P1");
      String subject = newSubject();
      String shown = steps.save(aRecord().about(subject).at(minutes(1)));
      String hidden = steps.save(aRecord().about(subject).at(minutes(2)).hidden());
      link(resident.accountId(), subject);

      assertThat(ids(portal.get(RECORDS, resident.token())))
          .containsExactly(shown)
          .doesNotContain(hidden);
    }

    @Test
    void showsOnlyWhatTheAccountsCurrentAssuranceMeets() {
      Resident resident = steps.resident("P0");
      String subject = newSubject();
      String bill = steps.save(aRecord().about(subject).at(minutes(1)));
      // SOCIAL_CARE needs P2 by configuration; this council tax record asks for P2 itself.
      String care = steps.save(aRecord().about(subject).in("SOCIAL_CARE").at(minutes(2)));
      String sensitive = steps.save(aRecord().about(subject).at(minutes(3)).needing("P2"));
      String open = steps.save(aRecord().about(subject).in("LIBRARY").at(minutes(4)).needing("P0"));
      link(resident.accountId(), subject);

      // P0 (email verified) may see no category at all, even a record that asks only for P0.
      assertThat(ids(portal.get(RECORDS, resident.token()))).isEmpty();

      // The same token: the account's level counts, not the token's acr.
      setAssurance(resident.accountId(), "P1");
      assertThat(ids(portal.get(RECORDS, resident.token()))).containsExactly(open, bill);
      Portal.Response careAtP1 = portal.get(RECORDS + "?category=SOCIAL_CARE", resident.token());
      assertThat(records(careAtP1)).isEmpty();

      setAssurance(resident.accountId(), "P2");
      assertThat(ids(portal.get(RECORDS, resident.token())))
          .containsExactly(open, sensitive, care, bill);
      assertThat(ids(portal.get(RECORDS + "?category=SOCIAL_CARE", resident.token())))
          .containsExactly(care);
    }

    @Test
    void pagesWithoutDuplicatesOrGapsWhileRecordsAreInserted() {
      Resident resident = steps.resident("P1");
      String subject = newSubject();
      String other = newSubject();
      List<String> originals = new ArrayList<>();
      // Ten records on two subjects; three pairs share a time, so the id breaks the tie.
      for (int i = 0; i < 10; i++) {
        String s = i % 2 == 0 ? subject : other;
        originals.add(steps.save(aRecord().about(s).at(minutes(100 + (i / 2) * 10L))));
      }
      link(resident.accountId(), subject);
      link(resident.accountId(), other);

      List<String> seen = new ArrayList<>();
      Set<String> expectedLater = new HashSet<>();
      Set<String> newer = new HashSet<>();
      String cursor = null;
      int pages = 0;
      while (true) {
        Portal.Response page =
            portal.get(
                RECORDS + "?limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
                resident.token());
        List<Map<String, Object>> records = records(page);
        assertThat(records).hasSizeLessThanOrEqualTo(3);
        records.forEach(r -> seen.add((String) r.get("id")));
        cursor = (String) page.json().get("nextCursor");
        pages++;
        if (cursor == null || pages > 20) {
          break;
        }
        // Between pages, on either subject: one newer than anything (it belongs to a fresh first
        // page), one older than anything (it must come), and one at the very time of the last
        // record seen, which the id places before or after it.
        String s = pages % 2 == 0 ? subject : other;
        newer.add(steps.save(aRecord().about(s).at(minutes(1000 + pages))));
        expectedLater.add(steps.save(aRecord().about(s).at(minutes(-pages))));
        Map<String, Object> last = records.get(records.size() - 1);
        String tie =
            steps.save(aRecord().about(s).at(Instant.parse((String) last.get("updatedAt"))));
        if (tie.compareTo((String) last.get("id")) < 0) {
          expectedLater.add(tie);
        } else {
          newer.add(tie);
        }
      }

      assertThat(cursor).as("the last page has no cursor").isNull();
      assertThat(seen).doesNotHaveDuplicates().containsAll(originals).containsAll(expectedLater);
      assertThat(seen).doesNotContainAnyElementsOf(newer);
      List<String> fresh = ids(portal.get(RECORDS + "?limit=100", resident.token()));
      assertThat(fresh).containsAll(seen).containsAll(newer).hasSize(seen.size() + newer.size());
    }

    @Test
    void walksEveryRecordInOrderWithTheDefaultAndTheCappedLimit() {
      Resident resident = steps.resident("P1");
      String subject = newSubject();
      List<String> newestFirst = new ArrayList<>();
      for (int i = 0; i < 105; i++) {
        newestFirst.add(0, steps.save(aRecord().about(subject).at(minutes(i))));
      }
      link(resident.accountId(), subject);

      Portal.Response byDefault = portal.get(RECORDS, resident.token());
      assertThat(ids(byDefault)).containsExactlyElementsOf(newestFirst.subList(0, 20));
      assertThat(byDefault.json()).containsKey("nextCursor");

      Portal.Response capped = portal.get(RECORDS + "?limit=1000", resident.token());
      assertThat(ids(capped)).containsExactlyElementsOf(newestFirst.subList(0, 100));
      Portal.Response rest =
          portal.get(
              RECORDS + "?limit=1000&cursor=" + capped.json().get("nextCursor"), resident.token());
      assertThat(ids(rest)).containsExactlyElementsOf(newestFirst.subList(100, 105));
      assertThat(rest.json()).doesNotContainKey("nextCursor");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "garbage!!",
          "YQ",
          // base64url of "123:not-a-uuid"
          "MTIzOm5vdC1hLXV1aWQ",
          // base64url of "99999999999999999999:" + a UUID (out of range for a long)
          "OTk5OTk5OTk5OTk5OTk5OTk5OTk6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw",
          // a good cursor with base64 padding added
          "MTIzOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA%3D%3D",
          "%00%0A"
        })
    void refusesACursorItDidNotMake(String cursor) {
      Resident resident = steps.resident("P1");

      assertInvalidField(portal.get(RECORDS + "?cursor=" + cursor, resident.token()), "cursor");
    }

    @Test
    void refusesAnOverlongCursor() {
      Resident resident = steps.resident("P1");

      assertInvalidField(
          portal.get(RECORDS + "?cursor=" + "A".repeat(300), resident.token()), "cursor");
    }

    @Test
    void acceptsACursorItMade() {
      Resident resident = steps.resident("P1");
      String made = new RecordCursor(123, "00000000-0000-0000-0000-000000000000").encode();

      assertThat(made).isEqualTo("MTIzOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA");
      assertThat(portal.get(RECORDS + "?cursor=" + made, resident.token()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1"})
    void refusesALimitBelowOne(String limit) {
      Resident resident = steps.resident("P1");

      assertInvalidField(portal.get(RECORDS + "?limit=" + limit, resident.token()), "limit");
    }

    @Test
    void refusesALimitThatIsNotANumber() {
      Resident resident = steps.resident("P1");

      assertProblem(portal.get(RECORDS + "?limit=ten", resident.token()), 400, MALFORMED);
    }
  }

  @Nested
  class OneRecord {

    @Test
    void showsTheRecordWithItsDocumentsInNameOrder() {
      Resident resident = steps.resident("P1");
      String subject = newSubject();
      String id = steps.save(aRecord().about(subject).at(minutes(5)));
      String letter = steps.document(id, "letter.txt", "Dear resident");
      String bill = steps.document(id, "bill.pdf", "application/pdf", new byte[] {'%', 'P', 'D'});
      link(resident.accountId(), subject);

      Portal.Response response = portal.get(RECORDS + "/" + id, resident.token());

      assertThat(response.status()).isEqualTo(200);
      Map<String, Object> record = response.json();
      assertThat(record)
          .containsEntry("id", id)
          .containsEntry("category", "COUNCIL_TAX")
          .containsEntry("status", "Issued")
          .containsEntry("summary", "Band C, 10 instalments")
          .containsEntry("sourceSystem", "COUNCIL_TAX")
          .containsKey("title");
      assertThat(Instant.parse((String) record.get("updatedAt"))).isEqualTo(minutes(5));
      assertThat(record.get("documents"))
          .isEqualTo(
              List.of(
                  Map.of(
                      "id", bill, "name", "bill.pdf", "contentType", "application/pdf", "size", 3L),
                  Map.of(
                      "id",
                      letter,
                      "name",
                      "letter.txt",
                      "contentType",
                      "text/plain",
                      "size",
                      13L)));
    }

    @Test
    void showsARecordWithoutDocuments() {
      Resident resident = steps.resident("P1");
      String subject = newSubject();
      String id = steps.save(aRecord().about(subject));
      link(resident.accountId(), subject);

      Portal.Response response = portal.get(RECORDS + "/" + id, resident.token());

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json()).containsEntry("documents", List.of());
    }

    @Test
    void answersEveryRecordTheResidentMayNotSeeExactlyLikeAMissingOne() {
      Resident resident = steps.resident("P1");
      Resident neighbour = steps.resident("P2");
      String own = newSubject();
      String theirs = newSubject();
      String hidden = steps.save(aRecord().about(own).hidden());
      String aboveCategory = steps.save(aRecord().about(own).in("SOCIAL_CARE"));
      String aboveRecord = steps.save(aRecord().about(own).needing("P2"));
      String neighbours = steps.save(aRecord().about(theirs));
      String unlinked = steps.save(aRecord());
      link(resident.accountId(), own);
      link(neighbour.accountId(), theirs);
      Map<String, Object> missing =
          notFoundBody(portal.get(RECORDS + "/" + UUID.randomUUID(), resident.token()));

      for (String id :
          List.of(
              neighbours,
              unlinked,
              hidden,
              aboveCategory,
              aboveRecord,
              "not-a-uuid",
              "1",
              neighbours.toUpperCase(java.util.Locale.ROOT),
              neighbours + "%20")) {
        assertThat(notFoundBody(portal.get(RECORDS + "/" + id, resident.token())))
            .as("record %s", id)
            .isEqualTo(missing);
      }
      // The neighbour sees their own.
      assertThat(portal.get(RECORDS + "/" + neighbours, neighbour.token()).status()).isEqualTo(200);
    }

    @Test
    void showsARecordOnceTheAccountReachesItsAssurance() {
      Resident resident = steps.resident("P1");
      String subject = newSubject();
      String care = steps.save(aRecord().about(subject).in("SOCIAL_CARE"));
      link(resident.accountId(), subject);
      assertThat(portal.get(RECORDS + "/" + care, resident.token()).status()).isEqualTo(404);

      setAssurance(resident.accountId(), "P2");

      assertThat(portal.get(RECORDS + "/" + care, resident.token()).status()).isEqualTo(200);
    }
  }

  @Nested
  class DownloadDocument {
    private static final byte[] PDF =
        "%PDF-1.7 not really".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Resident resident;
    private String recordId;

    @BeforeEach
    void residentWithARecord() {
      resident = steps.resident("P1");
      String subject = newSubject();
      recordId = steps.save(aRecord().about(subject));
      link(resident.accountId(), subject);
    }

    private Portal.Response download(String record, String document, String token) {
      return portal.get(RECORDS + "/" + record + "/documents/" + document, token);
    }

    @Test
    void sendsTheBytesWithTheStoredTypeAsANeverSniffedNeverCachedAttachment() {
      String document = steps.document(recordId, "bill.pdf", "application/pdf", PDF);

      Portal.Response response = download(recordId, document, resident.token());

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body())
          .isEqualTo(new String(PDF, java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(response.contentType()).isEqualTo("application/pdf");
      assertThat(response.header("content-length")).isEqualTo(String.valueOf(PDF.length));
      assertThat(response.header("content-disposition"))
          .isEqualTo("attachment; filename=\"bill.pdf\"; filename*=UTF-8''bill.pdf");
      assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
      assertThat(response.headers().allValues("cache-control")).containsExactly("no-store");
    }

    @Test
    void answersWhateverTheClientAccepts() {
      String document = steps.document(recordId, "bill.pdf", "application/pdf", PDF);

      Portal.Response response =
          portal.send(
              HttpRequest.newBuilder(
                      URI.create(
                          portal.base() + RECORDS + "/" + recordId + "/documents/" + document))
                  .header("Authorization", "Bearer " + resident.token())
                  .header("Accept", "application/json"));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.contentType()).isEqualTo("application/pdf");
    }

    @Test
    void namesAHostileFileSafely() {
      String document = steps.document(recordId, "a\"b\r\n.pdf", "application/pdf", PDF);

      Portal.Response response = download(recordId, document, resident.token());

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("content-disposition"))
          .isEqualTo("attachment; filename=\"a_b__.pdf\"; filename*=UTF-8''a%22b%0D%0A.pdf");
      // Nothing the name held became a header of its own.
      assertThat(response.headers().map().keySet())
          .allSatisfy(name -> assertThat(name).doesNotContain(".pdf"));
    }

    @Test
    void namesANonAsciiFileInUtf8WithAnAsciiFallback() {
      String document =
          steps.document(recordId, "Bescheid für März – 2026\\%/x.pdf", "application/pdf", PDF);

      Portal.Response response = download(recordId, document, resident.token());

      assertThat(response.header("content-disposition"))
          .isEqualTo(
              "attachment; filename=\"Bescheid f_r M_rz _ 2026___x.pdf\";"
                  + " filename*=UTF-8''Bescheid%20f%C3%BCr%20M%C3%A4rz%20%E2%80%93%202026%5C%25%2Fx.pdf");
    }

    @Test
    void answersEveryDocumentTheResidentMayNotSeeExactlyLikeAMissingOne() {
      String own = steps.document(recordId, "own.txt", "mine");
      String otherRecord = steps.save(aRecord().about(newSubject()));
      String othersDocument = steps.document(otherRecord, "other.txt", "not mine");
      String subject = newSubject();
      String hiddenRecord = steps.save(aRecord().about(subject).hidden());
      String hiddenDocument = steps.document(hiddenRecord, "hidden.txt", "hidden");
      String careRecord = steps.save(aRecord().about(subject).in("SOCIAL_CARE"));
      String careDocument = steps.document(careRecord, "care.txt", "care");
      // A second record of the resident's own, with its own document.
      String sibling = steps.save(aRecord().about(subject));
      String siblingDocument = steps.document(sibling, "sibling.txt", "sibling");
      link(resident.accountId(), subject);
      Map<String, Object> missing =
          notFoundBody(download(recordId, UUID.randomUUID().toString(), resident.token()));

      List<String[]> refused =
          List.of(
              new String[] {otherRecord, othersDocument},
              new String[] {recordId, othersDocument},
              new String[] {recordId, siblingDocument},
              new String[] {sibling, own},
              new String[] {hiddenRecord, hiddenDocument},
              new String[] {careRecord, careDocument},
              new String[] {UUID.randomUUID().toString(), own},
              new String[] {recordId, "not-a-uuid"},
              new String[] {"not-a-uuid", own});
      for (String[] pair : refused) {
        assertThat(notFoundBody(download(pair[0], pair[1], resident.token())))
            .as("record %s document %s", pair[0], pair[1])
            .isEqualTo(missing);
      }
      assertThat(download(recordId, own, resident.token()).body()).isEqualTo("mine");
      assertThat(download(sibling, siblingDocument, resident.token()).body()).isEqualTo("sibling");
    }
  }

  @Nested
  class Callers {
    private Resident resident;
    private List<String> paths;

    @BeforeEach
    void aResidentsRecordAndDocument() {
      resident = steps.resident("P1");
      String subject = newSubject();
      String record = steps.save(aRecord().about(subject));
      String document = steps.document(record, "a.txt", "a");
      link(resident.accountId(), subject);
      paths =
          List.of(
              RECORDS, RECORDS + "/" + record, RECORDS + "/" + record + "/documents/" + document);
      for (String path : paths) {
        assertThat(portal.get(path, resident.token()).status()).as(path).isEqualTo(200);
      }
    }

    @Test
    void refusesARequestWithoutAToken() {
      for (String path : paths) {
        Portal.Response response = portal.get(path, null);
        assertProblem(response, 401, UNAUTHORIZED);
        assertThat(response.header("www-authenticate")).startsWith("Bearer");
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {MachineTokens.COUNCIL_TAX_SYSTEM, MachineTokens.PARTNER})
    void refusesMachineTokens(String client) {
      String token = MachineTokens.tokenFor(portal, client);
      for (String path : paths) {
        Portal.Response response = portal.get(path, token);
        assertProblem(response, 403, FORBIDDEN);
        assertThat(response.header("www-authenticate")).contains("error=\"insufficient_scope\"");
      }
    }

    @Test
    void refusesASignInTokenWithoutTheAccountScope() {
      String token = steps.signInTokenWithoutAccountScope(resident.email());
      for (String path : paths) {
        Portal.Response response = portal.get(path, token);
        assertProblem(response, 403, FORBIDDEN);
        assertThat(response.header("www-authenticate")).contains("scope=\"account\"");
      }
    }
  }
}
