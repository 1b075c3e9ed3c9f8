package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static uk.gov.residentportal.records.DatabaseDocumentStore.CHUNK_SIZE;
import static uk.gov.residentportal.records.DatabaseDocumentStoreTest.randomBytes;
import static uk.gov.residentportal.records.IngestionSteps.anUpsert;
import static uk.gov.residentportal.records.IngestionSteps.newRef;
import static uk.gov.residentportal.records.IngestionSteps.put;
import static uk.gov.residentportal.records.IngestionSteps.putDocument;
import static uk.gov.residentportal.records.IngestionSteps.sha256;
import static uk.gov.residentportal.records.ResidentRecordsSteps.aRecord;
import static uk.gov.residentportal.records.ResidentRecordsSteps.link;
import static uk.gov.residentportal.records.ResidentRecordsSteps.newSubject;
import static uk.gov.residentportal.records.ResidentRecordsSteps.notFoundBody;
import static uk.gov.residentportal.records.StoredDocuments.chunksOf;
import static uk.gov.residentportal.records.StoredDocuments.deleteChunk;
import static uk.gov.residentportal.records.StoredDocuments.deleteChunks;
import static uk.gov.residentportal.records.StoredDocuments.storageKeyOf;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
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
 * GET /api/v1/me/records/{id}/documents/{docId} streams the stored chunks on MariaDB (default
 * settings): whole files of any size up to the limit arrive byte for byte, with Content-Length from
 * the metadata; lost bytes give a 404 before anything is sent, or an aborted transfer, never a
 * hang.
 */
@MicronautTest(transactional = false)
class DocumentDownloadTest {
  private static final String RECORDS = "/api/v1/me/records";
  private static final Duration NEVER_A_HANG = Duration.ofSeconds(30);

  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;
  @Inject DocumentStore store;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  Portal portal;
  ResidentRecordsSteps steps;
  Resident resident;
  String recordId;

  @BeforeEach
  void aResidentWithARecord() {
    portal = new Portal(server.getURI());
    steps = new ResidentRecordsSteps(ingestion, store, portal);
    resident = steps.resident("P1");
    String subject = newSubject();
    recordId = steps.save(aRecord().about(subject));
    link(resident.accountId(), subject);
  }

  private HttpRequest downloadRequest(String record, String document) {
    return HttpRequest.newBuilder(
            URI.create(portal.base() + RECORDS + "/" + record + "/documents/" + document))
        .header("Authorization", "Bearer " + resident.token())
        .timeout(NEVER_A_HANG)
        .build();
  }

  private HttpResponse<byte[]> download(String record, String document) throws Exception {
    return http.send(downloadRequest(record, document), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Nested
  class RoundTrip {
    @Test
    void uploadsAndDownloadsANineAndAHalfMegabyteFileByteForByte() throws Exception {
      String councilTax = MachineTokens.tokenFor(portal, MachineTokens.COUNCIL_TAX_SYSTEM);
      String ref = newRef();
      Map<String, Object> upsert = anUpsert();
      Portal.Response created = put(portal, councilTax, "COUNCIL_TAX", ref, upsert);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      link(resident.accountId(), (String) upsert.get("subjectRef"));
      // A PDF header, then random bytes: chunks out of order could not compare equal.
      byte[] file = randomBytes(9 * 1024 * 1024 + 512 * 1024);
      byte[] header = "%PDF-1.7\n%".getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(header, 0, file, 0, header.length);

      Portal.Response uploaded =
          putDocument(portal, councilTax, "COUNCIL_TAX", ref, "big.pdf", "application/pdf", file);

      assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
      assertThat(uploaded.json()).containsEntry("sha256", sha256(file));
      String documentId = (String) uploaded.json().get("id");
      assertThat(chunksOf(storageKeyOf(documentId))).isEqualTo(38);

      HttpResponse<byte[]> response = download((String) created.json().get("id"), documentId);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-length"))
          .hasValue(String.valueOf(file.length));
      assertThat(response.headers().firstValue("content-type")).hasValue("application/pdf");
      assertThat(response.body()).hasSize(file.length).isEqualTo(file);
      assertThat(sha256(response.body())).isEqualTo(sha256(file));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE + 1})
    void downloadsEverySizeAroundChunkBoundaries(int size) throws Exception {
      byte[] content = randomBytes(size);
      String document = steps.document(recordId, "scan.tiff", "image/tiff", content);

      HttpResponse<byte[]> response = download(recordId, document);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-length")).hasValue(String.valueOf(size));
      assertThat(response.body()).isEqualTo(content);
    }

    @Test
    void sendsTheDownloadHeadersWithTheStream() throws Exception {
      String document =
          steps.document(recordId, "bill.pdf", "application/pdf", randomBytes(CHUNK_SIZE + 9));

      HttpResponse<byte[]> response = download(recordId, document);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-disposition"))
          .hasValue("attachment; filename=\"bill.pdf\"; filename*=UTF-8''bill.pdf");
      assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
      assertThat(response.headers().allValues("cache-control")).containsExactly("no-store");
      assertThat(response.headers().allValues("expires")).containsExactly("0");
      assertThat(response.headers().firstValue("transfer-encoding")).isEmpty();
    }
  }

  @Nested
  class LostBytes {
    @Test
    void answers404LikeAMissingDocumentWhenEveryChunkIsGone() {
      String document = steps.document(recordId, "bill.pdf", "application/pdf", randomBytes(100));
      deleteChunks(storageKeyOf(document));

      Map<String, Object> lost =
          notFoundBody(portal.get(documentPath(recordId, document), resident.token()));

      assertThat(lost)
          .isEqualTo(
              notFoundBody(
                  portal.get(
                      documentPath(recordId, UUID.randomUUID().toString()), resident.token())));
    }

    @Test
    void abortsTheTransferWhenAChunkInTheMiddleIsGone() {
      String document =
          steps.document(recordId, "bill.pdf", "application/pdf", randomBytes(3 * CHUNK_SIZE));
      deleteChunk(storageKeyOf(document), 1);

      assertAbortedWithoutHanging(recordId, document);
    }

    @Test
    void abortsTheTransferWhenTheLastChunkIsGone() {
      String document =
          steps.document(recordId, "bill.pdf", "application/pdf", randomBytes(3 * CHUNK_SIZE));
      deleteChunk(storageKeyOf(document), 2);

      assertAbortedWithoutHanging(recordId, document);
    }

    @Test
    void stillServesTheNextRequestAfterAnAbortedOne() throws Exception {
      String broken =
          steps.document(recordId, "a.pdf", "application/pdf", randomBytes(2 * CHUNK_SIZE));
      deleteChunk(storageKeyOf(broken), 1);
      byte[] content = randomBytes(2 * CHUNK_SIZE);
      String whole = steps.document(recordId, "b.pdf", "application/pdf", content);
      assertAbortedWithoutHanging(recordId, broken);

      HttpResponse<byte[]> response = download(recordId, whole);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(content);
    }

    private void assertAbortedWithoutHanging(String record, String document) {
      // The status line and Content-Length went out before the missing chunk was reached; what
      // the client must see is a failed transfer, at once, not a short body or a wait.
      assertTimeoutPreemptively(
          NEVER_A_HANG,
          () ->
              assertThatThrownBy(() -> download(record, document)).isInstanceOf(IOException.class));
    }
  }

  private static String documentPath(String record, String document) {
    return RECORDS + "/" + record + "/documents/" + document;
  }
}
