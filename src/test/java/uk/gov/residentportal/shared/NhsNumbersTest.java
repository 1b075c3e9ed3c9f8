package uk.gov.residentportal.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** NHS numbers: ten ASCII digits, the last the modulus 11 check digit of the first nine. */
class NhsNumbersTest {

  @Test
  void acceptsAValidNumberAsItIs() {
    assertThat(NhsNumbers.normalise("9434765919")).isEqualTo("9434765919");
  }

  @ParameterizedTest(name = "accepts \"{0}\"")
  @ValueSource(strings = {"943 476 5919", " 9434765919 ", "9434 765 919"})
  void acceptsSpacesAndReturnsTheTenDigits(String text) {
    assertThat(NhsNumbers.normalise(text)).isEqualTo("9434765919");
  }

  @Test
  void acceptsACheckDigitOfZero() {
    // 100000006 weighted 10..2: 1*10 + 6*2 = 22; 11 - (22 mod 11) = 11, which stands for 0.
    assertThat(NhsNumbers.normalise("1000000060")).isEqualTo("1000000060");
  }

  @Test
  void refusesAWrongCheckDigit() {
    assertThat(NhsNumbers.normalise("9434765918")).isNull();
  }

  @Test
  void refusesEveryNumberWhoseCheckDigitWouldBeTen() {
    // 100000001: 1*10 + 1*2 = 12, 11 - (12 mod 11) = 10: never issued.
    for (char last = '0'; last <= '9'; last++) {
      assertThat(NhsNumbers.normalise("100000001" + last)).as("100000001%s", last).isNull();
    }
  }

  @ParameterizedTest(name = "refuses the repeated-digit number {0}")
  @ValueSource(strings = {"1111111111", "0000000000", "2222222222", "5555555555"})
  void refusesRepeatedDigitsThatPassTheArithmetic(String number) {
    assertThat(NhsNumbers.normalise(number)).isNull();
  }

  @ParameterizedTest(name = "refuses \"{0}\"")
  @ValueSource(
      strings = {
        "943476591",
        "94347659190",
        "943-476-5919",
        "94347659l9",
        "943476591O",
        "+9434765919"
      })
  void refusesAnythingButTenDigits(String text) {
    assertThat(NhsNumbers.normalise(text)).isNull();
  }

  @ParameterizedTest
  @NullAndEmptySource
  void refusesNothing(String text) {
    assertThat(NhsNumbers.normalise(text)).isNull();
  }

  @ParameterizedTest(name = "refuses non-ASCII digits \"{0}\"")
  @ValueSource(
      strings = {
        // Arabic-Indic digits for 943476591 then an ASCII 9: the arithmetic on char - '0' happens
        // to
        // give check digit 9, so a naive isDigit() check lets this through.
        "٩٤٣٤٧٦٥٩١9",
        // Full-width digits for 943476591 then ASCII 5 (likewise "valid" by accident).
        "９４３４７６５９１5",
        "９４３４７６５９１９"
      })
  void refusesDigitsThatAreNotAscii(String text) {
    assertThat(NhsNumbers.normalise(text)).isNull();
  }
}
