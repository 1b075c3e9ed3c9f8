package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.Postcodes;

/**
 * Counts what the uptake reports show, exactly, as accounts change. The account feature calls it
 * inside the transaction that makes each change, so a change and its count commit or roll back
 * together. Each call locks the account's own row here first (its changes are counted in turn,
 * against what was counted before), then the single writer row, then appends to the ledger and adds
 * to the daily and monthly roll-ups: concurrent writers never deadlock on the roll-up rows and
 * never lose an increment. Days are UTC.
 */
@Singleton
public class UptakeLedger {
  private static final Logger LOG = LoggerFactory.getLogger(UptakeLedger.class);
  static final int SHORT_WINDOW = 7;
  static final int LONG_WINDOW = 30;

  private static final String COLUMNS =
      "sign_ups, accounts, verified, verifications, linked, erased, active_7d, active_30d";

  private final UptakeAccountRepository accounts;
  private final JdbcOperations jdbc;
  private final Clock clock;

  UptakeLedger(UptakeAccountRepository accounts, JdbcOperations jdbc, Clock clock) {
    this.accounts = accounts;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A new account (any status) with this postcode (null when none was given). */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  public void signedUp(String accountId, @Nullable String postcode, Instant at) {
    LocalDate day = day(at);
    String area = areaOf(postcode);
    accounts.save(new UptakeAccount(accountId, area, day, false, false, false, null));
    apply(List.of(UptakeDelta.signUp(day, area)));
  }

  /** The account's email address was verified (counted once). */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  public void verified(String accountId, Instant at) {
    counted(accountId)
        .filter(a -> !a.verified() && !a.erased())
        .ifPresent(
            a -> {
              store(a, a.areaCode(), true, a.linked(), false, a.lastActiveOn());
              apply(List.of(UptakeDelta.verification(day(at), a.areaCode())));
            });
  }

  /** The account is now linked to a council record (P1 or more), or no longer. */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  public void linked(String accountId, boolean linked, Instant at) {
    counted(accountId)
        .filter(a -> a.linked() != linked && !a.erased())
        .ifPresent(
            a -> {
              store(a, a.areaCode(), a.verified(), linked, false, a.lastActiveOn());
              apply(List.of(UptakeDelta.link(day(at), a.areaCode(), linked ? 1 : -1)));
            });
  }

  /** The account's postcode changed: it counts in the area of the new one from today. */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  public void moved(String accountId, @Nullable String postcode, Instant at) {
    String area = areaOf(postcode);
    counted(accountId)
        .filter(a -> !a.areaCode().equals(area) && !a.erased())
        .ifPresent(
            a -> {
              LocalDate day = day(at);
              UptakeDelta leaving = UptakeDelta.leaving(day, a.areaCode(), a);
              UptakeDelta arriving = UptakeDelta.leaving(day, area, a).negated();
              store(a, area, a.verified(), a.linked(), false, a.lastActiveOn());
              apply(List.of(leaving, arriving));
            });
  }

  /** The account was erased: it no longer counts, and counts as erased, from today. */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  public void erased(String accountId, Instant at) {
    counted(accountId)
        .filter(a -> !a.erased())
        .ifPresent(
            a -> {
              // The area is kept in the ledger's counts only, not against the pseudonymous id.
              store(a, UptakeDelta.NO_AREA, false, false, true, a.lastActiveOn());
              apply(List.of(UptakeDelta.leaving(day(at), a.areaCode(), a).withErased(1)));
            });
  }

  /**
   * The account signed in. Only its first sign-in of a UTC day changes anything: the account is
   * active for the 7 (and 30) days from that day on.
   */
  @Transactional
  public void active(String accountId, Instant at) {
    LocalDate day = day(at);
    counted(accountId)
        .filter(a -> !a.erased() && (a.lastActiveOn() == null || a.lastActiveOn().isBefore(day)))
        .ifPresent(
            a -> {
              store(a, a.areaCode(), a.verified(), a.linked(), false, day);
              apply(activeDeltas(a.lastActiveOn(), day));
            });
  }

  /**
   * The changes to the active counts when an account last active on {@code previous} (null: never)
   * is active on {@code day}, for both windows: a new run of activity starts (+1 on the day, -1
   * when the window has passed), or the current run is extended (its -1 moves from previous +
   * window to day + window).
   */
  static List<UptakeDelta> activeDeltas(@Nullable LocalDate previous, LocalDate day) {
    Map<LocalDate, int[]> byDay = new LinkedHashMap<>();
    int[] windows = {SHORT_WINDOW, LONG_WINDOW};
    for (int w = 0; w < windows.length; w++) {
      int window = windows[w];
      if (previous == null || ChronoUnit.DAYS.between(previous, day) >= window) {
        byDay.computeIfAbsent(day, d -> new int[2])[w] += 1;
      } else {
        byDay.computeIfAbsent(previous.plusDays(window), d -> new int[2])[w] += 1;
      }
      byDay.computeIfAbsent(day.plusDays(window), d -> new int[2])[w] -= 1;
    }
    List<UptakeDelta> deltas = new ArrayList<>();
    byDay.forEach(
        (d, change) -> {
          if (change[0] != 0 || change[1] != 0) {
            deltas.add(UptakeDelta.active(d, change[0], change[1]));
          }
        });
    return deltas;
  }

  /**
   * The area a postcode is in: the longest key of the loaded postcode table that matches (the full
   * postcode, its sector, its district), or {@link UptakeDelta#NO_AREA}.
   */
  String areaOf(@Nullable String postcode) {
    String normalised = Postcodes.normalise(postcode);
    if (normalised == null) {
      return UptakeDelta.NO_AREA;
    }
    String district = normalised.substring(0, normalised.indexOf(' '));
    String sector = normalised.substring(0, normalised.indexOf(' ') + 2);
    return jdbc.prepareStatement(
        "SELECT postcode_key, area_code FROM uptake_postcode_areas WHERE postcode_key IN (?, ?, ?)",
        statement -> {
          statement.setString(1, normalised);
          statement.setString(2, sector);
          statement.setString(3, district);
          String best = UptakeDelta.NO_AREA;
          int bestLength = -1;
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              String key = rows.getString(1);
              // Exact keys only (a case-insensitive collation would also match "le1").
              if (key.length() > bestLength
                  && (key.equals(normalised) || key.equals(sector) || key.equals(district))) {
                best = rows.getString(2);
                bestLength = key.length();
              }
            }
          }
          return best;
        });
  }

  /**
   * Appends the changes to the ledger and adds them to the roll-ups, under the writer lock (taken
   * here, held to the commit). Joins the caller's transaction.
   */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  void apply(List<UptakeDelta> deltas) {
    lockWriter();
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.prepareStatement(
        "INSERT INTO uptake_changes (on_day, area_code, "
            + COLUMNS
            + ", recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        statement -> {
          for (UptakeDelta delta : deltas) {
            bindDelta(statement, delta);
            statement.setTimestamp(11, now);
            statement.addBatch();
          }
          return statement.executeBatch();
        });
    addToRollups(rollupRows(deltas));
  }

  /** Takes the writer lock to the end of the transaction. */
  void lockWriter() {
    jdbc.prepareStatement(
        "SELECT id FROM uptake_writer WHERE id = 1 FOR UPDATE",
        statement -> {
          try (ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
              throw new IllegalStateException("uptake_writer has no row (migration V18)");
            }
          }
          return null;
        });
  }

  /**
   * The roll-up rows the changes add to: each change to its area's day and month, and (unless it is
   * the whole council's already) to the whole council's; merged, in key order.
   */
  static List<RollupRow> rollupRows(List<UptakeDelta> deltas) {
    Map<RollupKey, UptakeDelta> merged = new LinkedHashMap<>();
    for (UptakeDelta delta : deltas) {
      List<String> areas =
          UptakeDelta.COUNCIL.equals(delta.area())
              ? List.of(UptakeDelta.COUNCIL)
              : List.of(delta.area(), UptakeDelta.COUNCIL);
      for (String area : areas) {
        for (boolean monthly : new boolean[] {false, true}) {
          LocalDate day = monthly ? delta.day().withDayOfMonth(1) : delta.day();
          merged.merge(new RollupKey(monthly, area, day), delta.at(day, area), UptakeDelta::plus);
        }
      }
    }
    return merged.entrySet().stream()
        .filter(e -> !e.getValue().isZero())
        .map(e -> new RollupRow(e.getKey().monthly(), e.getValue()))
        .sorted(
            Comparator.comparing((RollupRow r) -> r.monthly())
                .thenComparing(r -> r.delta().area())
                .thenComparing(r -> r.delta().day()))
        .toList();
  }

  /** Adds each row to {@code uptake_daily} or {@code uptake_monthly} (creating it if absent). */
  void addToRollups(List<RollupRow> rows) {
    for (boolean monthly : new boolean[] {false, true}) {
      List<UptakeDelta> forTable =
          rows.stream().filter(r -> r.monthly() == monthly).map(RollupRow::delta).toList();
      if (forTable.isEmpty()) {
        continue;
      }
      String table = monthly ? "uptake_monthly" : "uptake_daily";
      jdbc.prepareStatement(
          "INSERT INTO "
              + table
              + " (on_day, area_code, "
              + COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
              + " sign_ups = sign_ups + ?, accounts = accounts + ?, verified = verified + ?,"
              + " verifications = verifications + ?, linked = linked + ?, erased = erased + ?, active_7d = active_7d + ?,"
              + " active_30d = active_30d + ?",
          statement -> {
            for (UptakeDelta delta : forTable) {
              bindDelta(statement, delta);
              int[] counts = counts(delta);
              for (int i = 0; i < counts.length; i++) {
                statement.setInt(11 + i, counts[i]);
              }
              statement.addBatch();
            }
            return statement.executeBatch();
          });
    }
  }

  private static void bindDelta(PreparedStatement statement, UptakeDelta delta)
      throws SQLException {
    statement.setObject(1, delta.day());
    statement.setString(2, delta.area());
    int[] counts = counts(delta);
    for (int i = 0; i < counts.length; i++) {
      statement.setInt(3 + i, counts[i]);
    }
  }

  private static int[] counts(UptakeDelta delta) {
    return new int[] {
      delta.signUps(),
      delta.accounts(),
      delta.verified(),
      delta.verifications(),
      delta.linked(),
      delta.erased(),
      delta.active7d(),
      delta.active30d()
    };
  }

  private Optional<UptakeAccount> counted(String accountId) {
    Optional<UptakeAccount> found = accounts.findForUpdate(accountId);
    if (found.isEmpty()) {
      // Made by a replica of a version before the ledger (a rolling upgrade): --rebuild-uptake
      // finds the difference.
      LOG.warn("account not in the uptake ledger; its change is not counted id={}", accountId);
    }
    return found;
  }

  private void store(
      UptakeAccount account,
      String area,
      boolean verified,
      boolean linked,
      boolean erased,
      @Nullable LocalDate lastActiveOn) {
    accounts.store(account.accountId(), area, verified, linked, erased, lastActiveOn);
  }

  static LocalDate day(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  record RollupKey(boolean monthly, String area, LocalDate day) {}

  record RollupRow(boolean monthly, UptakeDelta delta) {}
}
