package uk.gov.residentportal.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code account_totp}: the account's authenticator, pending until first confirmed. */
@MappedEntity("account_totp")
record TotpAuthenticator(
    @Id String accountId,
    String secretSealed,
    Instant createdAt,
    @Nullable Instant confirmedAt,
    @Nullable Long lastUsedStep) {

  boolean confirmed() {
    return confirmedAt != null;
  }

  @Override
  public String toString() {
    return "TotpAuthenticator[accountId=" + accountId + ", confirmed=" + confirmed() + "]";
  }
}
