package uk.gov.residentportal.records;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import uk.gov.residentportal.account.AccountEvent;

/**
 * An erased account's links to council records and its linking attempts go with it. Runs inside the
 * account feature's transaction, so both commit together. The records themselves stay: they are
 * about the subject, not the account, and other accounts may be linked to it.
 */
@Singleton
final class RecordsAccountListener {
  private final Linking linking;

  RecordsAccountListener(Linking linking) {
    this.linking = linking;
  }

  @EventListener
  void on(AccountEvent event) {
    if (event instanceof AccountEvent.Erased erased) {
      linking.forget(erased.accountId());
    }
  }
}
