package uk.gov.residentportal.audit;

/** How the audited action ended. */
public enum AuditOutcome {
  SUCCESS,
  /** Nothing matched (a partner lookup of an unknown or unconsented resident, say). */
  NOT_FOUND,
  /** The caller was refused. */
  DENIED,
  /** Refused for bad input or a rule. */
  FAILURE
}
