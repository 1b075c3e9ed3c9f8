package uk.gov.residentportal.partner;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A row of {@code partner_residents}: the opaque id one organisation knows a resident by. Random,
 * made on the organisation's first successful lookup; another organisation's id finds nothing.
 */
@MappedEntity("partner_residents")
record PartnerResident(@Id String id, String odsCode, String accountId, Instant createdAt) {}
