package uk.gov.residentportal.account;

/** Staff roles. Granted only by an ADMIN or the bootstrap setting, never by sign-up. */
public enum Role {
  MANAGER,
  ADMIN
}
