package uk.gov.residentportal.audit;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface AuditCheckpointRepository extends GenericRepository<AuditCheckpoint, Long> {

  AuditCheckpoint save(AuditCheckpoint checkpoint);

  /** Checkpoints oldest first, above {@code afterSlot} (exclusive). */
  @Query("SELECT * FROM audit_checkpoints WHERE slot > :afterSlot ORDER BY slot LIMIT :limit")
  List<AuditCheckpoint> findPageAfter(long afterSlot, int limit);

  /** The checkpoint with the highest slot. */
  @Query("SELECT * FROM audit_checkpoints ORDER BY slot DESC LIMIT 1")
  Optional<AuditCheckpoint> findNewest();
}
