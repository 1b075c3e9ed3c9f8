package uk.gov.residentportal.auth;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.account.AccountEvent;

/**
 * Ends the browser sessions and what the provider issued when an account's password is reset or the
 * account is erased. Runs inside the account feature's transaction, so both commit together.
 */
@Singleton
final class AccountEventsListener {
  private static final Logger LOG = LoggerFactory.getLogger(AccountEventsListener.class);

  private final RefreshTokens refreshTokens;
  private final AuthorizationCodeRepository codes;
  private final BrowserSessions sessions;

  AccountEventsListener(
      RefreshTokens refreshTokens, AuthorizationCodeRepository codes, BrowserSessions sessions) {
    this.refreshTokens = refreshTokens;
    this.codes = codes;
    this.sessions = sessions;
  }

  @EventListener
  void on(AccountEvent event) {
    if (!(event instanceof AccountEvent.CredentialsChanged)
        && !(event instanceof AccountEvent.Erased)) {
      return;
    }
    // Every browser session first (its clients hear by back-channel logout), then every grant,
    // including those issued outside a session.
    int ended = sessions.endAll(event.accountId());
    int revoked = refreshTokens.revokeAccount(event.accountId());
    codes.deleteByAccountId(event.accountId());
    LOG.info(
        "{}: sessions ended and refresh tokens revoked id={} sessions={} tokens={}",
        event.getClass().getSimpleName(),
        event.accountId(),
        ended,
        revoked);
  }
}
