package uk.gov.residentportal.audit;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface AuditRepository extends GenericRepository<AuditRecord, String> {

  AuditRecord save(AuditRecord event);

  /** One page of a chain in order, from {@code afterSeq} (exclusive). */
  @Query(
      "SELECT * FROM audit_events WHERE chain_id = :chainId AND seq > :afterSeq"
          + " ORDER BY seq LIMIT :limit")
  List<AuditRecord> findChainPage(int chainId, long afterSeq, int limit);

  /** The hash of the event at a place in a chain, if there is one. */
  @Query("SELECT hash FROM audit_events WHERE chain_id = :chainId AND seq = :seq")
  Optional<String> findHashAt(int chainId, long seq);

  /** The highest seq stored in a chain, 0 when it has no event. */
  @Query("SELECT COALESCE(MAX(seq), 0) FROM audit_events WHERE chain_id = :chainId")
  long findMaxSeq(int chainId);

  /** The lowest seq stored in a chain, 1 when it has no event (a seq below 1 was planted). */
  @Query("SELECT COALESCE(MIN(seq), 1) FROM audit_events WHERE chain_id = :chainId")
  long findMinSeq(int chainId);

  /** How many events a chain holds up to {@code lastSeq}. */
  @Query("SELECT COUNT(*) FROM audit_events WHERE chain_id = :chainId AND seq <= :lastSeq")
  long countUpTo(int chainId, long lastSeq);

  /** When the oldest event happened (epoch microseconds), -1 when there is none. */
  @Query("SELECT COALESCE(MIN(occurred_at), -1) FROM audit_events")
  long findOldestOccurredAt();

  /** Chains that events name but {@code audit_chains} does not hold (its row was deleted). */
  @Query(
      "SELECT DISTINCT chain_id FROM audit_events"
          + " WHERE chain_id NOT IN (SELECT chain_id FROM audit_chains) ORDER BY chain_id")
  List<Integer> findChainsWithoutHead();

  /**
   * A page of a resident's access log: partner reads of their data that read something, newest
   * first, below the keyset {@code (beforeAt, beforeId)}. Uses ix_audit_events_subject (subject,
   * occurred_at; InnoDB appends the primary key, id, to every secondary index).
   */
  @Query(
      "SELECT * FROM audit_events WHERE subject = :subject AND outcome = 'SUCCESS'"
          + " AND action IN (:actions)"
          + " AND occurred_at <= :beforeAt AND (occurred_at < :beforeAt OR id < :beforeId)"
          + " ORDER BY occurred_at DESC, id DESC LIMIT :limit")
  List<AuditRecord> findPartnerReads(
      String subject, List<String> actions, long beforeAt, String beforeId, int limit);
}
