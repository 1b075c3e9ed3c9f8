package uk.gov.residentportal.account;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code account_roles}. */
@MappedEntity("account_roles")
record AccountRole(@EmbeddedId Key key, Instant grantedAt) {

  @Embeddable
  record Key(String accountId, Role role) {}
}
