package uk.gov.residentportal.audit;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
interface AuditRepository extends GenericRepository<AuditRecord, String> {

  AuditRecord save(AuditRecord event);

  /** One page of a chain in order, from {@code afterSeq} (exclusive). */
  @Query(
      "SELECT * FROM audit_events WHERE chain_id = :chainId AND seq > :afterSeq"
          + " ORDER BY seq LIMIT :limit")
  List<AuditRecord> findChainPage(int chainId, long afterSeq, int limit);
}
