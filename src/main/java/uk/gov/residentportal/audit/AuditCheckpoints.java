package uk.gov.residentportal.audit;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * PORTAL_AUDIT_CHECKPOINT_INTERVAL} (default 10 minutes) one replica writes the heads of all chains
 * with an HMAC under a key derived from the key-encryption key, which is never in the database: the
 * rewrite would have to change the event a checkpoint names, and the verifier then finds it. What
 * is appended after the newest checkpoint is protected by the chain alone until the next one.
 */
@Singleton
@Requires(beans = javax.sql.DataSource.class)
public class AuditCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpoints.class);
  static final String PURPOSE = "audit-checkpoint-v1";
  private static final Pattern HEAD = Pattern.compile("(\\d{1,9}):(\\d{1,19}):([0-9a-f]{64})");

  private final AuditCheckpointRepository checkpoints;
  private final AuditChainRepository chains;
  private final SecretBox box;
  private final Duration interval;
  private final Clock clock;

  AuditCheckpoints(
      AuditCheckpointRepository checkpoints,
      AuditChainRepository chains,
      SecretBox box,
      @Value("${portal.audit.checkpoint-interval:10m}") Duration interval,
      Clock clock) {
    if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalStateException("PORTAL_AUDIT_CHECKPOINT_INTERVAL must be at least 1 minute");
    }
    this.checkpoints = checkpoints;
    this.chains = chains;
    this.box = box;
    this.interval = interval;
    this.clock = clock;
  }

  /** One chain's head as a checkpoint holds it. */
  record Head(int chainId, long seq, String hash) {}

  /** The scheduled checkpoint: the first replica in each interval writes it, the others skip. */
  @Scheduled(
      initialDelay = "${portal.audit.checkpoint-interval:10m}",
      fixedDelay = "${portal.audit.checkpoint-interval:10m}")
  void scheduled() {
    try {
      write();
    } catch (RuntimeException e) {
      LOG.warn("audit checkpoint not written: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * Writes a checkpoint of the current heads for this interval, unless another replica has; true if
   * this call wrote it. The heads are read without a lock: each is a committed head, which is all a
   * checkpoint needs.
   */
  public boolean write() {
    long madeAt = AuditTrail.micros(clock.instant());
    long slot = madeAt / (interval.toNanos() / 1000);
    List<Head> heads =
        chains.findHeads().stream()
            .map(h -> new Head(h.chainId(), h.lastSeq(), h.lastHash()))
            .toList();
    String text = text(heads);
    try {
      checkpoints.save(new AuditCheckpoint(slot, madeAt, text, mac(slot, madeAt, text)));
    } catch (DataAccessException anotherReplicaWasFirst) {
      return false;
    }
    LOG.info("audit checkpoint written slot={} chains={}", slot, heads.size());
    return true;
  }

  /**
   * The newest checkpoint whose HMAC is right, with the slots of any whose HMAC is wrong (forged or
   * changed) found on the way.
   */
  record Newest(@Nullable AuditCheckpoint checkpoint, List<Head> heads, List<Long> forged) {}

  Newest newestValid() {
    List<Long> forged = new ArrayList<>();
    long before = Long.MAX_VALUE;
    while (true) {
      List<AuditCheckpoint> page = checkpoints.findPageBefore(before, 100);
      if (page.isEmpty()) {
        return new Newest(null, List.of(), forged);
      }
      for (AuditCheckpoint c : page) {
        Optional<List<Head>> heads = parse(c.heads());
        if (heads.isPresent() && valid(c)) {
          return new Newest(c, heads.get(), forged);
        }
        forged.add(c.slot());
      }
      before = page.get(page.size() - 1).slot();
    }
  }

  /** How long checkpoints are apart. */
  Duration interval() {
    return interval;
  }

  private boolean valid(AuditCheckpoint c) {
    return MessageDigest.isEqual(
        mac(c.slot(), c.madeAt(), c.heads()).getBytes(StandardCharsets.US_ASCII),
        c.mac().getBytes(StandardCharsets.US_ASCII));
  }

  private String mac(long slot, long madeAt, String heads) {
    return box.keyedHash(PURPOSE, slot + "|" + madeAt + "|" + heads);
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

  static Optional<List<Head>> parse(String text) {
    List<Head> heads = new ArrayList<>();
    for (String part : text.split(";", -1)) {
      Matcher m = HEAD.matcher(part);
      if (!m.matches()) {
        return Optional.empty();
      }
      heads.add(new Head(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), m.group(3)));
    }
    return Optional.of(heads);
  }
}
