package uk.gov.residentportal.account;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import jakarta.inject.Singleton;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import uk.gov.residentportal.shared.Emails;
import uk.gov.residentportal.web.ProblemException;

/**
 * NIST SP 800-63B / OWASP ASVS V2.1 password rules: 12 to 128 characters of any kind (after NFKC
 * normalisation), no composition rules, and guessable passwords refused. Guessability is measured
 * by zxcvbn4j ({@code com.nulab-inc:zxcvbn}), which knows common passwords, names, words, keyboard
 * patterns and dates, and also penalises the resident's own name and email.
 */
@Singleton
final class PasswordPolicy {
  static final int MIN_LENGTH = 12;
  static final int MAX_LENGTH = 128;
  // zxcvbn scores 0..4; 3 means "safely unguessable: moderate protection from offline attacks".
  private static final int MIN_SCORE = 3;
  private static final int MAX_SCORE = 4;

  /** What the pages that ask for a new password tell the resident about these rules. */
  static final String HINT =
      "Use at least "
          + MIN_LENGTH
          + " characters. Three or four unrelated words make a strong password. Do not use your"
          + " name or email address.";

  private final Zxcvbn zxcvbn = new Zxcvbn();

  /** The form a password is hashed and compared in. */
  static String normalise(String password) {
    return Normalizer.normalize(password, Normalizer.Form.NFKC);
  }

  /**
   * Checks a new password; throws a 400 naming {@code field} with a message a resident can act on.
   */
  void check(String field, String password, String email, String... names) {
    String normalised = normalise(password);
    int length = normalised.codePointCount(0, normalised.length());
    if (length < MIN_LENGTH) {
      throw new ProblemException.InvalidField(
          field, "must be at least " + MIN_LENGTH + " characters long");
    }
    if (length > MAX_LENGTH) {
      throw new ProblemException.InvalidField(
          field, "must be at most " + MAX_LENGTH + " characters long");
    }
    String localPart = Emails.localPart(email).toLowerCase(Locale.ROOT);
    if (localPart.length() >= 3 && normalised.toLowerCase(Locale.ROOT).contains(localPart)) {
      throw new ProblemException.InvalidField(
          field, "must not contain your email address or the part before the @");
    }
    List<String> personal = new ArrayList<>(List.of(email, localPart));
    for (String name : names) {
      if (name != null && !name.isBlank()) {
        personal.add(name);
      }
    }
    Strength strength = zxcvbn.measure(normalised, personal);
    // NIST SP 800-63B 5.1.1.2: words from the resident's own details make a password guessable to
    // anyone who knows them, so such a password must be strong even without them.
    String lower = normalised.toLowerCase(Locale.ROOT);
    boolean personalWord =
        personal.stream()
            .map(w -> w.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}]", ""))
            .anyMatch(w -> w.length() >= 3 && lower.contains(w));
    if (strength.getScore() < (personalWord ? MAX_SCORE : MIN_SCORE)) {
      String warning = strength.getFeedback().getWarning();
      throw new ProblemException.InvalidField(
          field,
          "is too easy to guess"
              + (warning == null || warning.isBlank() ? "" : " (" + warning + ")")
              + ": try three or four unrelated words, or a longer phrase");
    }
  }
}
