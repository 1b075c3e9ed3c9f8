package uk.gov.residentportal.audit;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks every audit chain and reports the first broken link of each (docs/adr/0007). The heads must
 * be exactly chains 0 to 15. For each chain, from seq 1 in pages: every event's hash is computed
 * again from its stored content ({@link AuditHash}) and must equal its stored hash (a changed field
 * shows here); its {@code prev_hash} must equal the hash of the event before (a replaced event
 * shows here); seq must go up by one (a deleted event shows here); and the chain must end exactly
 * at its head row's {@code (last_seq, last_hash)} (a deleted tail shows here). Events outside
 * 1..last_seq (seq 0 or below, or beyond the head), and events of a chain without a head row, are
 * broken too.
 *
 * <p>Runs beside writers: it reads each head first and walks only up to it. An append commits its
 * event and the head's move together, so every event up to a head read is already committed; what
 * is appended meanwhile lies beyond and is left to the next run. Reads take no locks.
 *
 * <p>Then every signed checkpoint ({@link AuditCheckpoints}), oldest first: its HMAC (checked
 * before anything else in it is read), its link to the valid checkpoint before it (a deleted or
 * replaced checkpoint shows here), that it names exactly chains 0 to 15, and that the event at each
 * head it names is still in its chain with that hash (a chain rewritten consistently, hashes and
 * head row included, shows here). Checkpoints missing where they are due are breaks too: no
 * checkpoint while an event is older than two intervals, or a newest checkpoint older than three.
 */
