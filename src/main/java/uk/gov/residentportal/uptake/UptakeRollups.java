package uk.gov.residentportal.uptake;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the daily and monthly roll-ups from the ledger ({@code uptake_changes}), under the
 * writer lock, in one transaction: reports read either the old roll-ups or the new ones, and no
 * change is counted twice or lost meanwhile. Used after the migration that starts the ledger (the
 * roll-ups are empty then) and by {@code --rebuild-uptake} whenever the roll-ups are doubted.
 */
@Singleton
public class UptakeRollups {
  private static final Logger LOG = LoggerFactory.getLogger(UptakeRollups.class);

  private final UptakeLedger ledger;
  private final JdbcOperations jdbc;

  UptakeRollups(UptakeLedger ledger, JdbcOperations jdbc) {
    this.ledger = ledger;
    this.jdbc = jdbc;
  }

  /** What a rebuild found: the ledger's size and how many roll-up rows it wrote. */
  public record Rebuilt(long ledgerRows, int dailyRows, int monthlyRows) {}

  /** Builds the roll-ups if they are empty while the ledger is not (after the migration). */
  @Transactional
  public void buildIfMissing() {
    // The lock first (a locking read opens no snapshot): replicas starting together build once,
    // and the check below sees every committed change.
    ledger.lockWriter();
    if (exists("uptake_changes") && !exists("uptake_daily")) {
      Rebuilt rebuilt = rebuild();
      LOG.info(
          "uptake roll-ups built from the ledger rows={} daily={} monthly={}",
          rebuilt.ledgerRows(),
          rebuilt.dailyRows(),
          rebuilt.monthlyRows());
    }
  }

  /** Replaces the roll-ups with the sums of the ledger. */
  @Transactional
  public Rebuilt rebuild() {
    ledger.lockWriter();
    jdbc.prepareStatement("DELETE FROM uptake_daily", s -> s.executeUpdate());
    jdbc.prepareStatement("DELETE FROM uptake_monthly", s -> s.executeUpdate());
    long[] ledgerRows = {0};
    List<UptakeDelta> sums = new ArrayList<>();
    jdbc.prepareStatement(
        "SELECT on_day, area_code, SUM(sign_ups), SUM(accounts), SUM(verified),"
            + " SUM(verifications), SUM(linked), SUM(erased), SUM(active_7d), SUM(active_30d),"
            + " COUNT(*) FROM uptake_changes"
            + " GROUP BY on_day, area_code",
        statement -> {
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              sums.add(
                  new UptakeDelta(
                      rows.getObject(1, LocalDate.class),
                      rows.getString(2),
                      rows.getInt(3),
                      rows.getInt(4),
                      rows.getInt(5),
                      rows.getInt(6),
                      rows.getInt(7),
                      rows.getInt(8),
                      rows.getInt(9),
                      rows.getInt(10)));
              ledgerRows[0] += rows.getLong(11);
            }
          }
          return null;
        });
    List<UptakeLedger.RollupRow> rows = UptakeLedger.rollupRows(sums);
    ledger.addToRollups(rows);
    int monthly = (int) rows.stream().filter(UptakeLedger.RollupRow::monthly).count();
    return new Rebuilt(ledgerRows[0], rows.size() - monthly, monthly);
  }

  private boolean exists(String table) {
    return jdbc.prepareStatement(
        "SELECT 1 FROM " + table + " LIMIT 1",
        statement -> {
          try (ResultSet rows = statement.executeQuery()) {
            return rows.next();
          }
        });
  }
}
