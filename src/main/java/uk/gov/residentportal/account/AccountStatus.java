package uk.gov.residentportal.account;

/** Where an account is in its life. */
public enum AccountStatus {
  /** Signed up, email not yet verified: cannot sign in. */
  PENDING_VERIFICATION,
  ACTIVE,
  /** Personal data removed; the id stays as a pseudonym for what audit must keep. */
  ERASED
}
