package uk.gov.residentportal.auth;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.account.AccountEvent;

/**
 * Ends what the provider issued when an account's password is reset or the account is erased. Runs
 * inside the account feature's transaction, so both commit together.
 */
@Singleton
final class AccountEventsListener {
  private static final Logger LOG = LoggerFactory.getLogger(AccountEventsListener.class);

  private final RefreshTokens refreshTokens;
  private final AuthorizationCodeRepository codes;

  AccountEventsListener(RefreshTokens refreshTokens, AuthorizationCodeRepository codes) {
    this.refreshTokens = refreshTokens;
    this.codes = codes;
  }

  @EventListener
  void on(AccountEvent event) {
    int revoked = refreshTokens.revokeAccount(event.accountId());
    codes.deleteByAccountId(event.accountId());
    LOG.info(
        "{}: refresh tokens revoked id={} count={}",
        event.getClass().getSimpleName(),
        event.accountId(),
        revoked);
  }
}
