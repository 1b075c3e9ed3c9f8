package uk.gov.residentportal.consent;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import uk.gov.residentportal.account.AccountEvent;

/**
 * An erased account's consents go with it. Runs inside the account feature's transaction, which has
 * locked the account's row first (as a grant does), so both commit together and no consent can be
 * granted for the account meanwhile. The audit events of its grants and withdrawals stay, under the
 * account id that erasure leaves a pseudonym.
 */
@Singleton
final class ConsentAccountListener {
  private final ConsentService consents;

  ConsentAccountListener(ConsentService consents) {
    this.consents = consents;
  }

  @EventListener
  void on(AccountEvent event) {
    if (event instanceof AccountEvent.Erased erased) {
      consents.forget(erased.accountId());
    }
  }
}
