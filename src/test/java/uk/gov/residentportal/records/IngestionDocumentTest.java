package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.records.IngestionSteps.FORBIDDEN;
import static uk.gov.residentportal.records.IngestionSteps.NOT_FOUND;
import static uk.gov.residentportal.records.IngestionSteps.PAYLOAD_TOO_LARGE;
import static uk.gov.residentportal.records.IngestionSteps.UNAUTHORIZED;
import static uk.gov.residentportal.records.IngestionSteps.UNSUPPORTED_MEDIA_TYPE;
import static uk.gov.residentportal.records.IngestionSteps.anUpsert;
import static uk.gov.residentportal.records.IngestionSteps.assertInvalidField;
import static uk.gov.residentportal.records.IngestionSteps.assertProblem;
import static uk.gov.residentportal.records.IngestionSteps.count;
import static uk.gov.residentportal.records.IngestionSteps.newRef;
import static uk.gov.residentportal.records.IngestionSteps.put;
import static uk.gov.residentportal.records.IngestionSteps.putDocument;
import static uk.gov.residentportal.records.IngestionSteps.sha256;
import static uk.gov.residentportal.records.IngestionSteps.string;
import static uk.gov.residentportal.records.StoredDocuments.chunksOf;
import static uk.gov.residentportal.records.StoredDocuments.storageKeyOf;
import static uk.gov.residentportal.records.StoredDocuments.storedBytes;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
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
 * PUT /api/v1/systems/records/{sourceSystem}/{externalRef}/documents/{name}: a file for a record,
 * typed by its bytes, stored with its SHA-256 and size; the same name again replaces it.
 */
@MicronautTest(transactional = false)
class IngestionDocumentTest {
  @Inject EmbeddedServer server;

  Portal portal;
  String councilTax;
  String ref;
  String recordId;

  @BeforeEach
  void aRecord() {
    portal = new Portal(server.getURI());
    councilTax = MachineTokens.tokenFor(portal, MachineTokens.COUNCIL_TAX_SYSTEM);
    ref = newRef();
    Portal.Response created = put(portal, councilTax, "COUNCIL_TAX", ref, anUpsert());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    recordId = (String) created.json().get("id");
  }

  private Portal.Response upload(String name, String contentType, byte[] content) {
    return putDocument(portal, councilTax, "COUNCIL_TAX", ref, name, contentType, content);
  }

  private long documentsOfRecord() {
    return count("SELECT COUNT(*) FROM record_documents WHERE record_id = ?", recordId);
  }

  private long contentsHolding(byte[] content) {
    // Test files are smaller than a chunk: each is one row when stored.
    return count("SELECT COUNT(*) FROM document_chunks WHERE content = ?", (Object) content);
  }

  @Nested
  class Upload {
    static Stream<Arguments> files() {
      return Stream.of(
          Arguments.of("bill.pdf", "application/pdf"),
          Arguments.of("map.png", "image/png"),
          Arguments.of("photo.jpg", "image/jpeg"),
          Arguments.of("scan.tiff", "image/tiff"),
          Arguments.of("letter.txt", "text/plain"));
    }

