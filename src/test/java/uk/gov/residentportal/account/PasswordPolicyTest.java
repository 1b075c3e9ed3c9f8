package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.ProblemException;
import uk.gov.residentportal.web.ProblemType;

/**
 * NIST SP 800-63B section 5.1.1.2 as the policy states it: 12 to 128 characters of any kind after
 * NFKC, no composition rules, guessable passwords and the resident's own address refused.
 */
class PasswordPolicyTest {
  private static final String EMAIL = "ada.lovelace@example.org";

  private final PasswordPolicy policy = new PasswordPolicy();

  private void check(String password) {
    policy.check("password", password, EMAIL, "Ada", "Lovelace");
  }

  /** The message of the 400 the check throws, after checking it names the field. */
  private String refusal(String field, String password) {
    ProblemException.InvalidField refused =
        catchThrowableOfType(
            ProblemException.InvalidField.class,
            () -> policy.check(field, password, EMAIL, "Ada", "Lovelace"));
    assertThat(refused).as("refused: %s", password).isNotNull();
    assertThat(refused.problemType()).isEqualTo(ProblemType.VALIDATION);
    assertThat(refused.errors()).extracting(Problem.FieldError::field).containsExactly(field);
    return refused.errors().get(0).message();
  }

  @ParameterizedTest(name = "accepts \"{0}\"")
  @ValueSource(
      strings = {
        "correct horse battery staple 42",
        "violet tractor quietly umbrella 93",
        "Ωραίοςκαιρός",
        "🦊🐙🦉🐢🦔🐝🦋🐌🦀🐧🦒🦓",
        "crème brûlée à la française"
      })
  void acceptsLongUnguessablePasswordsOfAnyCharacters(String password) {
    assertThatCode(() -> check(password)).doesNotThrowAnyException();
  }

  @Test
  void needsNoDigitsCapitalsOrSymbols() {
    assertThatCode(() -> check("tangerine glacier whistle")).doesNotThrowAnyException();
  }

  @Test
  void refusesElevenCharacters() {
    assertThat(refusal("password", "kx8#Vq2!mZp")).isEqualTo("must be at least 12 characters long");
  }

  @Test
  void acceptsTwelveUnguessableCharacters() {
    assertThatCode(() -> check("kx8#Vq2!mZp7")).doesNotThrowAnyException();
  }

  @Test
  void acceptsOneHundredAndTwentyEightCharacters() {
    String password = "kx8#Vq2!mZp7" + "violet tractor ".repeat(7) + "x".repeat(11);
    assertThat(password).hasSize(128);
    assertThatCode(() -> check(password)).doesNotThrowAnyException();
  }

  @Test
  void refusesOneHundredAndTwentyNineCharacters() {
    String password = "kx8#Vq2!mZp7" + "violet tractor ".repeat(7) + "x".repeat(12);
    assertThat(password).hasSize(129);
    assertThat(refusal("password", password)).isEqualTo("must be at most 128 characters long");
  }

  @Test
  void countsCharactersNotUtf16Units() {
    String elevenEmoji = "🦊🐙🦉🐢🦔🐝🦋🐌🦀🐧🦒";
    assertThat(elevenEmoji).hasSize(22);
    assertThat(refusal("password", elevenEmoji)).isEqualTo("must be at least 12 characters long");
  }

  @Test
  void countsCharactersAfterNfkcNormalisation() {
    // Eleven letters, one written as e + combining acute: twelve chars before NFKC, eleven after.
    String decomposed = "kx8#Vq2!mZe\u0301";
    assertThat(decomposed).hasSize(12);
    assertThat(refusal("password", decomposed)).isEqualTo("must be at least 12 characters long");
  }

  @ParameterizedTest(name = "refuses the guessable \"{0}\"")
  @ValueSource(
      strings = {
        "password1234",
        "Password1234!",
        "qwertyuiop123",
        "123456789012",
        "aaaaaaaaaaaa",
        "abcdefghijkl",
        "iloveyou2024",
        "P@ssw0rd2024"
      })
  void refusesGuessablePasswords(String password) {
    assertThat(refusal("password", password))
        .startsWith("is too easy to guess")
        .endsWith("try three or four unrelated words, or a longer phrase");
  }

  @Test
  void refusesThePartOfTheAddressBeforeTheAtInAnyCase() {
    assertThat(refusal("password", "my ADA.LOVELACE passphrase 93"))
        .isEqualTo("must not contain your email address or the part before the @");
  }

  @Test
  void refusesTheWholeAddress() {
    assertThat(refusal("password", "x ada.lovelace@example.org x"))
        .isEqualTo("must not contain your email address or the part before the @");
  }

  @Test
  void ignoresALocalPartShorterThanThreeCharacters() {
    assertThatCode(
            () -> policy.check("password", "ab violet tractor quietly", "ab@example.org", "A", "B"))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesTheResidentsOwnNameWithLittleElse() {
    assertThat(refusal("password", "AdaLovelace1")).startsWith("is too easy to guess");
  }

  @Test
  void namesTheFieldItWasAskedTo() {
    assertThat(refusal("newPassword", "password1234")).startsWith("is too easy to guess");
  }

  @Test
  void normalisesWithNfkc() {
    assertThat(PasswordPolicy.normalise("e\u0301")).isEqualTo("\u00e9");
    assertThat(PasswordPolicy.normalise("ﬁve ｆｕｌｌ"))
        .isEqualTo("five full")
        .isEqualTo(Normalizer.normalize("ﬁve ｆｕｌｌ", Normalizer.Form.NFKC));
  }
}
