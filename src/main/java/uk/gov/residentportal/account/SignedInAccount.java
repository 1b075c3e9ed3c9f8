package uk.gov.residentportal.account;

import java.util.Set;

/** Who signed in, as the token issuer needs it: the pseudonymous id, assurance and roles. */
public record SignedInAccount(String accountId, Assurance assurance, Set<Role> roles) {}