    private static byte[] fileOf(String type) {
      return switch (type) {
        case "application/pdf" -> IngestionSteps.pdf();
        case "image/png" -> IngestionSteps.png();
        case "image/jpeg" -> IngestionSteps.jpeg();
        case "image/tiff" -> IngestionSteps.tiff();
        default -> IngestionSteps.text();
      };
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("files")
    void storesAnAllowedFileWithItsDetectedTypeShaAndSize(String name, String type) {
      byte[] content = fileOf(type);

      // The header says nothing useful: the type comes from the bytes.
      Portal.Response response = upload(name, "application/octet-stream", content);

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      Map<String, Object> body = response.json();
      assertThat(body)
          .containsEntry("name", name)
          .containsEntry("contentType", type)
          .containsEntry("size", (long) content.length)
          .containsEntry("sha256", sha256(content))
          .containsKey("id");
      String id = (String) body.get("id");
      assertThat(string("SELECT content_type FROM record_documents WHERE id = ?", id))
          .isEqualTo(type);
      assertThat(string("SELECT sha256 FROM record_documents WHERE id = ?", id))
          .isEqualTo(sha256(content));
      assertThat(storedBytes(storageKeyOf(id))).isEqualTo(content);
    }

    @Test
    void takesTheBytesWhateverTheContentTypeHeaderSays() {
      Portal.Response response = upload("bill.pdf", "application/json", IngestionSteps.pdf());

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      assertThat(response.json()).containsEntry("contentType", "application/pdf");
    }

    @Test
    void storesTheDetectedTypeNotTheClaimedOne() {
      Portal.Response response = upload("scan.png", "application/pdf", IngestionSteps.png());

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      assertThat(response.json()).containsEntry("contentType", "image/png");
    }

    @Test
    void takesANameWithSpacesAndAccents() {
      Portal.Response response =
          upload("Relev%C3%A9%20de%20compte%202026.pdf", "application/pdf", IngestionSteps.pdf());

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      assertThat(response.json()).containsEntry("name", "Relevé de compte 2026.pdf");
    }
  }

  @Nested
  class Refusals {
    @Test
    void refusesAnExecutableNamedPdfWith415AndStoresNothing() {
      byte[] exe = IngestionSteps.executable();

      Portal.Response response = upload("invoice.pdf", "application/pdf", exe);

      assertProblem(response, 415, UNSUPPORTED_MEDIA_TYPE);
      assertThat(documentsOfRecord()).isZero();
      assertThat(contentsHolding(exe)).isZero();
    }

    @Test
    void refusesHtmlSentAsTextWith415() {
      byte[] html =
          "<html><body><script>alert(1)</script></body></html>"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);

