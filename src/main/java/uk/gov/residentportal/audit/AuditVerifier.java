package uk.gov.residentportal.audit;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks every audit chain and reports the first broken link of each (docs/adr/0007). For each chain
 * of {@code audit_chains}, from seq 1 in pages: every event's hash is computed again from its
 * stored content ({@link AuditHash}) and must equal its stored hash (a changed field shows here);
 * its {@code prev_hash} must equal the hash of the event before (a replaced event shows here); seq
 * must go up by one (a deleted event shows here); and the chain must end exactly at its head row's
 * {@code (last_seq, last_hash)} (a deleted tail shows here). Events beyond the head, and events of
 * a chain without a head row, are broken too.
 *
 * <p>Runs beside writers: it reads each head first and walks only up to it. An append commits its
 * event and the head's move together, so every event up to a head read is already committed; what
 * is appended meanwhile lies beyond and is left to the next run. Reads take no locks.
 *
 * <p>Then the newest signed checkpoint ({@link AuditCheckpoints}) whose HMAC is right: the event at
 * each head it names must still be there with that hash. A chain rewritten consistently from an
 * event at or before a checkpoint (hashes and head row included) fails here. Checkpoints with a
 * wrong HMAC are breaks; a newest checkpoint older than three intervals is a warning (checkpoints
 * deleted, or the service stopped).
 */
