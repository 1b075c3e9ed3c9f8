package uk.gov.residentportal.account;

/**
 * What other features must react to. Published synchronously inside the account transaction, so a
 * listener's writes commit or roll back with it.
 */
public sealed interface AccountEvent {
  String accountId();

  /** The password changed (reset): every browser session and refresh token must end. */
  record CredentialsChanged(String accountId) implements AccountEvent {}

  /** The account was erased: end everything and drop what is personal. */
  record Erased(String accountId) implements AccountEvent {}

  /**
   * The NHS number or date of birth changed (profile update): what partners matched the account by
   * no longer holds, so the ids organisations know it by must stop working. Sessions stay.
   */
  record IdentityChanged(String accountId) implements AccountEvent {}
}
