package uk.gov.residentportal.auth;

import java.util.List;
import uk.gov.residentportal.account.Assurance;

/**
 * The {@code acr} and {@code amr} of a sign-in. {@code acr} is the account's identity assurance
 * (P0, P1, P2) and, after a second factor, the credential strength as GOV.UK One Login writes it
 * (vectors of trust, RFC 8485: {@code Cl.Cm} = password and a second factor), e.g. {@code
 * P1.Cl.Cm}. {@code amr} (RFC 8176) follows from it: {@code pwd}, plus {@code otp} for an
 * authenticator code or a recovery code.
 */
final class AuthenticationStrength {
  static final String SECOND_FACTOR = ".Cl.Cm";

  private AuthenticationStrength() {}

  static String acr(Assurance assurance, boolean secondFactor) {
    return assurance.name() + (secondFactor ? SECOND_FACTOR : "");
  }

  static String amr(boolean secondFactor) {
    return secondFactor ? "pwd otp" : "pwd";
  }

  static List<String> amrOf(String acr) {
    return acr != null && acr.endsWith(SECOND_FACTOR) ? List.of("pwd", "otp") : List.of("pwd");
  }

  /** Every acr value a token may carry, for discovery. */
  static List<String> supported() {
    return List.of(
        "P0", "P1", "P2", "P0" + SECOND_FACTOR, "P1" + SECOND_FACTOR, "P2" + SECOND_FACTOR);
  }
}
