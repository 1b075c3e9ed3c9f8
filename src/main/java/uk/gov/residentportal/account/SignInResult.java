package uk.gov.residentportal.account;

/** The outcome of checking an email and password. */
public sealed interface SignInResult {
  /** Email and password match an active account. */
  record SignedIn(SignedInAccount account) implements SignInResult {}

  /**
   * The password is right but the email is not verified yet. Only someone who knows the password
   * learns this, so it reveals nothing to a stranger.
   */
  record EmailNotVerified() implements SignInResult {}

  /** Unknown email or wrong password: the same answer for both. */
  record Refused() implements SignInResult {}
}
