package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.records.IngestionSteps.PAYLOAD_TOO_LARGE;
import static uk.gov.residentportal.records.IngestionSteps.anUpsert;
import static uk.gov.residentportal.records.IngestionSteps.assertProblem;
import static uk.gov.residentportal.records.IngestionSteps.count;
import static uk.gov.residentportal.records.IngestionSteps.newRef;
import static uk.gov.residentportal.records.IngestionSteps.paddedBatch;
import static uk.gov.residentportal.records.IngestionSteps.postRawBatch;
import static uk.gov.residentportal.records.IngestionSteps.put;
import static uk.gov.residentportal.records.IngestionSteps.putDocument;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;

/**
 * The size limits as configured (here small, so the tests send little): the document limit
 * (portal.records.document-max-size) and the request size limit the server enforces on every body
 * (micronaut.server.max-request-size), both answered with a 413 problem.
 */
@MicronautTest(transactional = false)
@Property(name = "portal.records.document-max-size", value = "2KB")
@Property(name = "micronaut.server.max-request-size", value = "64KB")
class IngestionLimitsTest {
  private static final int DOCUMENT_LIMIT = 2 * 1024;
  private static final int REQUEST_LIMIT = 64 * 1024;

  @Inject EmbeddedServer server;

  Portal portal;
  String councilTax;

  @BeforeEach
  void connect() {
    portal = new Portal(server.getURI());
    councilTax = MachineTokens.tokenFor(portal, MachineTokens.COUNCIL_TAX_SYSTEM);
  }

  @Nested
  class DocumentLimit {
    String ref;
    String recordId;

    @BeforeEach
    void aRecord() {
      ref = newRef();
      recordId = (String) put(portal, councilTax, "COUNCIL_TAX", ref, anUpsert()).json().get("id");
    }

    @Test
    void takesADocumentOfExactlyTheLimit() {
      Portal.Response response = upload(IngestionSteps.pdfOfSize(DOCUMENT_LIMIT));

      assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void refusesADocumentOneByteOverTheLimitWith413AndStoresNothing() {
      Portal.Response response = upload(IngestionSteps.pdfOfSize(DOCUMENT_LIMIT + 1));

      assertProblem(response, 413, PAYLOAD_TOO_LARGE);
      assertThat(response.json().get("detail")).asString().contains(String.valueOf(DOCUMENT_LIMIT));
      assertThat(count("SELECT COUNT(*) FROM record_documents WHERE record_id = ?", recordId))
          .isZero();
    }

    @Test
    void refusesADocumentOverTheRequestLimitWith413() {
      Portal.Response response = upload(IngestionSteps.pdfOfSize(REQUEST_LIMIT + 1));

      assertProblem(response, 413, PAYLOAD_TOO_LARGE);
      assertThat(count("SELECT COUNT(*) FROM record_documents WHERE record_id = ?", recordId))
          .isZero();
    }

    private Portal.Response upload(byte[] content) {
      return putDocument(
          portal, councilTax, "COUNCIL_TAX", ref, "big.pdf", "application/pdf", content);
    }
  }

  @Nested
  class RequestLimit {
    @Test
    void readsABodyUnderTheLimit() {
      Portal.Response response =
          postRawBatch(portal, councilTax, paddedBatch(REQUEST_LIMIT - 1024), false);

      assertThat(response.status()).as(response.body()).isEqualTo(400);
      assertThat(response.json()).containsEntry("type", IngestionSteps.VALIDATION);
    }

    @Test
    void refusesABodyOverTheLimitWith413Problem() {
      assertProblem(
          postRawBatch(portal, councilTax, paddedBatch(REQUEST_LIMIT + 1024), false),
          413,
          PAYLOAD_TOO_LARGE);
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWith413Problem() {
      assertProblem(
          postRawBatch(portal, councilTax, paddedBatch(REQUEST_LIMIT + 1024), true),
          413,
          PAYLOAD_TOO_LARGE);
    }
  }
}
