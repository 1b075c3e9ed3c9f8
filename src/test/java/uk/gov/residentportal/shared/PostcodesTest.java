package uk.gov.residentportal.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** UK postcodes: every shape in use, stored upper case with one space before the inward code. */
class PostcodesTest {

  @ParameterizedTest(name = "\"{0}\" is stored as \"{1}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "le1 6zg|LE1 6ZG",
        "LE16ZG|LE1 6ZG",
        "  sw1a   1aa |SW1A 1AA",
        "M1 1AE|M1 1AE",
        "B33 8TH|B33 8TH",
        "CR2 6XH|CR2 6XH",
        "DN55 1PT|DN55 1PT",
        "W1A 0AX|W1A 0AX",
        "EC1A 1BB|EC1A 1BB",
        "l e 1 6 z g|LE1 6ZG"
      },
      ignoreLeadingAndTrailingWhitespace = false)
  void acceptsEveryUkShapeInCanonicalForm(String text, String canonical) {
    assertThat(Postcodes.normalise(text)).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "refuses \"{0}\"")
  @ValueSource(
      strings = {
        "ZZ",
        "12345",
        "LE1 6Z",
        "LE1 6ZGG",
        "LE1",
        "6ZG",
        "LEE1 6ZG",
        "1LE 6ZG",
        "LE1 66G",
        "LE1-6ZG",
        "LE1 6ZG!"
      })
  void refusesWhatIsNotShapedLikeAPostcode(String text) {
    assertThat(Postcodes.normalise(text)).isNull();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   "})
  void refusesNothing(String text) {
    assertThat(Postcodes.normalise(text)).isNull();
  }

  @ParameterizedTest(name = "refuses non-ASCII \"{0}\"")
  @ValueSource(strings = {"ＬＥ１ ６ＺＧ", "LE١ ٦ZG"})
  void refusesLettersAndDigitsThatAreNotAscii(String text) {
    assertThat(Postcodes.normalise(text)).isNull();
  }

  @ParameterizedTest(name = "\"{0}\" fits the 8-character column")
  @ValueSource(strings = {"SW1A1AA", "DN551PT", "EC1A1BB"})
  void neverProducesMoreThanEightCharacters(String text) {
    assertThat(Postcodes.normalise(text)).hasSizeLessThanOrEqualTo(8);
  }
}
