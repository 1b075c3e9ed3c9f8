package uk.gov.residentportal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.VerifyAuditCommand;
import uk.gov.residentportal.support.Sql;

/**
 * The audit trail's hash chains: many writers at once leave every chain whole, and the verifier
 * (and the --verify-audit command) finds a row changed or deleted in the database behind the
 * service's back. Each tampering test puts the row back, so the chains stay intact for the rest of
 * the run.
 */
@MicronautTest(transactional = false)
class AuditChainTest {
  @Inject AuditTrail trail;
  @Inject AuditVerifier verifier;
  @Inject AuditCheckpoints checkpoints;
  @Inject AuditRepository events;
  @Inject AuditChainRepository chains;
  @Inject AuditChainWalker walker;
  @Inject TransactionOperations<Connection> transactions;

  /** Appends in a transaction of its own, as a service method would (append is MANDATORY). */
  private String append(AuditEvent event) {
    return transactions.executeWrite(status -> trail.append(event));
  }

  /** A verifier whose clock is {@code ahead} later than now. */
  private AuditVerifier verifierAhead(Duration ahead) {
    return new AuditVerifier(
        events, chains, checkpoints, walker, Clock.offset(Clock.systemUTC(), ahead));
  }

  /** A client id no other test uses, to find this test's events. */
  private static String actorId() {
    return "audit-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static AuditEvent read(String actorId, String recordId) {
    return new AuditEvent(
        AuditAction.PARTNER_RECORDS_READ,
        AuditOutcome.SUCCESS,
        Actor.client(actorId),
        "RX1",
        "DIRECT_CARE",
        UUID.randomUUID().toString(),
        List.of(recordId, UUID.randomUUID().toString()));
  }

