package uk.gov.residentportal.audit;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A row of {@code audit_chains}: the last event of one chain. */
@MappedEntity("audit_chains")
record AuditChainHead(@Id int chainId, long lastSeq, String lastHash) {}
