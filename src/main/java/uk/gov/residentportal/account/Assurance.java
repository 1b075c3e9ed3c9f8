package uk.gov.residentportal.account;

/**
 * Identity assurance of an account (DESIGN.md section 4), carried as the {@code acr} claim.
 * Ordered: a later constant meets every earlier one.
 */
public enum Assurance {
  /** Email verified. */
  P0,
  /** Linked to a council record. */
  P1,
  /** Identity verified by the council. */
  P2;

  public boolean meets(Assurance minimum) {
    return compareTo(minimum) >= 0;
  }
}