  /** Three events appended on this thread: one chain, consecutive seqs, the last at its head. */
  private List<Map<String, Object>> threeEvents() {
    String actor = actorId();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rows.add(AuditRows.event(append(read(actor, UUID.randomUUID().toString()))));
    }
    assertThat(rows).extracting(r -> r.get("chain_id")).containsOnly(rows.get(0).get("chain_id"));
    long first = seq(rows.get(0));
    assertThat(rows).extracting(AuditChainTest::seq).containsExactly(first, first + 1, first + 2);
    return rows;
  }

  private static long seq(Map<String, Object> row) {
    return ((Number) row.get("seq")).longValue();
  }

  private static int chain(Map<String, Object> row) {
    return ((Number) row.get("chain_id")).intValue();
  }

  private record Run(int status, String output) {}

  private static Run command() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status = VerifyAuditCommand.run(new String[] {"--verify-audit"}, out);
    }
    return new Run(status, bytes.toString(StandardCharsets.UTF_8));
  }

  @Nested
  class Concurrency {
    @Test
    void eightWritersAppendingAtOnceLeaveEveryChainIntactAndContiguous() throws Exception {
      String actor = actorId();
      int threads = 8;
      int each = 50;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      try {
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          writers.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                      append(read(actor, UUID.randomUUID().toString()));
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> writer : writers) {
          writer.get(2, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(Sql.count("SELECT COUNT(*) FROM audit_events WHERE actor_id = ?", actor))
          .isEqualTo(threads * each);
      // Every chain: seqs 1..n without a gap, and its head at n.
      for (Map<String, Object> head : AuditRows.rows("SELECT * FROM audit_chains")) {
        int chainId = ((Number) head.get("chain_id")).intValue();
        long lastSeq = ((Number) head.get("last_seq")).longValue();
        assertThat(Sql.count("SELECT COUNT(*) FROM audit_events WHERE chain_id = ?", chainId))
            .as("chain %d", chainId)
            .isEqualTo(lastSeq);
        assertThat(
                Sql.count(
                    "SELECT COALESCE(MAX(seq), 0) FROM audit_events WHERE chain_id = ?", chainId))
            .as("chain %d", chainId)
            .isEqualTo(lastSeq);
      }
      AuditVerifier.Report report = verifier.verify();
      assertThat(report.breaks()).isEmpty();
      assertThat(report.intact()).isTrue();
      assertThat(report.chains()).isEqualTo(AuditTrail.CHAINS);
      assertThat(report.events())
          .isEqualTo(Sql.count("SELECT COUNT(*) FROM audit_events"))
          .isGreaterThanOrEqualTo(threads * each);
    }
  }

  @Nested
  class Tampering {
    @Test
    void findsAnEventWhoseOutcomeWasChanged() {
      Map<String, Object> middle = threeEvents().get(1);
      String id = (String) middle.get("id");
      Sql.update("UPDATE audit_events SET outcome = 'NOT_FOUND' WHERE id = ?", id);
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.intact()).isFalse();
        assertThat(report.breaks()).hasSize(1);
        AuditVerifier.Break broken = report.breaks().get(0);
        assertThat(broken.chainId()).isEqualTo(chain(middle));
        assertThat(broken.seq()).isEqualTo(seq(middle));
        assertThat(broken.eventId()).isEqualTo(id);
        assertThat(broken.problem()).contains("the event was changed");
      } finally {
        Sql.update("UPDATE audit_events SET outcome = 'SUCCESS' WHERE id = ?", id);
      }
      assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void findsAnEventWhoseRecordIdsWereChanged() {
      Map<String, Object> first = threeEvents().get(0);
      String id = (String) first.get("id");
      String recordIds = (String) first.get("record_ids");
      // Hiding one of the records a partner read.
      Sql.update(
          "UPDATE audit_events SET record_ids = ? WHERE id = ?",
          recordIds.substring(0, recordIds.indexOf(' ')),
          id);
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .singleElement()
            .satisfies(
                b -> {
                  assertThat(b.chainId()).isEqualTo(chain(first));
                  assertThat(b.seq()).isEqualTo(seq(first));
                  assertThat(b.eventId()).isEqualTo(id);
                });
      } finally {
        Sql.update("UPDATE audit_events SET record_ids = ? WHERE id = ?", recordIds, id);
      }
      assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void findsAnEventChangedWithItsHashComputedAgain_byTheNextEventsLink() {
      List<Map<String, Object>> rows = threeEvents();
      Map<String, Object> middle = rows.get(1);
      String id = (String) middle.get("id");
      String hash = (String) middle.get("hash");
      // An attacker who knows the algorithm rehashes the changed row: the next event's prev_hash
      // no longer matches.
      Sql.update("UPDATE audit_events SET hash = ? WHERE id = ?", "f".repeat(64), id);
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .singleElement()
            .extracting(AuditVerifier.Break::seq)
            .isEqualTo(seq(middle));
      } finally {
        Sql.update("UPDATE audit_events SET hash = ? WHERE id = ?", hash, id);
      }
      assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void findsADeletedEventInTheMiddleOfAChain() {
      List<Map<String, Object>> rows = threeEvents();
      Map<String, Object> middle = rows.get(1);
      Sql.update("DELETE FROM audit_events WHERE id = ?", middle.get("id"));
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .singleElement()
            .satisfies(
                b -> {
                  assertThat(b.chainId()).isEqualTo(chain(middle));
                  assertThat(b.seq()).isEqualTo(seq(middle));
                  // The event found where the deleted one should be.
                  assertThat(b.eventId()).isEqualTo(rows.get(2).get("id"));
                  assertThat(b.problem()).contains("is missing");
                });
      } finally {
        AuditRows.insert(middle);
      }
      assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void findsAnEventMovedBeyondTheChainsHead() {
      List<Map<String, Object>> rows = threeEvents();
      Map<String, Object> last = rows.get(2);
      Sql.update("UPDATE audit_events SET seq = seq + 3 WHERE id = ?", last.get("id"));
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .singleElement()
            .satisfies(
                b -> {
                  assertThat(b.chainId()).isEqualTo(chain(last));
                  assertThat(b.seq()).isEqualTo(seq(last));
                  assertThat(b.problem()).contains("is missing");
                });
      } finally {
        Sql.update("UPDATE audit_events SET seq = seq - 3 WHERE id = ?", last.get("id"));
      }
      assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void findsAnEventPlantedAfterTheChainsHead() {
      Map<String, Object> last = threeEvents().get(2);
      Map<String, Object> planted = new java.util.LinkedHashMap<>(last);
      String plantedId = UUID.randomUUID().toString();
      planted.put("id", plantedId);
      planted.put("seq", seq(last) + 1);
      planted.put("prev_hash", last.get("hash"));
      AuditRows.insert(planted);
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .singleElement()
            .satisfies(
                b -> {
                  assertThat(b.chainId()).isEqualTo(chain(last));
                  assertThat(b.seq()).isEqualTo(seq(last) + 1);
                  assertThat(b.problem()).contains("after the head");
                });
      } finally {
        Sql.update("DELETE FROM audit_events WHERE id = ?", plantedId);
      }
      assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void findsADeletedTail_byTheChainsHead() {
      List<Map<String, Object>> rows = threeEvents();
      Map<String, Object> last = rows.get(2);
      Sql.update("DELETE FROM audit_events WHERE id = ?", last.get("id"));
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .singleElement()
            .satisfies(
                b -> {
                  assertThat(b.chainId()).isEqualTo(chain(last));
                  assertThat(b.seq()).isEqualTo(seq(last));
                  assertThat(b.eventId()).isNull();
                  assertThat(b.problem()).contains("were deleted");
                });
      } finally {
        AuditRows.insert(last);
      }
      assertThat(verifier.verify().intact()).isTrue();
    }
  }

  @Nested
  class Checkpoints {
    /** The stored row as an event, with another outcome. */
    private AuditRecord withOutcome(Map<String, Object> row, String outcome) {
      return new AuditRecord(
          (String) row.get("id"),
          chain(row),
          seq(row),
          ((Number) row.get("occurred_at")).longValue(),
          (String) row.get("action"),
          outcome,
          (String) row.get("actor_type"),
          (String) row.get("actor_id"),
          (String) row.get("organisation_ods"),
          (String) row.get("purpose"),
          (String) row.get("subject"),
          (String) row.get("record_ids"),
          (String) row.get("request_id"),
          (String) row.get("prev_hash"),
          "");
    }

    @Test
    void findsAChainTailRewrittenWithItsHashesAndHead_byTheSignedCheckpoint() {
      Map<String, Object> last = threeEvents().get(2);
      String id = (String) last.get("id");
      String hash = (String) last.get("hash");
      Sql.update("DELETE FROM audit_checkpoints");
      assertThat(checkpoints.write()).isTrue();
      // A database-only attacker rewrites the newest event and everything that vouches for it in
      // the database: its hash and the chain's head. The chain alone checks out again.
      String forged = AuditHash.of(withOutcome(last, "NOT_FOUND"));
      Sql.update(
          "UPDATE audit_events SET outcome = 'NOT_FOUND', hash = ? WHERE id = ?", forged, id);
      Sql.update("UPDATE audit_chains SET last_hash = ? WHERE chain_id = ?", forged, chain(last));
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.checkpointAt()).isNotNull();
        assertThat(report.breaks())
            .singleElement()
            .satisfies(
                b -> {
                  assertThat(b.chainId()).isEqualTo(chain(last));
                  assertThat(b.seq()).isEqualTo(seq(last));
                  assertThat(b.problem()).contains("signed checkpoint").contains("rewritten");
                });
      } finally {
        Sql.update("UPDATE audit_events SET outcome = 'SUCCESS', hash = ? WHERE id = ?", hash, id);
        Sql.update("UPDATE audit_chains SET last_hash = ? WHERE chain_id = ?", hash, chain(last));
      }
      try {
        AuditVerifier.Report report = verifier.verify();
        assertThat(report.intact()).isTrue();
        assertThat(report.warnings()).isEmpty();
      } finally {
        Sql.update("DELETE FROM audit_checkpoints");
      }
    }

    @Test
    void findsACheckpointWithAWrongHmac() {
      threeEvents();
      Sql.update("DELETE FROM audit_checkpoints");
      assertThat(checkpoints.write()).isTrue();
      // A second write in the same interval is left to the first replica's checkpoint.
      assertThat(checkpoints.write()).isFalse();
      Sql.update("UPDATE audit_checkpoints SET mac = ?", "0".repeat(64));
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .singleElement()
            .satisfies(b -> assertThat(b.problem()).contains("wrong HMAC"));
        assertThat(report.checkpointAt()).isNull();
      } finally {
        Sql.update("DELETE FROM audit_checkpoints");
      }
    }
  }

  @Nested
  class Command {
    @Test
    void writesNothingAnywhere_noMigrationKeyRotationOrCheckpoint() {
      threeEvents();
      String[] tables = {
        "audit_events", "audit_chains", "audit_checkpoints", "signing_keys", "flyway_schema_history"
      };
      List<Long> before = new ArrayList<>();
      for (String table : tables) {
        before.add(Sql.count("SELECT COUNT(*) FROM " + table));
      }
      String heads = AuditRows.rows("SELECT * FROM audit_chains ORDER BY chain_id").toString();

      Run run = command();

      assertThat(run.status()).as(run.output()).isEqualTo(VerifyAuditCommand.INTACT);
      for (int i = 0; i < tables.length; i++) {
        assertThat(Sql.count("SELECT COUNT(*) FROM " + tables[i]))
            .as(tables[i])
            .isEqualTo(before.get(i));
      }
      assertThat(AuditRows.rows("SELECT * FROM audit_chains ORDER BY chain_id").toString())
          .isEqualTo(heads);
    }

    @Test
    void itsEnvironmentHoldsNoStartUpOrScheduledWriter() throws Exception {
      try (io.micronaut.context.ApplicationContext context =
          io.micronaut.context.ApplicationContext.builder()
              .environments(VerifyAuditCommand.ENVIRONMENT)
              .properties(Map.of("flyway.datasources.default.enabled", false))
              .start()) {
        for (String writer :
            List.of(
                "uk.gov.residentportal.auth.KeyRotation",
                "uk.gov.residentportal.auth.ClientBootstrap",
                "uk.gov.residentportal.auth.SigningKeysRefresh",
                "uk.gov.residentportal.auth.Housekeeping",
                "uk.gov.residentportal.records.RecordsHousekeeping",
                "uk.gov.residentportal.partner.OrganisationBootstrap",
                "uk.gov.residentportal.audit.AuditCheckpointSchedule")) {
          assertThat(context.containsBean(Class.forName(writer))).as(writer).isFalse();
        }
        assertThat(context.containsBean(AuditVerifier.class)).isTrue();
      }
    }

    @Test
    void exitsZeroWhenEveryChainIsIntact() {
      threeEvents();

      Run run = command();

      assertThat(run.status()).as(run.output()).isEqualTo(VerifyAuditCommand.INTACT);
      assertThat(run.output()).contains("Audit chains checked: 16 chains").contains("Intact");
    }

    @Test
    void exitsThreeAndNamesTheBrokenLinkWhenARowWasEdited() {
      Map<String, Object> middle = threeEvents().get(1);
      String id = (String) middle.get("id");
      Sql.update("UPDATE audit_events SET outcome = 'DENIED' WHERE id = ?", id);
      Run run;
      try {
        run = command();
      } finally {
        Sql.update("UPDATE audit_events SET outcome = 'SUCCESS' WHERE id = ?", id);
      }

      assertThat(run.status()).as(run.output()).isEqualTo(VerifyAuditCommand.BROKEN);
      assertThat(run.output())
          .contains("BROKEN: 1 problem(s)")
          .contains("chain " + chain(middle) + " seq " + seq(middle) + " event " + id);
    }
  }

  @Test
  void appendOutsideATransactionIsRefusedAndWritesNothing() {
    String actor = actorId();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> trail.append(read(actor, UUID.randomUUID().toString())))
        .isInstanceOf(RuntimeException.class);

    assertThat(Sql.count("SELECT COUNT(*) FROM audit_events WHERE actor_id = ?", actor)).isZero();
  }

  @Nested
  class Coverage {
    @Test
    void findsAnEventPlantedAtSeqZeroOfChainTwo() {
      Map<String, Object> planted = new java.util.LinkedHashMap<>(threeEvents().get(0));
      String plantedId = UUID.randomUUID().toString();
      planted.put("id", plantedId);
      planted.put("chain_id", 2);
      planted.put("seq", 0L);
      AuditRows.insert(planted);
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .singleElement()
            .satisfies(
                b -> {
                  assertThat(b.chainId()).isEqualTo(2);
                  assertThat(b.seq()).isZero();
                  assertThat(b.problem()).contains("before the chain's start");
                });
      } finally {
        Sql.update("DELETE FROM audit_events WHERE id = ?", plantedId);
      }
      assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void findsAnExtraHeadRowForChainSixteen() {
      Sql.update(
          "INSERT INTO audit_chains (chain_id, last_seq, last_hash) VALUES (16, 0, ?)",
          AuditHash.GENESIS);
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.intact()).isFalse();
        assertThat(report.breaks())
            .singleElement()
            .satisfies(b -> assertThat(b.problem()).contains("head row for chain 16"));
      } finally {
        Sql.update("DELETE FROM audit_chains WHERE chain_id = 16");
      }
      assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void findsAMissingHeadRow() {
      Map<String, Object> head =
          AuditRows.rows("SELECT * FROM audit_chains WHERE chain_id = 15").get(0);
      Sql.update("DELETE FROM audit_chains WHERE chain_id = 15");
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .extracting(AuditVerifier.Break::problem)
            .anySatisfy(p -> assertThat(p).contains("no head row for chain 15"));
      } finally {
        Sql.update(
            "INSERT INTO audit_chains (chain_id, last_seq, last_hash) VALUES (15, ?, ?)",
            head.get("last_seq"),
            head.get("last_hash"));
      }
      assertThat(verifier.verify().intact()).isTrue();
    }
  }

  @Nested
  class CheckpointSequence {
    @Test
    void theWriterDoesNotSignAChainChangedSinceThePreviousCheckpoint() {
      Sql.update("DELETE FROM audit_checkpoints");
      Map<String, Object> middle = threeEvents().get(1);
      String id = (String) middle.get("id");
      Sql.update("UPDATE audit_events SET outcome = 'NOT_FOUND' WHERE id = ?", id);
      try {
        assertThat(checkpoints.write()).isFalse();
        assertThat(Sql.count("SELECT COUNT(*) FROM audit_checkpoints")).isZero();
      } finally {
        Sql.update("UPDATE audit_events SET outcome = 'SUCCESS' WHERE id = ?", id);
      }
      // Once the chain is whole again, the checkpoint is signed; the next one walks only what is
      // new.
      try {
        assertThat(checkpoints.write()).isTrue();
        Map<String, Object> last = threeEvents().get(2);
        Sql.update("UPDATE audit_events SET outcome = 'NOT_FOUND' WHERE id = ?", last.get("id"));
        try {
          assertThat(checkpoints.write(Instant.now().plus(checkpoints.interval()))).isFalse();
          assertThat(Sql.count("SELECT COUNT(*) FROM audit_checkpoints")).isEqualTo(1);
        } finally {
          Sql.update("UPDATE audit_events SET outcome = 'SUCCESS' WHERE id = ?", last.get("id"));
        }
        assertThat(checkpoints.write(Instant.now().plus(checkpoints.interval()))).isTrue();
      } finally {
        Sql.update("DELETE FROM audit_checkpoints");
      }
    }

    /** Three checkpoints an interval apart, the newest now; their slots, oldest first. */
    private List<Long> threeCheckpoints() {
      Sql.update("DELETE FROM audit_checkpoints");
      Duration interval = checkpoints.interval();
      Instant now = Instant.now();
      for (int i = 2; i >= 0; i--) {
        threeEvents();
        assertThat(checkpoints.write(now.minus(interval.multipliedBy(i)))).isTrue();
      }
      List<Long> slots = new ArrayList<>();
      AuditRows.rows("SELECT slot FROM audit_checkpoints ORDER BY slot")
          .forEach(r -> slots.add(((Number) r.get("slot")).longValue()));
      assertThat(slots).hasSize(3);
      return slots;
    }

    @Test
    void checksEveryCheckpointAndFindsOneDeletedFromTheMiddle() {
      List<Long> slots = threeCheckpoints();
      try {
        assertThat(verifier.verify().intact()).isTrue();
        Sql.update("DELETE FROM audit_checkpoints WHERE slot = ?", slots.get(1));

        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .singleElement()
            .satisfies(
                b ->
                    assertThat(b.problem())
                        .contains("checkpoint " + slots.get(2))
                        .contains("does not follow checkpoint " + slots.get(0))
                        .contains("deleted or replaced"));
      } finally {
        Sql.update("DELETE FROM audit_checkpoints");
      }
    }

    @Test
    void findsTheFirstCheckpointDeleted() {
      List<Long> slots = threeCheckpoints();
      try {
        Sql.update("DELETE FROM audit_checkpoints WHERE slot = ?", slots.get(0));

        assertThat(verifier.verify().breaks())
            .singleElement()
            .satisfies(b -> assertThat(b.problem()).contains("which is gone"));
      } finally {
        Sql.update("DELETE FROM audit_checkpoints");
      }
    }

    @Test
    void checksOlderCheckpointsTooAndFindsTheOldestForged() {
      List<Long> slots = threeCheckpoints();
      Sql.update(
          "UPDATE audit_checkpoints SET mac = ? WHERE slot = ?", "0".repeat(64), slots.get(0));
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .extracting(AuditVerifier.Break::problem)
            .anySatisfy(
                p -> assertThat(p).contains("checkpoint " + slots.get(0) + " has a wrong HMAC"))
            .anySatisfy(p -> assertThat(p).contains("checkpoint " + slots.get(1) + " follows"));
      } finally {
        Sql.update("DELETE FROM audit_checkpoints");
      }
    }

    @Test
    void reportsAPlantedCheckpointWithAnOverflowingNumberAsForged() {
      threeCheckpoints();
      Sql.update(
          "INSERT INTO audit_checkpoints (slot, made_at, heads, mac) VALUES (?, ?, ?, ?)",
          Long.MAX_VALUE,
          Long.MAX_VALUE,
          "0:9999999999999999999:" + "a".repeat(64),
          "0".repeat(64));
      try {
        AuditVerifier.Report report = verifier.verify();

        assertThat(report.breaks())
            .singleElement()
            .satisfies(
                b ->
                    assertThat(b.problem())
                        .contains("checkpoint " + Long.MAX_VALUE)
                        .contains("wrong HMAC"));
        // The writer does not chain onto it either.
        assertThat(checkpoints.write()).isFalse();
      } finally {
        Sql.update("DELETE FROM audit_checkpoints");
      }
    }

    @Test
    void aNewestCheckpointOlderThanThreeIntervalsIsABreak() {
      threeCheckpoints();
      try {
        assertThat(verifierAhead(checkpoints.interval().multipliedBy(2)).verify().intact())
            .isTrue();

        AuditVerifier.Report report =
            verifierAhead(checkpoints.interval().multipliedBy(4)).verify();

        assertThat(report.breaks())
            .singleElement()
            .satisfies(
                b -> assertThat(b.problem()).contains("more than three checkpoint intervals"));
      } finally {
        Sql.update("DELETE FROM audit_checkpoints");
      }
    }

    @Test
    void noCheckpointIsABreakOnlyOnceAnEventIsOlderThanTwoIntervals() {
      Sql.update("DELETE FROM audit_checkpoints");
      threeEvents();

      AuditVerifier.Report fresh = verifier.verify();
      assertThat(fresh.intact()).isTrue();
      assertThat(fresh.warnings()).anySatisfy(w -> assertThat(w).contains("no signed checkpoint"));

      AuditVerifier.Report late = verifierAhead(checkpoints.interval().multipliedBy(3)).verify();
      assertThat(late.breaks())
          .singleElement()
          .satisfies(b -> assertThat(b.problem()).contains("no signed checkpoint"));
    }

    @Test
    void aSecondReplicaChainingOntoTheSamePreviousCheckpointIsRefusedQuietly() {
      List<Long> slots = threeCheckpoints();
      try {
        // A replica whose clock is an interval behind: its slot is taken.
        assertThat(checkpoints.write(Instant.now().minus(checkpoints.interval()))).isFalse();
        assertThat(Sql.count("SELECT COUNT(*) FROM audit_checkpoints")).isEqualTo(3);
        assertThat(slots).hasSize(3);
        assertThat(verifier.verify().intact()).isTrue();
      } finally {
        Sql.update("DELETE FROM audit_checkpoints");
      }
    }
  }
}
