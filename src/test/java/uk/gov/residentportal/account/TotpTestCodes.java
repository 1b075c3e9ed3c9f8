package uk.gov.residentportal.account;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/** What a resident's authenticator app shows for a secret, at a moment. */
public final class TotpTestCodes {
  private TotpTestCodes() {}

  public static String at(String base32Secret, Instant when) {
    TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator();
    try {
      return String.format(
          Locale.ROOT,
          "%06d",
          totp.generateOneTimePassword(
              new SecretKeySpec(new Base32().decode(base32Secret), totp.getAlgorithm()), when));
    } catch (InvalidKeyException e) {
      throw new AssertionError(e);
    }
  }

  public static String now(String base32Secret) {
    return at(base32Secret, Instant.now());
  }

  /** A code that is not the current one nor a neighbour's (for refusals). */
  public static String wrong(String base32Secret) {
    Instant now = Instant.now();
    for (int candidate = 0; ; candidate++) {
      String code = String.format(Locale.ROOT, "%06d", candidate);
      if (!code.equals(at(base32Secret, now))
          && !code.equals(at(base32Secret, now.minusSeconds(30)))
          && !code.equals(at(base32Secret, now.plusSeconds(30)))
          && !code.equals(at(base32Secret, now.plusSeconds(60)))) {
        return code;
      }
    }
  }
}
