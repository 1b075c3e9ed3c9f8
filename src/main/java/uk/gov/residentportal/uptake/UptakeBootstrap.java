package uk.gov.residentportal.uptake;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import uk.gov.residentportal.VerifyAuditCommand;

/**
 * At start-up, before requests: loads the council's areas and population files (when configured; a
 * bad line stops the service), then builds the roll-ups the first time the ledger has rows.
 */
@Singleton
@Requires(beans = javax.sql.DataSource.class)
@Requires(notEnv = VerifyAuditCommand.ENVIRONMENT) // the read-only --verify-audit writes nothing
final class UptakeBootstrap implements ApplicationEventListener<StartupEvent> {
  private final UptakeAreas areas;
  private final UptakeRollups rollups;

  UptakeBootstrap(UptakeAreas areas, UptakeRollups rollups) {
    this.areas = areas;
    this.rollups = rollups;
  }

  @Override
  public void onApplicationEvent(StartupEvent event) {
    areas.loadFromFiles();
    rollups.buildIfMissing();
  }
}
