package uk.gov.residentportal.partner;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import uk.gov.residentportal.shared.NhsNumbers;
import uk.gov.residentportal.shared.Postcodes;
import uk.gov.residentportal.web.ProblemException;

/** The search fields partners send, checked the same way for the JSON API and FHIR. */
final class PartnerSearch {
  static final String REQUIRED = "is required";

  private PartnerSearch() {}

  /**
   * The ten digits of a valid NHS number (modulus 11, not one repeated digit).
   *
   * @throws ProblemException.InvalidField naming {@code field} otherwise
   */
  static String nhsNumber(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new ProblemException.InvalidField(field, REQUIRED);
    }
    String nhs = NhsNumbers.normalise(text);
    if (nhs == null) {
      throw new ProblemException.InvalidField(
          field, "must be a valid NHS number: ten digits with a correct modulus 11 check digit");
    }
    return nhs;
  }

  /**
   * A date of birth as YYYY-MM-DD.
   *
   * @throws ProblemException.InvalidField naming {@code field} otherwise
   */
  static LocalDate birthDate(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new ProblemException.InvalidField(field, REQUIRED);
    }
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text);
      }
    } catch (DateTimeParseException e) {
      // The same answer as any other text that is not a date.
    }
    throw new ProblemException.InvalidField(field, "must be a date as YYYY-MM-DD");
  }

  /** The outward code of a postcode ("LE1" of "LE1 6ZG"), or null. */
  static String postcodeDistrict(String postcode) {
    String canonical = Postcodes.normalise(postcode);
    return canonical == null ? null : canonical.substring(0, canonical.indexOf(' '));
  }
}
