package uk.gov.residentportal.uptake;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts synthetic accounts ({@code --generate-accounts}) exactly as the live ledger would have:
 * each account's row in {@code uptake_accounts}, the changes of its sign-up, verification, link,
 * last sign-in and erasure in {@code uptake_changes} (summed per day and area: one ledger row may
 * carry many accounts' changes, which the roll-ups and their rebuild sum alike), and the same
 * changes added to the roll-ups, under the writer lock, in the caller's transaction.
 */
@Singleton
public class SyntheticUptake {
  private static final int ROWS_PER_STATEMENT = 500;

  private final UptakeLedger ledger;
  private final JdbcOperations jdbc;
  private final Clock clock;

  SyntheticUptake(UptakeLedger ledger, JdbcOperations jdbc, Clock clock) {
    this.ledger = ledger;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** The loaded postcode→area table. */
  @Transactional(readOnly = true)
  public Map<String, String> postcodeAreas() {
    return jdbc.prepareStatement(
        "SELECT postcode_key, area_code FROM uptake_postcode_areas",
        statement -> {
          Map<String, String> areas = new LinkedHashMap<>();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              areas.put(rows.getString(1), rows.getString(2));
            }
          }
          return areas;
        });
  }

  /** Counts the accounts (whose rows the account feature writes in the same transaction). */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  public void record(List<SyntheticAccount> accounts) {
    ledger.lockWriter();
    insertAccounts(accounts);
    Map<UptakeLedger.RollupKey, UptakeDelta> byDayAndArea = new LinkedHashMap<>();
    for (SyntheticAccount account : accounts) {
      for (UptakeDelta delta : deltas(account)) {
        byDayAndArea.merge(
            new UptakeLedger.RollupKey(false, delta.area(), delta.day()), delta, UptakeDelta::plus);
      }
    }
    List<UptakeDelta> changes = byDayAndArea.values().stream().filter(d -> !d.isZero()).toList();
    insertChanges(changes);
    ledger.addToRollups(UptakeLedger.rollupRows(changes));
  }

  /** The changes the live ledger records over the account's life. */
  static List<UptakeDelta> deltas(SyntheticAccount account) {
    String area = account.area();
    List<UptakeDelta> deltas = new ArrayList<>();
    deltas.add(UptakeDelta.signUp(UptakeLedger.day(account.signedUpAt()), area));
    if (account.verifiedAt() != null) {
      deltas.add(UptakeDelta.verification(UptakeLedger.day(account.verifiedAt()), area));
    }
    if (account.linkedAt() != null) {
      deltas.add(UptakeDelta.link(UptakeLedger.day(account.linkedAt()), area, 1));
    }
    if (account.lastSignInAt() != null) {
      deltas.addAll(UptakeLedger.activeDeltas(null, UptakeLedger.day(account.lastSignInAt())));
    }
    if (account.erasedAt() != null) {
      UptakeAccount counted =
          new UptakeAccount(
              account.id(),
              area,
              UptakeLedger.day(account.signedUpAt()),
              account.verifiedAt() != null,
              account.linkedAt() != null,
              false,
              null);
      deltas.add(
          UptakeDelta.leaving(UptakeLedger.day(account.erasedAt()), area, counted).withErased(1));
    }
    return deltas;
  }

  private void insertAccounts(List<SyntheticAccount> accounts) {
    int whole = accounts.size() / ROWS_PER_STATEMENT * ROWS_PER_STATEMENT;
    // One statement for every full part (parsed once), one for the rest.
    if (whole > 0) {
      insertAccounts(accounts.subList(0, whole), ROWS_PER_STATEMENT);
    }
    if (whole < accounts.size()) {
      insertAccounts(accounts.subList(whole, accounts.size()), accounts.size() - whole);
    }
  }

  private void insertAccounts(List<SyntheticAccount> accounts, int rowsPerStatement) {
    jdbc.prepareStatement(
        "INSERT INTO uptake_accounts (account_id, area_code, signed_up_on, verified, linked,"
            + " erased, last_active_on) VALUES "
            + values(7, rowsPerStatement),
        statement -> {
          int i = 1;
          for (SyntheticAccount a : accounts) {
            boolean erased = a.erasedAt() != null;
            statement.setString(i++, a.id());
            statement.setString(i++, a.area());
            statement.setObject(i++, UptakeLedger.day(a.signedUpAt()));
            statement.setBoolean(i++, a.verifiedAt() != null && !erased);
            statement.setBoolean(i++, a.linkedAt() != null && !erased);
            statement.setBoolean(i++, erased);
            if (a.lastSignInAt() == null) {
              statement.setNull(i++, Types.DATE);
            } else {
              statement.setObject(i++, UptakeLedger.day(a.lastSignInAt()));
            }
            if (i > 7 * rowsPerStatement) {
              statement.executeUpdate();
              i = 1;
            }
          }
          return null;
        });
  }

  private void insertChanges(List<UptakeDelta> changes) {
    Timestamp now = Timestamp.from(clock.instant());
    for (int from = 0; from < changes.size(); from += ROWS_PER_STATEMENT) {
      List<UptakeDelta> part =
          changes.subList(from, Math.min(changes.size(), from + ROWS_PER_STATEMENT));
      jdbc.prepareStatement(
          "INSERT INTO uptake_changes (on_day, area_code, sign_ups, accounts, verified,"
              + " verifications, linked, erased, active_7d, active_30d, recorded_at) VALUES "
              + values(11, part.size()),
          statement -> {
            int i = 1;
            for (UptakeDelta d : part) {
              statement.setObject(i++, d.day());
              statement.setString(i++, d.area());
              for (int count :
                  new int[] {
                    d.signUps(),
                    d.accounts(),
                    d.verified(),
                    d.verifications(),
                    d.linked(),
                    d.erased(),
                    d.active7d(),
                    d.active30d()
                  }) {
                statement.setInt(i++, count);
              }
              statement.setTimestamp(i++, now);
            }
            return statement.executeUpdate();
          });
    }
  }

  /** {@code (?, ?), (?, ?)} for rows of this many columns. */
  static String values(int columns, int rows) {
    String row = "(" + "?, ".repeat(columns - 1) + "?)";
    StringBuilder sql = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      sql.append(r == 0 ? "" : ", ").append(row);
    }
    return sql.toString();
  }
}
