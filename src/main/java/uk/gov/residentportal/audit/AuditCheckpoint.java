package uk.gov.residentportal.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A row of {@code audit_checkpoints}: the heads of every chain at {@code madeAt} (microseconds
 * since the epoch, UTC), the slot and HMAC of the checkpoint before it (null for the first), and
 * its HMAC, which covers all of them.
 */
@MappedEntity("audit_checkpoints")
record AuditCheckpoint(
    @Id long slot,
    long madeAt,
    String heads,
    String mac,
    @Nullable Long prevSlot,
    @Nullable String prevMac) {}
