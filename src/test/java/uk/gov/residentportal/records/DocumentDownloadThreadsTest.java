package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.records.DatabaseDocumentStore.CHUNK_SIZE;
import static uk.gov.residentportal.records.DatabaseDocumentStoreTest.randomBytes;
import static uk.gov.residentportal.records.ResidentRecordsSteps.aRecord;
import static uk.gov.residentportal.records.ResidentRecordsSteps.link;
import static uk.gov.residentportal.records.ResidentRecordsSteps.newSubject;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.records.ResidentRecordsSteps.Resident;
import uk.gov.residentportal.support.Portal;

/**
 * Where a download's bytes are read: Micronaut reads a StreamedFile on its blocking executor, so
 * the chunk queries never run on a Netty event loop.
 */
@MicronautTest(transactional = false)
@Property(name = "portal.test.reader-threads", value = "true")
class DocumentDownloadThreadsTest {
  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;
  @Inject DocumentStore store;
  @Inject ReaderThreads threads;

  @Test
  void readsTheStoredChunksOffTheEventLoop() throws Exception {
    Portal portal = new Portal(server.getURI());
    ResidentRecordsSteps steps = new ResidentRecordsSteps(ingestion, store, portal);
    Resident resident = steps.resident("P1");
    String subject = newSubject();
    String record = steps.save(aRecord().about(subject));
    link(resident.accountId(), subject);
    byte[] content = randomBytes(4 * CHUNK_SIZE + 1);
    String document = steps.document(record, "scan.tiff", "image/tiff", content);
    threads.readers.clear();

    HttpResponse<byte[]> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            portal.base()
                                + "/api/v1/me/records/"
                                + record
                                + "/documents/"
                                + document))
                    .header("Authorization", "Bearer " + resident.token())
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(content);
    assertThat(threads.readers)
        .isNotEmpty()
        .allSatisfy(
            reader -> {
              assertThat(reader.eventLoop()).as(reader.name()).isFalse();
              assertThat(reader.name()).doesNotContainIgnoringCase("eventloop");
            });
  }
}
