package uk.gov.residentportal.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code account_recovery_codes}: only the SHA-256 of the code is kept. */
@MappedEntity("account_recovery_codes")
record RecoveryCode(
    @Id String id,
    String accountId,
    String codeHash,
    Instant createdAt,
    @Nullable Instant usedAt) {}
