package uk.gov.residentportal.uptake;

import java.time.LocalDate;

/**
 * A change to the counts on one UTC day in one area (a row of {@code uptake_changes}, and what is
 * added to the roll-ups). Area {@link #COUNCIL} counts for the whole council only; any other area
 * ({@link #NO_AREA} included) for itself and the whole council.
 */
record UptakeDelta(
    LocalDate day,
    String area,
    int signUps,
    int accounts,
    int verified,
    int verifications,
    int linked,
    int erased,
    int active7d,
    int active30d) {
  /** The whole council (roll-up rows and ledger rows that count for no single area). */
  static final String COUNCIL = "*";

  /** Accounts whose postcode is in no loaded area. */
  static final String NO_AREA = "";

  static UptakeDelta signUp(LocalDate day, String area) {
    return new UptakeDelta(day, area, 1, 1, 0, 0, 0, 0, 0, 0);
  }

  static UptakeDelta verification(LocalDate day, String area) {
    return new UptakeDelta(day, area, 0, 0, 1, 1, 0, 0, 0, 0);
  }

  static UptakeDelta link(LocalDate day, String area, int change) {
    return new UptakeDelta(day, area, 0, 0, 0, 0, change, 0, 0, 0);
  }

  /** The account, as it was counted, leaving {@code area} (or, negated, arriving in it). */
  static UptakeDelta leaving(LocalDate day, String area, UptakeAccount account) {
    return new UptakeDelta(
        day, area, 0, -1, account.verified() ? -1 : 0, 0, account.linked() ? -1 : 0, 0, 0, 0);
  }

  static UptakeDelta active(LocalDate day, int active7d, int active30d) {
    return new UptakeDelta(day, COUNCIL, 0, 0, 0, 0, 0, 0, active7d, active30d);
  }

  UptakeDelta negated() {
    return new UptakeDelta(
        day,
        area,
        -signUps,
        -accounts,
        -verified,
        -verifications,
        -linked,
        -erased,
        -active7d,
        -active30d);
  }

  /** The same counts on another day in another area. */
  UptakeDelta at(LocalDate otherDay, String otherArea) {
    return new UptakeDelta(
        otherDay,
        otherArea,
        signUps,
        accounts,
        verified,
        verifications,
        linked,
        erased,
        active7d,
        active30d);
  }

  UptakeDelta withErased(int change) {
    return new UptakeDelta(
        day, area, signUps, accounts, verified, verifications, linked, change, active7d, active30d);
  }

  UptakeDelta plus(UptakeDelta other) {
    return new UptakeDelta(
        day,
        area,
        signUps + other.signUps,
        accounts + other.accounts,
        verified + other.verified,
        verifications + other.verifications,
        linked + other.linked,
        erased + other.erased,
        active7d + other.active7d,
        active30d + other.active30d);
  }

  boolean isZero() {
    return signUps == 0
        && accounts == 0
        && verified == 0
        && verifications == 0
        && linked == 0
        && erased == 0
        && active7d == 0
        && active30d == 0;
  }
}
