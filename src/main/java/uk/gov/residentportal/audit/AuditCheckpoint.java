package uk.gov.residentportal.audit;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A row of {@code audit_checkpoints}: the heads of every chain at {@code madeAt} (microseconds
 * since the epoch, UTC), with their HMAC.
 */
@MappedEntity("audit_checkpoints")
record AuditCheckpoint(@Id long slot, long madeAt, String heads, String mac) {}
