package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code sign_in_challenges}: a right password waiting for its security code. */
@MappedEntity("sign_in_challenges")
record SignInChallenge(
    @Id String tokenHash,
    String accountId,
    String email,
    Instant createdAt,
    Instant expiresAt,
    int attempts) {

  @Override
  public String toString() {
    return "SignInChallenge[accountId=" + accountId + "]";
  }
}
