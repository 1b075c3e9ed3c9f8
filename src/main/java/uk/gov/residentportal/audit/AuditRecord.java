package uk.gov.residentportal.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A row of {@code audit_events}: an event as stored, at its place in its chain. {@code occurredAt}
 * is microseconds since the epoch, UTC.
 */
@MappedEntity("audit_events")
record AuditRecord(
    @Id String id,
    int chainId,
    long seq,
    long occurredAt,
    String action,
    String outcome,
    String actorType,
    @Nullable String actorId,
    @Nullable String organisationOds,
    @Nullable String purpose,
    @Nullable String subject,
    @Nullable String recordIds,
    @Nullable String requestId,
    String prevHash,
    String hash) {}
