package uk.gov.residentportal.audit;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.VerifyAuditCommand;

/**
 * Writes a checkpoint every {@code PORTAL_AUDIT_CHECKPOINT_INTERVAL}: the first replica in each
 * interval writes it, the others skip. Not in the read-only {@code --verify-audit} command.
 */
@Singleton
@Requires(beans = javax.sql.DataSource.class)
@Requires(notEnv = VerifyAuditCommand.ENVIRONMENT)
class AuditCheckpointSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpointSchedule.class);

  private final AuditCheckpoints checkpoints;

  AuditCheckpointSchedule(AuditCheckpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Scheduled(
      initialDelay = "${portal.audit.checkpoint-interval:10m}",
      fixedDelay = "${portal.audit.checkpoint-interval:10m}")
  void scheduled() {
    try {
      checkpoints.write();
    } catch (RuntimeException e) {
      LOG.warn("audit checkpoint not written: {}", e.getClass().getSimpleName());
    }
  }
}
