package uk.gov.residentportal.audit;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import uk.gov.residentportal.web.RequestIds;

/**
 * Appends audit events to the hash chains. Callers append inside the transaction of the access they
 * record (MANDATORY: there must be one): the event commits with the access, or neither does.
 *
 * <p>There are {@link #CHAINS} chains (rows of {@code audit_chains}, made by V13) so that writers
 * on several replicas do not all queue on one lock. An append locks its chain's head row until its
 * transaction ends; each thread keeps to one chain, so a transaction that appends twice never holds
 * two heads (no deadlock between appenders).
 */
@Singleton
public class AuditTrail {
  /** The number of chains V13 made. */
  static final int CHAINS = 16;

  private static final AtomicInteger NEXT_CHAIN = new AtomicInteger();
  private static final ThreadLocal<Integer> CHAIN =
      ThreadLocal.withInitial(() -> Math.floorMod(NEXT_CHAIN.getAndIncrement(), CHAINS));

  private final AuditRepository events;
  private final AuditChainRepository chains;
  private final Clock clock;

  AuditTrail(AuditRepository events, AuditChainRepository chains, Clock clock) {
    this.events = events;
    this.chains = chains;
    this.clock = clock;
  }

  /**
   * Appends {@code event} in the caller's transaction, which must exist (MANDATORY): an audit event
   * never commits on its own, only with the access or change it records. Returns the event's id.
   */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  public String append(AuditEvent event) {
    int chainId = CHAIN.get();
    AuditChainHead head =
        chains
            .findHeadForUpdate(chainId)
            .orElseThrow(() -> new IllegalStateException("audit chain missing: " + chainId));
    AuditRecord unhashed =
        new AuditRecord(
            UUID.randomUUID().toString(),
            chainId,
            head.lastSeq() + 1,
            micros(clock.instant()),
            event.action().name(),
            event.outcome().name(),
            event.actor().type().name(),
            event.actor().id(),
            event.organisationOds(),
            event.purpose(),
            event.subject(),
            event.recordIds().isEmpty() ? null : String.join(" ", event.recordIds()),
            RequestIds.current().orElse(null),
            head.lastHash(),
            "");
    AuditRecord stored = withHash(unhashed, AuditHash.of(unhashed));
    events.save(stored);
    chains.moveHead(chainId, stored.seq(), stored.hash());
    return stored.id();
  }

  static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static AuditRecord withHash(AuditRecord e, String hash) {
    return new AuditRecord(
        e.id(),
        e.chainId(),
        e.seq(),
        e.occurredAt(),
        e.action(),
        e.outcome(),
        e.actorType(),
        e.actorId(),
        e.organisationOds(),
        e.purpose(),
        e.subject(),
        e.recordIds(),
        e.requestId(),
        e.prevHash(),
        hash);
  }
}