      assertProblem(upload("note.txt", "text/plain", html), 415, UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void refusesAFileWhoseNameDoesNotEndInItsTypesExtensionWith415() {
      assertProblem(
          upload("scan.pdf", "image/png", IngestionSteps.png()), 415, UNSUPPORTED_MEDIA_TYPE);
      assertProblem(
          upload("letter.html", "text/plain", IngestionSteps.text()), 415, UNSUPPORTED_MEDIA_TYPE);
      assertProblem(
          upload("bill", "application/pdf", IngestionSteps.pdf()), 415, UNSUPPORTED_MEDIA_TYPE);
      assertThat(documentsOfRecord()).isZero();
    }

    @Test
    void refusesAPdfWithAZipArchiveAppendedWith415() {
      byte[] pdf = IngestionSteps.pdf();
      // An empty ZIP archive: just its end-of-central-directory record.
      byte[] zip = {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
      byte[] polyglot = java.util.Arrays.copyOf(pdf, pdf.length + zip.length);
      System.arraycopy(zip, 0, polyglot, pdf.length, zip.length);

      assertProblem(upload("bill.pdf", "application/pdf", polyglot), 415, UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void refusesTextThatIsNotCleanUtf8With415() {
      byte[] latin1 = "Caf\u00e9 bill".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      byte[] control = "line one\u0000line two".getBytes(java.nio.charset.StandardCharsets.UTF_8);

      assertProblem(upload("a.txt", "text/plain", latin1), 415, UNSUPPORTED_MEDIA_TYPE);
      assertProblem(upload("b.txt", "text/plain", control), 415, UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void refusesADocumentOverTheDefaultTenMegabytesWith413() {
      byte[] big = IngestionSteps.pdfOfSize(10 * 1024 * 1024 + 1);

      Portal.Response response = upload("big.pdf", "application/pdf", big);

      assertProblem(response, 413, PAYLOAD_TOO_LARGE);
      assertThat(documentsOfRecord()).isZero();
    }

    @Test
    void takesADocumentOfExactlyTheDefaultTenMegabytesInChunks() {
      // On MariaDB's defaults: one statement with all of it would be ~20MB hex-encoded, over the
      // 16MB max_allowed_packet; chunks are ~512KB each.
      byte[] big = IngestionSteps.pdfOfSize(10 * 1024 * 1024);

      Portal.Response response = upload("big.pdf", "application/pdf", big);

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      assertThat(response.json())
          .containsEntry("size", (long) big.length)
          .containsEntry("sha256", sha256(big));
      String key = storageKeyOf((String) response.json().get("id"));
      assertThat(chunksOf(key)).isEqualTo(40);
      assertThat(storedBytes(key)).isEqualTo(big);
    }

    @Test
    void refusesAnEmptyBodyWith400() {
      assertInvalidField(upload("empty.pdf", "application/pdf", new byte[0]), "body");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          ".hidden.pdf",
          "..",
          "a%5Cb.pdf",
          "a%2Fb.pdf",
          "bell%07.pdf",
          "new%0Aline.pdf",
          "%E2%80%AEfdp.exe",
          "%20padded.pdf",
          "padded.pdf%20",
        })
    void refusesAnUnsafeNameWith400(String rawName) {
      Portal.Response response = upload(rawName, "application/pdf", IngestionSteps.pdf());

      assertInvalidField(response, "name");
      assertThat(documentsOfRecord()).isZero();
    }

    @Test
    void refusesANameOverTwoHundredCharacters() {
      assertInvalidField(
          upload("n".repeat(197) + ".pdf", "application/pdf", IngestionSteps.pdf()), "name");
      assertThat(upload("n".repeat(196) + ".pdf", "application/pdf", IngestionSteps.pdf()).status())
          .isEqualTo(201);
    }
  }

  @Nested
  class Replace {
    @Test
    void theSameNameAgainReplacesTheDocumentAndDeletesTheOldBytes() {
      Portal.Response first = upload("bill.pdf", "application/pdf", IngestionSteps.pdf());
      String id = (String) first.json().get("id");
      String oldKey = string("SELECT storage_key FROM record_documents WHERE id = ?", id);
      byte[] replacement = IngestionSteps.pdfOfSize(4096);

      Portal.Response second = upload("bill.pdf", "application/pdf", replacement);

      assertThat(second.status()).as(second.body()).isEqualTo(200);
      assertThat(second.json())
          .containsEntry("id", id)
          .containsEntry("name", "bill.pdf")
          .containsEntry("contentType", "application/pdf")
          .containsEntry("size", (long) replacement.length)
          .containsEntry("sha256", sha256(replacement));
      assertThat(documentsOfRecord()).isEqualTo(1);
      String newKey = string("SELECT storage_key FROM record_documents WHERE id = ?", id);
      assertThat(newKey).isNotEqualTo(oldKey);
      assertThat(chunksOf(oldKey)).isZero();
      assertThat(storedBytes(newKey)).isEqualTo(replacement);
    }

    @Test
    void replacingAManyChunkDocumentDeletesEveryOldChunk() {
      byte[] original = IngestionSteps.pdfOfSize(3 * DatabaseDocumentStore.CHUNK_SIZE + 17);
      String id = (String) upload("bill.pdf", "application/pdf", original).json().get("id");
      String oldKey = storageKeyOf(id);
      assertThat(chunksOf(oldKey)).isEqualTo(4);
      byte[] replacement = IngestionSteps.pdfOfSize(DatabaseDocumentStore.CHUNK_SIZE + 1);

      Portal.Response second = upload("bill.pdf", "application/pdf", replacement);

      assertThat(second.status()).as(second.body()).isEqualTo(200);
      String newKey = storageKeyOf(id);
      assertThat(chunksOf(oldKey)).isZero();
      assertThat(chunksOf(newKey)).isEqualTo(2);
      assertThat(storedBytes(newKey)).isEqualTo(replacement);
    }

    @Test
    void parallelUploadsOfOneNameEndWithOneDocument() throws Exception {
      List<Portal.Response> responses =
          IngestionUpsertTest.inParallel(
              4, i -> upload("bill.pdf", "application/pdf", IngestionSteps.pdfOfSize(1000 + i)));

      assertThat(responses).extracting(Portal.Response::status).containsOnly(201, 200);
      assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
      assertThat(documentsOfRecord()).isEqualTo(1);
      String key = string("SELECT storage_key FROM record_documents WHERE record_id = ?", recordId);
      assertThat(
              count(
                  "SELECT COUNT(*) FROM document_chunks WHERE storage_key = ? AND LENGTH(content)"
                      + " BETWEEN 1000 AND 1003",
                  key))
          .isEqualTo(1);
      // Every replaced upload's bytes went with it: none of these sizes is left unreferenced.
      assertThat(
              count(
                  "SELECT COUNT(*) FROM document_chunks c WHERE LENGTH(c.content) BETWEEN 1000"
                      + " AND 1003 AND NOT EXISTS (SELECT 1 FROM record_documents d"
                      + " WHERE d.storage_key = c.storage_key)"))
          .isZero();
    }

    @Test
    void anotherNameAddsASecondDocument() {
      upload("bill.pdf", "application/pdf", IngestionSteps.pdf());

      Portal.Response second = upload("map.png", "image/png", IngestionSteps.png());

      assertThat(second.status()).isEqualTo(201);
      assertThat(documentsOfRecord()).isEqualTo(2);
    }

    @Test
    void aRefusedReplacementLeavesTheDocumentAsItWas() {
      byte[] original = IngestionSteps.pdf();
      String id = (String) upload("bill.pdf", "application/pdf", original).json().get("id");
      String key = string("SELECT storage_key FROM record_documents WHERE id = ?", id);
      byte[] exe = IngestionSteps.executable();

      Portal.Response refused = upload("bill.pdf", "application/pdf", exe);

      assertProblem(refused, 415, UNSUPPORTED_MEDIA_TYPE);
      assertThat(documentsOfRecord()).isEqualTo(1);
      assertThat(string("SELECT storage_key FROM record_documents WHERE id = ?", id))
          .isEqualTo(key);
      assertThat(string("SELECT sha256 FROM record_documents WHERE id = ?", id))
          .isEqualTo(sha256(original));
      assertThat(storedBytes(key)).isEqualTo(original);
      assertThat(contentsHolding(exe)).isZero();
    }
  }

  @Nested
  class Callers {
    @Test
    void refusesAnotherSystemsRecordWith403() {
      String parking = MachineTokens.tokenFor(portal, MachineTokens.PARKING_SYSTEM);

      Portal.Response response =
          putDocument(
              portal,
              parking,
              "COUNCIL_TAX",
              ref,
              "bill.pdf",
              "application/pdf",
              IngestionSteps.pdf());

      assertProblem(response, 403, FORBIDDEN);
      assertThat(documentsOfRecord()).isZero();
    }

    @Test
    void answers404ForAnUnknownRecordAndStoresNothing() {
      byte[] content = IngestionSteps.text();

      Portal.Response response =
          putDocument(portal, councilTax, "COUNCIL_TAX", newRef(), "a.txt", "text/plain", content);

      assertProblem(response, 404, NOT_FOUND);
      assertThat(contentsHolding(content)).isZero();
    }

    @Test
    void answers404WhenTheSameRefIsOnlyAnotherSystemsRecord() {
      String parking = MachineTokens.tokenFor(portal, MachineTokens.PARKING_SYSTEM);

      Portal.Response response =
          putDocument(
              portal, parking, "PARKING", ref, "bill.pdf", "application/pdf", IngestionSteps.pdf());

      assertProblem(response, 404, NOT_FOUND);
      assertThat(documentsOfRecord()).isZero();
    }

    @Test
    void refusesAResidentTokenWith403() {
      Portal.Tokens resident = portal.newResident(Portal.newEmail());

      Portal.Response response =
          putDocument(
              portal,
              resident.accessToken(),
              "COUNCIL_TAX",
              ref,
              "bill.pdf",
              "application/pdf",
              IngestionSteps.pdf());

      assertProblem(response, 403, FORBIDDEN);
      assertThat(documentsOfRecord()).isZero();
    }

    @Test
    void refusesACallWithoutATokenWith401() {
      Portal.Response response =
          putDocument(
              portal,
              null,
              "COUNCIL_TAX",
              ref,
              "bill.pdf",
              "application/pdf",
              IngestionSteps.pdf());

      assertProblem(response, 401, UNAUTHORIZED);
    }
  }
}
