package uk.gov.residentportal.partner;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;

/** A row of {@code partner_organisations}: an NHS organisation of the partnership. */
@MappedEntity("partner_organisations")
record Organisation(
    @Id String odsCode,
    String name,
    @MappedProperty("org_type") OrganisationType type,
    boolean active,
    Instant createdAt,
    Instant updatedAt) {}
