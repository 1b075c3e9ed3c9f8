package uk.gov.residentportal.shared;

import java.util.Locale;

/** Email address handling shared by every feature. */
public final class Emails {
  /** RFC 5321 section 4.5.3.1.3 path limit, less the angle brackets. */
  public static final int MAX_LENGTH = 254;

  private Emails() {}

  /**
   * The form we store and compare: trimmed and lower-cased. (RFC 5321 lets the local part be case
   * sensitive, but no mail service a resident uses treats it so, and two accounts differing only by
   * case would confuse people.)
   */
  public static String normalise(String email) {
    return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
  }

  /** The part before the {@code @}, for the password rule that refuses it. */
  public static String localPart(String email) {
    // The last @: a quoted local part may itself contain one ("ada@home"@example.org).
    int at = email.lastIndexOf('@');
    return at < 0 ? email : email.substring(0, at);
  }
}
