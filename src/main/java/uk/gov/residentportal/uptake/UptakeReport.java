package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.LocalDate;
import java.util.List;

/**
 * The uptake report: the headline figures as of {@code asOf}, the series between {@code from} and
 * {@code to}, the accounts by area, and the GDS KPIs over the range. Exact counts; percentages to
 * two decimal places, null when there is nothing to divide by (no population loaded, no sign-ups).
 */
@Serdeable
@Schema(name = "UptakeReport")
public record UptakeReport(
    @Schema(description = "The day the figures are as of (UTC): to, or today when to is later")
        LocalDate asOf,
    LocalDate from,
    LocalDate to,
    @Schema(allowableValues = {"day", "week", "month"}) String interval,
    @Schema(description = "The area reported on; absent for the whole council") @Nullable
        String area,
    @Nullable String areaName,
    @Schema(description = "Accounts that existed on asOf (signed up by then, not erased by then)")
        long totalAccounts,
    @Schema(description = "Of those, accounts whose email address was verified")
        long verifiedAccounts,
    @Schema(description = "Of those, accounts linked to a council record (P1 or more)")
        long linkedAccounts,
    @Schema(description = "Accounts erased on or before asOf") long deletedAccounts,
    @Schema(description = "Accounts signed in during the 7 days to asOf (whole council only)")
        @Nullable
        Long activeAccounts7d,
    @Schema(description = "Accounts signed in during the 30 days to asOf (whole council only)")
        @Nullable
        Long activeAccounts30d,
    @Schema(description = "The population of the area (or of all loaded areas)") @Nullable
        Long population,
    @Schema(description = "totalAccounts ÷ population × 100; absent when no population is known")
        @Nullable
        Double uptakePercent,
    List<Period> series,
    List<AreaUptake> byArea,
    Kpis kpis) {

  /** One period of the series; the first and last may be cut short by from and to. */
  @Serdeable
  @Schema(name = "UptakePeriod")
  public record Period(
      @Schema(description = "2019-02-28 (day), 2019-W09 (ISO week) or 2019-02 (month)")
          String period,
      @Schema(description = "The first day of the period counted (from, if later)") LocalDate start,
      @Schema(description = "The last day of the period counted (to, if earlier)") LocalDate end,
      @Schema(description = "Accounts signed up during the period") long newAccounts,
      @Schema(description = "Accounts that existed at the end of the period") long totalAccounts) {}

  /** One area's accounts as of the report's day. */
  @Serdeable
  @Schema(name = "AreaUptake")
  public record AreaUptake(
      @Schema(description = "The area code; absent for accounts whose postcode is in no area")
          @Nullable
          String area,
      String name,
      long accounts,
      @Nullable Long population,
      @Nullable String populationSource,
      @Nullable Integer populationYear,
      @Schema(description = "accounts ÷ population × 100; absent when no population is known")
          @Nullable
          Double uptakePercent) {}

  /** The Government Digital Service KPIs the portal can measure, over from to to. */
  @Serdeable
  @Schema(name = "UptakeKpis")
  public record Kpis(
      @Schema(description = "Sign-ups started in the range") long signUpsStarted,
      @Schema(description = "Email addresses verified in the range (sign-ups completed)")
          long signUpsCompleted,
      @Schema(description = "signUpsCompleted ÷ signUpsStarted × 100; absent with no sign-ups")
          @Nullable
          Double completionRatePercent,
      @Schema(description = "Transactions completed online, as services reported them")
          long onlineTransactions,
      @Schema(description = "All transactions (any channel), as services reported them")
          long allTransactions,
      @Schema(description = "onlineTransactions ÷ allTransactions × 100; absent with none")
          @Nullable
          Double digitalTakeUpPercent) {}
}
