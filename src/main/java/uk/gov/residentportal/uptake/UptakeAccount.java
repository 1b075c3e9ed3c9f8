package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.LocalDate;

/** What the reports last counted for one account (a row of {@code uptake_accounts}). */
@MappedEntity("uptake_accounts")
record UptakeAccount(
    @Id String accountId,
    String areaCode,
    LocalDate signedUpOn,
    boolean verified,
    boolean linked,
    boolean erased,
    @Nullable LocalDate lastActiveOn) {}
