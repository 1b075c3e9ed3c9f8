package uk.gov.residentportal.audit;

/** What an audit event records. Stored by name: names never change once released. */
public enum AuditAction {
  // NHS partners reading a resident's data (the resident's access log shows these).
  PARTNER_LOOKUP,
  PARTNER_RECORDS_READ,
  PARTNER_DOCUMENT_READ,
  // Residents.
  SIGN_IN,
  CONSENT_GRANTED,
  CONSENT_WITHDRAWN,
  LINK_CREATED,
  LINK_REMOVED,
  EXPORT,
  ERASURE,
  // Administration.
  ADMIN_CLIENT_REGISTERED,
  ADMIN_CLIENT_CHANGED,
  ADMIN_CLIENT_REMOVED,
  ADMIN_KEY_ROTATED,
  ADMIN_ROLES_SET,
  ADMIN_SERVICE_REGISTERED,
  ADMIN_ORGANISATION_REGISTERED,
  ADMIN_ORGANISATION_CHANGED,
  ADMIN_SERVICE_CHANGED,
  ADMIN_SERVICE_REMOVED;

  /** Whether this is a partner's read of a resident's data. */
  public boolean partnerRead() {
    return this == PARTNER_LOOKUP || this == PARTNER_RECORDS_READ || this == PARTNER_DOCUMENT_READ;
  }
}
