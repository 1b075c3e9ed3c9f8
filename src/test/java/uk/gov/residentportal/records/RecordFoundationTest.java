package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.web.ProblemException;

@MicronautTest(transactional = false)
class RecordFoundationTest {
  @Inject RecordIngestion ingestion;
  @Inject DocumentStore documents;
  @Inject EmbeddedServer server;

  @Test
  void upsertsInOrderAndKeepsDocumentsInTheDatabase() {
    String ref = "CT-" + UUID.randomUUID();
    Instant t = Instant.now().minus(1, ChronoUnit.HOURS);
    RecordUpsert body =
        new RecordUpsert(
            "COUNCIL_TAX_ACCOUNT",
            "4000" + (System.nanoTime() % 100000),
            "le1 5ww",
            "COUNCIL_TAX",
            "Council tax bill 2026/27",
            "Issued",
            "Band C",
            true,
            null,
            null,
            t.toString());

    var created = ingestion.upsert("COUNCIL_TAX", "COUNCIL_TAX", ref, body);
    var replay = ingestion.upsert("COUNCIL_TAX", "COUNCIL_TAX", ref, body);

    assertThat(created.outcome()).isEqualTo(RecordIngestion.Outcome.CREATED);
    assertThat(replay)
        .isEqualTo(
            new RecordIngestion.Result(created.recordId(), RecordIngestion.Outcome.UNCHANGED));
    assertThatThrownBy(() -> ingestion.upsert("PARKING", "COUNCIL_TAX", ref, body))
        .isInstanceOf(ProblemException.Forbidden.class);
    String key = documents.put(new byte[] {1, 2, 3});
    assertThat(documents.open(key))
        .hasValueSatisfying(in -> assertThat(in).hasBinaryContent(new byte[] {1, 2, 3}));
    assertThat(MachineTokens.tokenFor(new Portal(server.getURI()), MachineTokens.PARKING_SYSTEM))
        .isNotBlank();
  }
}
