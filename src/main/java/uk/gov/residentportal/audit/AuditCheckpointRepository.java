package uk.gov.residentportal.audit;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
interface AuditCheckpointRepository extends GenericRepository<AuditCheckpoint, Long> {

  AuditCheckpoint save(AuditCheckpoint checkpoint);

  /** Checkpoints newest first, below {@code beforeSlot} (exclusive). */
  @Query("SELECT * FROM audit_checkpoints WHERE slot < :beforeSlot ORDER BY slot DESC LIMIT :limit")
  List<AuditCheckpoint> findPageBefore(long beforeSlot, int limit);
}
