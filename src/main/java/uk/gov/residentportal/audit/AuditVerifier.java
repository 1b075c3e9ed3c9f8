package uk.gov.residentportal.audit;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
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
 */
@Singleton
public class AuditVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(AuditVerifier.class);
  static final int PAGE = 1000;

  private final AuditRepository events;
  private final AuditChainRepository chains;

  AuditVerifier(AuditRepository events, AuditChainRepository chains) {
    this.events = events;
    this.chains = chains;
  }

  /**
   * The first broken link of one chain.
   *
   * @param eventId the event found at the break, or null when the break is where an event is
   *     missing (a deleted tail) or the head row itself
   */
  public record Break(int chainId, long seq, @Nullable String eventId, String problem) {
    @Override
    public String toString() {
      return "chain "
          + chainId
          + " seq "
          + seq
          + (eventId == null ? "" : " event " + eventId)
          + ": "
          + problem;
    }
  }

  /** What a run found: the chains walked, the events checked, and each chain's first break. */
  public record Report(int chains, long events, List<Break> breaks) {
    public Report {
      breaks = List.copyOf(breaks);
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
              -1,
              0,
              null,
              "audit_chains holds " + heads.size() + " heads, not " + AuditTrail.CHAINS));
    }
    Report report = new Report(heads.size(), checked, breaks);
    if (report.intact()) {
      LOG.info("audit chains intact chains={} events={}", report.chains(), report.events());
    } else {
      LOG.warn("audit chains broken chains={} breaks={}", report.chains(), breaks);
    }
    return report;
  }

  private record Walk(long checked, @Nullable Break broken) {}

  private Walk walk(AuditChainHead head) {
    int chainId = head.chainId();
    long expectedSeq = 1;
    String prevHash = AuditHash.GENESIS;
    long checked = 0;
    while (expectedSeq <= head.lastSeq()) {
      List<AuditRecord> page = events.findChainPage(chainId, expectedSeq - 1, PAGE);
      if (page.isEmpty()) {
        break;
      }
      for (AuditRecord event : page) {
        if (event.seq() > head.lastSeq()) {
          // Appended after the head was read (or planted beyond it: checked below).
          break;
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
