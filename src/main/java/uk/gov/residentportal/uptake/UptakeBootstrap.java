package uk.gov.residentportal.uptake;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import uk.gov.residentportal.VerifyAuditCommand;

/** At start-up, before requests: builds the roll-ups the first time the ledger has rows. */
@Singleton
@Requires(beans = javax.sql.DataSource.class)
@Requires(notEnv = VerifyAuditCommand.ENVIRONMENT) // the read-only --verify-audit writes nothing
final class UptakeBootstrap implements ApplicationEventListener<StartupEvent> {
  private final UptakeRollups rollups;

  UptakeBootstrap(UptakeRollups rollups) {
    this.rollups = rollups;
  }

  @Override
  public void onApplicationEvent(StartupEvent event) {
    rollups.buildIfMissing();
  }
}