@Singleton
public class AuditVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(AuditVerifier.class);
  private static final int CHECKPOINT_PAGE = 100;

  private final AuditRepository events;
  private final AuditChainRepository chains;
  private final AuditCheckpoints checkpoints;
  private final AuditChainWalker walker;
  private final Clock clock;

  AuditVerifier(
      AuditRepository events,
      AuditChainRepository chains,
      AuditCheckpoints checkpoints,
      AuditChainWalker walker,
      Clock clock) {
    this.events = events;
    this.chains = chains;
    this.checkpoints = checkpoints;
    this.walker = walker;
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

    static Break general(String problem) {
      return new Break(NO_CHAIN, 0, null, problem);
    }

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
    Set<Integer> headIds = new HashSet<>();
    long checked = 0;
    for (AuditChainHead head : heads) {
      headIds.add(head.chainId());
      if (head.chainId() < 0 || head.chainId() >= AuditTrail.CHAINS) {
        breaks.add(
            Break.general(
                "audit_chains holds a head row for chain "
                    + head.chainId()
                    + ", which is not one of chains 0 to "
                    + (AuditTrail.CHAINS - 1)));
        continue;
      }
      AuditChainWalker.Walk walk = walk(head);
      checked += walk.checked();
      if (walk.broken() != null) {
        breaks.add(walk.broken());
      }
    }
    for (int chainId = 0; chainId < AuditTrail.CHAINS; chainId++) {
      if (!headIds.contains(chainId)) {
        breaks.add(Break.general("audit_chains has no head row for chain " + chainId));
      }
    }
    for (int orphan : events.findChainsWithoutHead()) {
      breaks.add(new Break(orphan, 0, null, "events of a chain that has no head row"));
    }
    List<String> warnings = new ArrayList<>();
    Instant checkpointAt = checkCheckpoints(breaks, warnings);
    Report report = new Report(heads.size(), checked, breaks, checkpointAt, warnings);
    if (report.intact()) {
      LOG.info("audit chains intact chains={} events={}", report.chains(), report.events());
    } else {
      LOG.warn("audit chains broken chains={} breaks={}", report.chains(), breaks.size());
    }
    return report;
  }

  /**
   * Checks every checkpoint in order; returns when the newest valid one was made (null: none).
   * Breaks are added to {@code breaks}.
   */
  private @Nullable Instant checkCheckpoints(List<Break> breaks, List<String> warnings) {
    Set<Integer> brokenChains = new HashSet<>();
    breaks.forEach(b -> brokenChains.add(b.chainId()));
    Map<Integer, AuditCheckpoints.Head> vouched = new HashMap<>();
    AuditCheckpoint previous = null;
    long after = Long.MIN_VALUE;
    while (true) {
      List<AuditCheckpoint> page = checkpoints.pageAfter(after, CHECKPOINT_PAGE);
      if (page.isEmpty()) {
        break;
      }
      for (AuditCheckpoint c : page) {
        after = c.slot();
        // The HMAC first: nothing in a row the key did not sign is read.
        if (!checkpoints.valid(c)) {
          breaks.add(
              Break.general(
                  "checkpoint " + c.slot() + " has a wrong HMAC: it was forged or changed"));
          continue;
        }
        Optional<List<AuditCheckpoints.Head>> parsed = AuditCheckpoints.parse(c.heads());
        if (parsed.isEmpty() || !AuditCheckpoints.allChains(parsed.get())) {
          breaks.add(
              Break.general(
                  "checkpoint "
                      + c.slot()
                      + " does not name exactly chains 0 to "
                      + (AuditTrail.CHAINS - 1)
                      + ": it is broken"));
          continue;
        }
        Break link = link(previous, c);
        if (link != null) {
          breaks.add(link);
        }
        Instant at = at(c.madeAt());
        for (AuditCheckpoints.Head head : parsed.get()) {
          if (head.equals(vouched.get(head.chainId())) || brokenChains.contains(head.chainId())) {
            continue; // Checked for an earlier checkpoint, or the chain's break is reported.
          }
          Break broken = checkHead(head, vouched.get(head.chainId()), at);
          if (broken != null) {
            breaks.add(broken);
            brokenChains.add(head.chainId());
          }
          vouched.put(head.chainId(), head);
        }
        previous = c;
      }
    }
    Instant now = clock.instant();
    Duration interval = checkpoints.interval();
    if (previous == null) {
      long oldest = events.findOldestOccurredAt();
      if (oldest >= 0 && at(oldest).isBefore(now.minus(interval.multipliedBy(2)))) {
        breaks.add(
            Break.general(
                "no signed checkpoint, but the oldest event is of "
                    + at(oldest)
                    + ", more than two checkpoint intervals ago: checkpoints were deleted or"
                    + " never written"));
      } else {
        warnings.add("no signed checkpoint yet: a rewritten chain tail would not be found");
      }
      return null;
    }
    Instant newestAt = at(previous.madeAt());
    if (newestAt.isBefore(now.minus(interval.multipliedBy(3)))) {
      breaks.add(
          Break.general(
              "the newest signed checkpoint is of "
                  + newestAt
                  + ", more than three checkpoint intervals ago: newer ones were deleted, or no"
                  + " replica has written one since"));
    }
    return newestAt;
  }

  /** The break in the link from {@code c} to the valid checkpoint before it, or null. */
  private static @Nullable Break link(@Nullable AuditCheckpoint previous, AuditCheckpoint c) {
    if (previous == null) {
      if (c.prevSlot() != null) {
        return Break.general(
            "checkpoint "
                + c.slot()
                + " follows checkpoint "
                + c.prevSlot()
                + ", which is gone or not valid: checkpoints were deleted or changed");
      }
      return null;
    }
    if (c.prevSlot() == null
        || c.prevSlot() != previous.slot()
        || !previous.mac().equals(c.prevMac())) {
      return Break.general(
          "checkpoint "
              + c.slot()
              + " does not follow checkpoint "
              + previous.slot()
              + " before it: a checkpoint was deleted or replaced");
    }
    return null;
  }

  /** Whether the event a checkpoint names is still in its chain with that hash. */
  private @Nullable Break checkHead(
      AuditCheckpoints.Head head, AuditCheckpoints.@Nullable Head before, Instant at) {
    if (before != null && head.seq() < before.seq()) {
      return new Break(
          head.chainId(),
          head.seq(),
          null,
          "the signed checkpoint of " + at + " names a head before the previous checkpoint's");
    }
    if (head.seq() == 0) {
      return null; // Nothing to vouch for yet.
    }
    Optional<String> hash = events.findHashAt(head.chainId(), head.seq());
    if (hash.isEmpty()) {
      return new Break(
          head.chainId(),
          head.seq(),
          null,
          "the signed checkpoint of "
              + at
              + " names this event, which is gone: the chain was cut back");
    }
    if (!hash.get().equals(head.hash())) {
      return new Break(
          head.chainId(),
          head.seq(),
          null,
          "the hash is not the one the signed checkpoint of "
              + at
              + " holds: the chain was rewritten from here or before");
    }
    return null;
  }

  private static Instant at(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  private AuditChainWalker.Walk walk(AuditChainHead head) {
    int chainId = head.chainId();
    AuditChainWalker.Walk walk =
        walker.walk(chainId, 0, AuditHash.GENESIS, head.lastSeq(), head.lastHash());
    if (walk.broken() != null) {
      return walk;
    }
    long checked = walk.checked();
    // The walk reads seq 1 upwards: an event planted at seq 0 or below is found by counting.
    long minSeq = events.findMinSeq(chainId);
    if (minSeq < 1) {
      return new AuditChainWalker.Walk(
          checked,
          new Break(
              chainId,
              minSeq,
              null,
              "an event is stored at seq "
                  + minSeq
                  + ", before the chain's start: it was planted"));
    }
    long count = events.countUpTo(chainId, head.lastSeq());
    if (count != head.lastSeq()) {
      return new AuditChainWalker.Walk(
          checked,
          new Break(
              chainId,
              head.lastSeq(),
              null,
              "the chain holds "
                  + count
                  + " events up to its head at seq "
                  + head.lastSeq()
                  + ": events were planted"));
    }
    // Events planted beyond the head: the highest seq is read first, the head again after it.
    // Heads only move forward, with their event in the same commit, so a legitimate append seen by
    // the first read is covered by the second.
    long maxSeq = events.findMaxSeq(chainId);
    long headNow = chains.findHead(chainId).map(AuditChainHead::lastSeq).orElse(head.lastSeq());
    if (maxSeq > headNow) {
      return new AuditChainWalker.Walk(
          checked,
          new Break(
              chainId,
              headNow + 1,
              null,
              "events stored after the head (seq up to " + maxSeq + "), not linked from it"));
    }
    return walk;
  }
}