@Singleton
public class AuditVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(AuditVerifier.class);
  static final int PAGE = 1000;

  private final AuditRepository events;
  private final AuditChainRepository chains;
  private final AuditCheckpoints checkpoints;
  private final Clock clock;

  AuditVerifier(
      AuditRepository events,
      AuditChainRepository chains,
      AuditCheckpoints checkpoints,
      Clock clock) {
    this.events = events;
    this.chains = chains;
    this.checkpoints = checkpoints;
    this.clock = clock;
  }

  /**
   * The first broken link of one chain.
   *
   * @param eventId the event found at the break, or null when the break is where an event is
   *     missing (a deleted tail) or the head row itself
   */
  public record Break(int chainId, long seq, @Nullable String eventId, String problem) {
    /** Not about one chain (a checkpoint, the table of heads): chain id -1. */
    static final int NO_CHAIN = -1;

    @Override
    public String toString() {
      if (chainId == NO_CHAIN) {
        return problem;
      }
      return "chain "
          + chainId
          + " seq "
          + seq
          + (eventId == null ? "" : " event " + eventId)
          + ": "
          + problem;
    }
  }

  /**
   * What a run found: the chains walked, the events checked, each chain's first break, when the
   * newest signed checkpoint checked was made (null: none yet), and warnings that are no break.
   */
  public record Report(
      int chains,
      long events,
      List<Break> breaks,
      @Nullable Instant checkpointAt,
      List<String> warnings) {
    public Report {
      breaks = List.copyOf(breaks);
      warnings = List.copyOf(warnings);
    }

    public boolean intact() {
      return breaks.isEmpty();
    }
  }

  /** Walks every chain. */
  public Report verify() {
    List<AuditChainHead> heads = chains.findHeads();
    List<Break> breaks = new ArrayList<>();
    long checked = 0;
    for (AuditChainHead head : heads) {
      Walk walk = walk(head);
      checked += walk.checked();
      if (walk.broken() != null) {
        breaks.add(walk.broken());
      }
    }
    for (int orphan : events.findChainsWithoutHead()) {
      breaks.add(new Break(orphan, 0, null, "events of a chain that has no head row"));
    }
    if (heads.size() < AuditTrail.CHAINS) {
      breaks.add(
          new Break(
              Break.NO_CHAIN,
              0,
              null,
              "audit_chains holds " + heads.size() + " heads, not " + AuditTrail.CHAINS));
    }
    List<String> warnings = new ArrayList<>();
    Instant checkpointAt = checkCheckpoint(breaks, warnings);
    Report report = new Report(heads.size(), checked, breaks, checkpointAt, warnings);
    if (report.intact()) {
      LOG.info("audit chains intact chains={} events={}", report.chains(), report.events());
    } else {
      LOG.warn("audit chains broken chains={} breaks={}", report.chains(), breaks);
    }
    return report;
  }

  private record Walk(long checked, @Nullable Break broken) {}

  /** Checks the chains against the newest valid checkpoint; returns when it was made. */
  private @Nullable Instant checkCheckpoint(List<Break> breaks, List<String> warnings) {
    AuditCheckpoints.Newest newest = checkpoints.newestValid();
    for (long slot : newest.forged()) {
      breaks.add(
          new Break(
              Break.NO_CHAIN,
              0,
              null,
              "checkpoint " + slot + " has a wrong HMAC: it was forged or changed"));
    }
    AuditCheckpoint checkpoint = newest.checkpoint();
    if (checkpoint == null) {
      warnings.add("no signed checkpoint yet: a rewritten chain tail would not be found");
      return null;
    }
    Instant at = Instant.EPOCH.plus(checkpoint.madeAt(), ChronoUnit.MICROS);
    Set<Integer> broken = new HashSet<>();
    breaks.forEach(b -> broken.add(b.chainId()));
    for (AuditCheckpoints.Head head : newest.heads()) {
      if (head.seq() == 0 || broken.contains(head.chainId())) {
        continue; // Nothing to vouch for yet, or the chain's first break is already reported.
      }
      Optional<String> hash = events.findHashAt(head.chainId(), head.seq());
      if (hash.isEmpty()) {
        breaks.add(
            new Break(
                head.chainId(),
                head.seq(),
                null,
                "the signed checkpoint of "
                    + at
                    + " names this event, which is gone: the chain was cut back"));
      } else if (!hash.get().equals(head.hash())) {
        breaks.add(
            new Break(
                head.chainId(),
                head.seq(),
                null,
                "the hash is not the one the signed checkpoint of "
                    + at
                    + " holds: the chain was rewritten from here or before"));
      }
    }
    if (at.isBefore(clock.instant().minus(checkpoints.interval().multipliedBy(3)))) {
      warnings.add(
          "the newest signed checkpoint is of "
              + at
              + ": newer ones were deleted, or no replica has run since");
    }
    return at;
  }

  private Walk walk(AuditChainHead head) {
    int chainId = head.chainId();
    long expectedSeq = 1;
    String prevHash = AuditHash.GENESIS;
    long checked = 0;
    walking:
    while (expectedSeq <= head.lastSeq()) {
      List<AuditRecord> page = events.findChainPage(chainId, expectedSeq - 1, PAGE);
      if (page.isEmpty()) {
        break;
      }
      for (AuditRecord event : page) {
        if (expectedSeq > head.lastSeq()) {
          // The head is reached; what follows was appended after it was read (or planted beyond
          // it: checked below).
          break walking;
        }
        checked++;
        if (event.seq() != expectedSeq) {
          return new Walk(
              checked,
              new Break(
                  chainId,
                  expectedSeq,
                  event.id(),
                  "seq "
                      + expectedSeq
                      + " is missing (the next event stored is seq "
                      + event.seq()
                      + "): events were deleted"));
        }
        String problem = problem(event, prevHash);
        if (problem != null) {
          return new Walk(checked, new Break(chainId, event.seq(), event.id(), problem));
        }
        prevHash = event.hash();
        expectedSeq++;
      }
    }
    long lastSeq = expectedSeq - 1;
    if (lastSeq != head.lastSeq()) {
      return new Walk(
          checked,
          new Break(
              chainId,
              lastSeq + 1,
              null,
              "the head says the chain ends at seq "
                  + head.lastSeq()
                  + " but it ends at seq "
                  + lastSeq
                  + ": the events after it were deleted"));
    }
    if (!prevHash.equals(head.lastHash())) {
      return new Walk(
          checked,
          new Break(
              chainId, lastSeq, null, "the head's hash is not the hash of the chain's last event"));
    }
    // Events planted beyond the head: the highest seq is read first, the head again after it.
    // Heads only move forward, with their event in the same commit, so a legitimate append seen by
    // the first read is covered by the second.
    long maxSeq = events.findMaxSeq(chainId);
    long headNow = chains.findHead(chainId).map(AuditChainHead::lastSeq).orElse(head.lastSeq());
    if (maxSeq > headNow) {
      return new Walk(
          checked,
          new Break(
              chainId,
              headNow + 1,
              null,
              "events stored after the head (seq up to " + maxSeq + "), not linked from it"));
    }
    return new Walk(checked, null);
  }

  /** What is wrong with {@code event} at its place in the chain, or null. */
  private static String problem(AuditRecord event, String prevHash) {
    if (!AuditHash.of(event).equals(event.hash())) {
      return "the stored hash is not the hash of the event's content: the event was changed";
    }
    if (!prevHash.equals(event.prevHash())) {
      return "prev_hash is not the hash of the event before it: an event was replaced or removed";
    }
    return null;
  }
}
