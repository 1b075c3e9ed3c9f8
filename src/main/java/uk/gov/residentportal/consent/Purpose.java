package uk.gov.residentportal.consent;

/** Why a partner may read what a resident shares. Only direct care, for now. */
public enum Purpose {
  DIRECT_CARE
}
