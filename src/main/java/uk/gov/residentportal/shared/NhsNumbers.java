package uk.gov.residentportal.shared;

/**
 * NHS number checks (NHS Data Dictionary, "NHS Number"): ten digits whose last is the modulus 11
 * check digit of the first nine; a check digit of 10 is never issued; numbers of one repeated digit
 * pass the arithmetic but are not real and are refused.
 */
public final class NhsNumbers {
  private NhsNumbers() {}

  /** The ten digits without spaces, or null when the text is not a valid NHS number. */
  public static String normalise(String text) {
    if (text == null) {
      return null;
    }
    String digits = text.replace(" ", "");
    if (digits.length() != 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    if (digits.chars().distinct().count() == 1) {
      return null;
    }
    int sum = 0;
    for (int i = 0; i < 9; i++) {
      sum += (digits.charAt(i) - '0') * (10 - i);
    }
    int check = 11 - (sum % 11);
    if (check == 11) {
      check = 0;
    }
    return check != 10 && check == digits.charAt(9) - '0' ? digits : null;
  }
}
