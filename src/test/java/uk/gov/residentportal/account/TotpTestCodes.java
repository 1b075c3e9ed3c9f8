package uk.gov.residentportal.account;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import uk.gov.residentportal.support.Portal;

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

  /** An authenticator app set up and confirmed on the account the token belongs to. */
  public record Enrolled(String secret, List<String> recoveryCodes) {}

  /**
   * Sets up and confirms an authenticator app for the signed-in resident (password {@link
   * Portal#PASSWORD}). Confirmed with the previous step's code (accepted for clock drift), so the
   * current step's code is still unused for the sign-in that follows.
   */
  public static Enrolled enrol(Portal portal, String token) {
    Portal.Response begun =
        portal.json("POST", "/api/v1/me/totp", "{\"password\":\"" + Portal.PASSWORD + "\"}", token);
    if (begun.status() != 201) {
      throw new AssertionError("no enrolment: " + begun.status() + " " + begun.body());
    }
    String secret = (String) begun.json().get("secret");
    Portal.Response confirmed = confirm(portal, token, at(secret, Instant.now().minusSeconds(30)));
    if (confirmed.status() == 400) {
      // A 30-second step began in between: the current code is then the previous one's successor.
      confirmed = confirm(portal, token, now(secret));
    }
    if (confirmed.status() != 200) {
      throw new AssertionError("not confirmed: " + confirmed.status() + " " + confirmed.body());
    }
    return new Enrolled(secret, Portal.list(confirmed.json().get("recoveryCodes")));
  }

  private static Portal.Response confirm(Portal portal, String token, String code) {
    return portal.json("POST", "/api/v1/me/totp/confirm", "{\"code\":\"" + code + "\"}", token);
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
