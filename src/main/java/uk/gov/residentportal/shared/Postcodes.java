package uk.gov.residentportal.shared;

import java.util.Locale;
import java.util.regex.Pattern;

/** UK postcodes in their canonical form: upper case, one space before the inward code. */
public final class Postcodes {
  private static final Pattern UK = Pattern.compile("^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$");

  private Postcodes() {}

  /** The canonical form, or null when the text is not shaped like a UK postcode. */
  public static String normalise(String text) {
    if (text == null) {
      return null;
    }
    String compact = text.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    if (!UK.matcher(compact).matches()) {
      return null;
    }
    return compact.substring(0, compact.length() - 3)
        + " "
        + compact.substring(compact.length() - 3);
  }
}
