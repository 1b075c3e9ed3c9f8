package uk.gov.residentportal.partner;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import uk.gov.residentportal.shared.NhsNumbers;
import uk.gov.residentportal.shared.Postcodes;
import uk.gov.residentportal.web.ProblemException;

/** The search fields partners send, checked the same way for the JSON API and FHIR. */
final class PartnerSearch {
  static final String REQUIRED = "is required";

  /** The earliest date of birth searched for; anything before is a mistake, not a resident. */
  static final LocalDate EARLIEST_BIRTH_DATE = LocalDate.of(1880, 1, 1);

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
   * A date of birth as YYYY-MM-DD, from {@link #EARLIEST_BIRTH_DATE} to {@code today} (UTC).
   *
   * @throws ProblemException.InvalidField naming {@code field} otherwise
   */
  static LocalDate birthDate(String field, String text, LocalDate today) {
    if (text == null || text.isBlank()) {
      throw new ProblemException.InvalidField(field, REQUIRED);
    }
    LocalDate date = null;
    try {
      if (text.length() == 10) {
        date = LocalDate.parse(text);
      }
    } catch (DateTimeParseException e) {
      // The same answer as any other text that is not a date.
    }
    if (date == null) {
      throw new ProblemException.InvalidField(field, "must be a date as YYYY-MM-DD");
    }
    if (date.isBefore(EARLIEST_BIRTH_DATE) || date.isAfter(today)) {
      throw new ProblemException.InvalidField(
          field, "must be from " + EARLIEST_BIRTH_DATE + " to today");
    }
    return date;
  }

  /** Today's date in UTC by {@code clock}: the latest date of birth searched for. */
  static LocalDate today(Clock clock) {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** The outward code of a postcode ("LE1" of "LE1 6ZG"), or null. */
  static String postcodeDistrict(String postcode) {
    String canonical = Postcodes.normalise(postcode);
    return canonical == null ? null : canonical.substring(0, canonical.indexOf(' '));
  }
}
