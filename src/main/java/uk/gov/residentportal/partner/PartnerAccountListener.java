package uk.gov.residentportal.partner;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.account.AccountEvent;

/**
 * The ids organisations know a resident by go when the account is erased or its NHS number or date
 * of birth changes: an id stands for the identity a partner matched, and must not carry over to
 * another. A later lookup with the account's current details makes a new id. Runs inside the
 * account feature's transaction, so both commit together. Audit events keep the account id, not
 * these ids.
 */
@Singleton
final class PartnerAccountListener {
  private static final Logger LOG = LoggerFactory.getLogger(PartnerAccountListener.class);

  private final PartnerResidentRepository residents;

  PartnerAccountListener(PartnerResidentRepository residents) {
    this.residents = residents;
  }

  @EventListener
  void on(AccountEvent event) {
    if (event instanceof AccountEvent.Erased || event instanceof AccountEvent.IdentityChanged) {
      int forgotten = residents.deleteByAccountId(event.accountId());
      LOG.info(
          "{}: partner ids forgotten id={} count={}",
          event.getClass().getSimpleName(),
          event.accountId(),
          forgotten);
    }
  }
}
