package uk.gov.residentportal.shared;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
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

  /**
   * True when mail can be addressed to it: Jakarta Mail's strict RFC 822 parse, which is narrower
   * than the {@code @Email} constraint (no {@code _} in domains, for one). Checked at sign-up so a
   * resident hears "must be an email address" rather than the service failing to send.
   */
  public static boolean deliverable(String email) {
    try {
      InternetAddress address = new InternetAddress(email, true);
      address.validate();
      return email.equals(address.getAddress()) && email.indexOf('@') > 0;
    } catch (AddressException e) {
      return false;
    }
  }

  /** The part before the {@code @}, for the password rule that refuses it. */
  public static String localPart(String email) {
    // The last @: a quoted local part may itself contain one ("ada@home"@example.org).
    int at = email.lastIndexOf('@');
    return at < 0 ? email : email.substring(0, at);
  }
}
