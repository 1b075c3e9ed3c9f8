package uk.gov.residentportal.audit;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.SecretBox;

/**
 * Signed checkpoints of the audit chains (docs/adr/0007). The chains alone show any change to a
 * stored event, but someone who can write to the database could rewrite a chain's tail from some
 * event on, hashes and head included, into a chain that checks out. Every {@code
 * PORTAL_AUDIT_CHECKPOINT_INTERVAL} (default 10 minutes, {@link AuditCheckpointSchedule}) one
 * replica writes the heads of all chains with an HMAC under a key derived from the key-encryption
 * key, which is never in the database: the rewrite would have to change the event a checkpoint
 * names, and the verifier then finds it.
 *
 * <p>Before it signs, the writer walks every event appended since the previous checkpoint, from the
 * head that checkpoint names to the current head (the whole chain for the first checkpoint): a
 * checkpoint never vouches for a chain that is already broken. Checkpoints are chained too: each
 * HMAC covers the slot and HMAC of the checkpoint before, so deleting or replacing one breaks the
 * sequence.
 */
@Singleton
@Requires(beans = javax.sql.DataSource.class)
public class AuditCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpoints.class);
  static final String PURPOSE = "audit-checkpoint-v2";
  private static final Pattern HEAD = Pattern.compile("(\\d{1,9}):(\\d{1,19}):([0-9a-f]{64})");

  private final AuditCheckpointRepository checkpoints;
  private final AuditChainRepository chains;
  private final AuditRepository events;
  private final AuditChainWalker walker;
  private final SecretBox box;
  private final Duration interval;
  private final Clock clock;

  AuditCheckpoints(
      AuditCheckpointRepository checkpoints,
      AuditChainRepository chains,
      AuditRepository events,
      AuditChainWalker walker,
      SecretBox box,
      @Value("${portal.audit.checkpoint-interval:10m}") Duration interval,
      Clock clock) {
    if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalStateException("PORTAL_AUDIT_CHECKPOINT_INTERVAL must be at least 1 minute");
    }
    this.checkpoints = checkpoints;
    this.chains = chains;
    this.events = events;
    this.walker = walker;
    this.box = box;
    this.interval = interval;
    this.clock = clock;
  }

  /** One chain's head as a checkpoint holds it. */
  record Head(int chainId, long seq, String hash) {}

  /**
   * Writes a checkpoint of the current heads for this interval, unless another replica has or the
   * chains since the previous checkpoint do not check out; true if this call wrote it. The heads
   * are read without a lock: each is a committed head, which is all a checkpoint needs.
   */
  public boolean write() {
    return write(clock.instant());
  }

  boolean write(Instant now) {
    long madeAt = AuditTrail.micros(now);
    long slot = madeAt / intervalMicros();
    AuditCheckpoint previous = checkpoints.findNewest().orElse(null);
    if (previous != null && previous.slot() >= slot) {
      return false; // Another replica has written this interval's checkpoint.
    }
    Map<Integer, Head> from = new HashMap<>();
    if (previous == null) {
      for (int chainId = 0; chainId < AuditTrail.CHAINS; chainId++) {
        from.put(chainId, new Head(chainId, 0, AuditHash.GENESIS));
      }
    } else {
      Optional<List<Head>> heads = valid(previous) ? parse(previous.heads()) : Optional.empty();
      if (heads.isEmpty() || !allChains(heads.get())) {
        LOG.error(
            "audit checkpoint not signed: the newest checkpoint slot={} is forged or broken",
            previous.slot());
        return false;
      }
      heads.get().forEach(h -> from.put(h.chainId(), h));
    }
    List<Head> current =
        chains.findHeads().stream()
            .map(h -> new Head(h.chainId(), h.lastSeq(), h.lastHash()))
            .toList();
    if (!allChains(current)) {
      LOG.error(
          "audit checkpoint not signed: audit_chains holds {} heads, not chains 0 to {}",
          current.size(),
          AuditTrail.CHAINS - 1);
      return false;
    }
    for (Head head : current) {
      String problem = problemSince(from.get(head.chainId()), head);
      if (problem != null) {
        LOG.error(
            "audit checkpoint not signed: chain {} is broken since the previous checkpoint: {}",
            head.chainId(),
            problem);
        return false;
      }
    }
    String text = text(current);
    Long prevSlot = previous == null ? null : previous.slot();
    String prevMac = previous == null ? null : previous.mac();
    try {
      checkpoints.save(
          new AuditCheckpoint(
              slot, madeAt, text, mac(slot, madeAt, prevSlot, prevMac, text), prevSlot, prevMac));
    } catch (DataAccessException e) {
      if (!duplicateKey(e)) {
        LOG.warn("audit checkpoint not written slot={}: {}", slot, e.getClass().getSimpleName());
      }
      // Else another replica was first (this slot, or a checkpoint after the same previous one).
      return false;
    }
    LOG.info("audit checkpoint written slot={} chains={}", slot, current.size());
    return true;
  }

  /**
   * What is wrong with a chain between the previous checkpoint's head and its head now, or null.
   */
  private @Nullable String problemSince(Head from, Head to) {
    if (to.seq() < from.seq()) {
      return "the head went back from seq " + from.seq() + " to seq " + to.seq();
    }
    if (from.seq() > 0) {
      Optional<String> hash = events.findHashAt(from.chainId(), from.seq());
      if (hash.isEmpty() || !hash.get().equals(from.hash())) {
        return "the event at seq " + from.seq() + " is not the one the previous checkpoint names";
      }
    }
    AuditChainWalker.Walk walk =
        walker.walk(to.chainId(), from.seq(), from.hash(), to.seq(), to.hash());
    return walk.broken() == null
        ? null
        : "seq " + walk.broken().seq() + ": " + walk.broken().problem();
  }

  /** Whether {@code heads} name exactly chains 0 to {@link AuditTrail#CHAINS} - 1, in order. */
  static boolean allChains(List<Head> heads) {
    if (heads.size() != AuditTrail.CHAINS) {
      return false;
    }
    for (int i = 0; i < heads.size(); i++) {
      if (heads.get(i).chainId() != i) {
        return false;
      }
    }
    return true;
  }

  static boolean duplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && ("23505".equals(sql.getSQLState()) || sql.getErrorCode() == 1062)) {
        return true;
      }
    }
    return false;
  }

  /** Checkpoints oldest first, after {@code afterSlot}. */
  List<AuditCheckpoint> pageAfter(long afterSlot, int limit) {
    return checkpoints.findPageAfter(afterSlot, limit);
  }

  /** How long checkpoints are apart. */
  Duration interval() {
    return interval;
  }

  private long intervalMicros() {
    return interval.toNanos() / 1000;
  }

  /** Whether the checkpoint's HMAC is right (checked before anything else in it is read). */
  boolean valid(AuditCheckpoint c) {
    return MessageDigest.isEqual(
        mac(c.slot(), c.madeAt(), c.prevSlot(), c.prevMac(), c.heads())
            .getBytes(StandardCharsets.US_ASCII),
        c.mac().getBytes(StandardCharsets.US_ASCII));
  }

  String mac(
      long slot, long madeAt, @Nullable Long prevSlot, @Nullable String prevMac, String heads) {
    return box.keyedHash(
        PURPOSE,
        slot
            + "|"
            + madeAt
            + "|"
            + (prevSlot == null ? "-" : prevSlot)
            + "|"
            + (prevMac == null ? "-" : prevMac)
            + "|"
            + heads);
  }

  static String text(List<Head> heads) {
    StringBuilder text = new StringBuilder();
    for (Head h : heads) {
      if (text.length() > 0) {
        text.append(';');
      }
      text.append(h.chainId()).append(':').append(h.seq()).append(':').append(h.hash());
    }
    return text.toString();
  }

  /**
   * The heads a checkpoint holds; empty when the text is not well formed (or a number overflows).
   */
  static Optional<List<Head>> parse(String text) {
    List<Head> heads = new ArrayList<>();
    for (String part : text.split(";", -1)) {
      Matcher m = HEAD.matcher(part);
      if (!m.matches()) {
        return Optional.empty();
      }
      try {
        heads.add(new Head(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), m.group(3)));
      } catch (NumberFormatException overflow) {
        return Optional.empty();
      }
    }
    return Optional.of(heads);
  }
}
