package uk.gov.residentportal.records;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import uk.gov.residentportal.account.AccountEvent;

/**
 * An erased account's links to council records and its linking attempts go with it, and its id
 * leaves the one-time codes it used (when they were used stays). Runs inside the account feature's
 * transaction, which has locked the account's row first, so all commit together and no link can be
 * stored for the account meanwhile. The records themselves stay: they are about the subject, not
 * the account, and other accounts may be linked to it.
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
