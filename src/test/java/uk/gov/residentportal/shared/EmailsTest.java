package uk.gov.residentportal.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Email addresses: stored trimmed and lower case; the local part feeds the password rule. */
class EmailsTest {

  @Test
  void trimsAndLowerCases() {
    assertThat(Emails.normalise("  Ada.Lovelace@Example.ORG \t"))
        .isEqualTo("ada.lovelace@example.org");
  }

  @Test
  void keepsNothingAsNothing() {
    assertThat(Emails.normalise(null)).isNull();
  }

  @Test
  void lowerCasesTheSameWayWhateverTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      assertThat(Emails.normalise("TIM@EXAMPLE.ORG")).isEqualTo("tim@example.org");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void takesTheLocalPartBeforeTheAt() {
    assertThat(Emails.localPart("ada.lovelace@example.org")).isEqualTo("ada.lovelace");
  }

  @Test
  void takesTheWholeTextWhenThereIsNoAt() {
    assertThat(Emails.localPart("ada")).isEqualTo("ada");
  }

  @Test
  void takesEverythingBeforeTheLastAtOfAQuotedLocalPart() {
    // RFC 5321 section 4.1.2: a quoted local part may hold '@'; the domain never does.
    assertThat(Emails.localPart("\"ada@home\"@example.org")).isEqualTo("\"ada@home\"");
  }
}
