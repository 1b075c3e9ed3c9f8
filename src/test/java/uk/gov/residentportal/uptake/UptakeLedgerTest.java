package uk.gov.residentportal.uptake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the ledger adds for each change: the active windows' deltas and the roll-up rows. */
class UptakeLedgerTest {
  private static final LocalDate D = LocalDate.of(2024, 2, 27);

  private static UptakeDelta active(LocalDate day, int active7d, int active30d) {
    return UptakeDelta.active(day, active7d, active30d);
  }

  @Test
  void aFirstSignInStartsBothWindows() {
    assertThat(UptakeLedger.activeDeltas(null, D))
        .containsExactly(
            active(D, 1, 1), active(D.plusDays(7), -1, 0), active(D.plusDays(30), 0, -1));
  }

  @Test
  void aSignInWithinTheWindowsMovesTheirEnds() {
    // Last active 3 days ago: both runs go on; their ends move 3 days on.
    assertThat(UptakeLedger.activeDeltas(D, D.plusDays(3)))
        .containsExactly(
            active(D.plusDays(7), 1, 0),
            active(D.plusDays(10), -1, 0),
            active(D.plusDays(30), 0, 1),
            active(D.plusDays(33), 0, -1));
  }

  @Test
  void aSignInOnTheDayTheShortWindowEndedStartsANewShortRun() {
    // Active on D counts on D..D+6 for 7 days (its -1 is on D+7); on D+7 a new run starts, its +1
    // on D+7 cancelling that -1. The 30-day run goes on: its end moves from D+30 to D+37.
    assertThat(UptakeLedger.activeDeltas(D, D.plusDays(7)))
        .containsExactly(
            active(D.plusDays(7), 1, 0),
            active(D.plusDays(14), -1, 0),
            active(D.plusDays(30), 0, 1),
            active(D.plusDays(37), 0, -1));
  }

  @Test
  void aSignInAfterBothWindowsStartsTwoNewRuns() {
    LocalDate later = D.plusDays(30);
    assertThat(UptakeLedger.activeDeltas(D, later))
        .containsExactly(
            active(later, 1, 1),
            active(later.plusDays(7), -1, 0),
            active(later.plusDays(30), 0, -1));
  }

  @Test
  void activeDaysSumToTheAccountsActiveInTheWindow() {
    // Sign-ins on D and D+6, then D+20: the running sum is 1 on D..D+12 and D+20..D+26 (7 days),
    // 1 on D..D+49 (30 days), 0 elsewhere.
    List<UptakeDelta> all = new java.util.ArrayList<>(UptakeLedger.activeDeltas(null, D));
    all.addAll(UptakeLedger.activeDeltas(D, D.plusDays(6)));
    all.addAll(UptakeLedger.activeDeltas(D.plusDays(6), D.plusDays(20)));
    for (int offset = -1; offset <= 60; offset++) {
      LocalDate day = D.plusDays(offset);
      int short7 = 0;
      int long30 = 0;
      for (UptakeDelta delta : all) {
        if (!delta.day().isAfter(day)) {
          short7 += delta.active7d();
          long30 += delta.active30d();
        }
      }
      boolean inShort = (offset >= 0 && offset <= 12) || (offset >= 20 && offset <= 26);
      boolean inLong = offset >= 0 && offset <= 49;
      assertThat(short7).as("7 days, day %s", day).isEqualTo(inShort ? 1 : 0);
      assertThat(long30).as("30 days, day %s", day).isEqualTo(inLong ? 1 : 0);
    }
  }

  @Test
  void aChangeInAnAreaCountsForTheAreaAndTheCouncil_byDayAndMonth() {
    LocalDate leap = LocalDate.of(2024, 2, 29);
    List<UptakeLedger.RollupRow> rows =
        UptakeLedger.rollupRows(
            List.of(UptakeDelta.signUp(leap, "E05"), UptakeDelta.signUp(leap, "E05")));

    UptakeDelta two = new UptakeDelta(leap, "E05", 2, 2, 0, 0, 0, 0, 0, 0);
    assertThat(rows)
        .containsExactly(
            new UptakeLedger.RollupRow(false, two.at(leap, UptakeDelta.COUNCIL)),
            new UptakeLedger.RollupRow(false, two),
            new UptakeLedger.RollupRow(true, two.at(leap.withDayOfMonth(1), UptakeDelta.COUNCIL)),
            new UptakeLedger.RollupRow(true, two.at(leap.withDayOfMonth(1), "E05")));
  }

  @Test
  void theCouncilsOwnChangesCountOnce_andAMoveLeavesTheCouncilUnchanged() {
    LocalDate day = LocalDate.of(2023, 12, 31);
    UptakeAccount account = new UptakeAccount("a", "A", day, true, false, false, null);
    List<UptakeDelta> move =
        List.of(
            UptakeDelta.leaving(day, "A", account),
            UptakeDelta.leaving(day, "B", account).negated(),
            UptakeDelta.active(day, 1, 1));

    List<UptakeLedger.RollupRow> rows = UptakeLedger.rollupRows(move);

    UptakeDelta council = UptakeDelta.active(day, 1, 1);
    assertThat(rows)
        .containsExactly(
            new UptakeLedger.RollupRow(false, council),
            new UptakeLedger.RollupRow(false, new UptakeDelta(day, "A", 0, -1, -1, 0, 0, 0, 0, 0)),
            new UptakeLedger.RollupRow(false, new UptakeDelta(day, "B", 0, 1, 1, 0, 0, 0, 0, 0)),
            new UptakeLedger.RollupRow(true, council.at(day.withDayOfMonth(1), "*")),
            new UptakeLedger.RollupRow(
                true, new UptakeDelta(day.withDayOfMonth(1), "A", 0, -1, -1, 0, 0, 0, 0, 0)),
            new UptakeLedger.RollupRow(
                true, new UptakeDelta(day.withDayOfMonth(1), "B", 0, 1, 1, 0, 0, 0, 0, 0)));
  }

  @Test
  void daysAreUtc() {
    assertThat(UptakeLedger.day(Instant.parse("2024-02-29T23:59:59.999Z")))
        .isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(UptakeLedger.day(Instant.parse("2024-03-01T00:00:00Z")))
        .isEqualTo(LocalDate.of(2024, 3, 1));
  }
}
