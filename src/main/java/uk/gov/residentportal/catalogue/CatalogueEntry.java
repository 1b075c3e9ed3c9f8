package uk.gov.residentportal.catalogue;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code council_services}. */
@MappedEntity("council_services")
record CatalogueEntry(
    @Id String id,
    String name,
    String department,
    boolean online,
    @Nullable String clientId,
    Instant createdAt,
    Instant updatedAt) {}
