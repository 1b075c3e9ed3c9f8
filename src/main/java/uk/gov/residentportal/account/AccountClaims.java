package uk.gov.residentportal.account;

import io.micronaut.core.annotation.Nullable;
import java.util.Set;

/** What ID tokens and userinfo may tell a client about an account, by scope. */
public record AccountClaims(
    String accountId,
    @Nullable String email,
    boolean emailVerified,
    @Nullable String givenName,
    @Nullable String familyName,
    Assurance assurance,
    Set<Role> roles) {
  @Override
  public String toString() {
    return "AccountClaims[accountId=" + accountId + "]";
  }
}
