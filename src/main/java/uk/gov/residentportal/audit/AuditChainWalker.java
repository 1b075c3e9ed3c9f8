package uk.gov.residentportal.audit;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Walks one stretch of one chain: from a known place {@code (fromSeq, fromHash)} (seq 0 and the
 * genesis hash for the chain's start) to an expected end {@code (toSeq, toHash)}, recomputing every
 * event's hash and checking every link on the way. The verifier walks whole chains with it; the
 * checkpoint writer walks only what was appended since the previous checkpoint before it signs.
 */
@Singleton
class AuditChainWalker {
  static final int PAGE = 1000;

  private final AuditRepository events;

  AuditChainWalker(AuditRepository events) {
    this.events = events;
  }

  /** What a walk found: the events checked and the first break, or null. */
  record Walk(long checked, AuditVerifier.@Nullable Break broken) {}

  Walk walk(int chainId, long fromSeq, String fromHash, long toSeq, String toHash) {
    long expectedSeq = fromSeq + 1;
    String prevHash = fromHash;
    long checked = 0;
    walking:
    while (expectedSeq <= toSeq) {
      List<AuditRecord> page = events.findChainPage(chainId, expectedSeq - 1, PAGE);
      if (page.isEmpty()) {
        break;
      }
      for (AuditRecord event : page) {
        if (expectedSeq > toSeq) {
          // The end is reached; what follows was appended after the head was read (or planted
          // beyond it: the verifier checks that).
          break walking;
        }
        checked++;
        if (event.seq() != expectedSeq) {
          return new Walk(
              checked,
              new AuditVerifier.Break(
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
          return new Walk(
              checked, new AuditVerifier.Break(chainId, event.seq(), event.id(), problem));
        }
        prevHash = event.hash();
        expectedSeq++;
      }
    }
    long lastSeq = expectedSeq - 1;
    if (lastSeq != toSeq) {
      return new Walk(
          checked,
          new AuditVerifier.Break(
              chainId,
              lastSeq + 1,
              null,
              "the head says the chain ends at seq "
                  + toSeq
                  + " but it ends at seq "
                  + lastSeq
                  + ": the events after it were deleted"));
    }
    if (!prevHash.equals(toHash)) {
      return new Walk(
          checked,
          new AuditVerifier.Break(
              chainId, lastSeq, null, "the head's hash is not the hash of the chain's last event"));
    }
    return new Walk(checked, null);
  }

  /** What is wrong with {@code event} at its place in the chain, or null. */
  private static @Nullable String problem(AuditRecord event, String prevHash) {
    if (!AuditHash.of(event).equals(event.hash())) {
      return "the stored hash is not the hash of the event's content: the event was changed";
    }
    if (!prevHash.equals(event.prevHash())) {
      return "prev_hash is not the hash of the event before it: an event was replaced or removed";
    }
    return null;
  }
}
