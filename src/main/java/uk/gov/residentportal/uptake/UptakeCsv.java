package uk.gov.residentportal.uptake;

import uk.gov.residentportal.web.CsvWriter;

/** The uptake report's tables as CSV (see {@link CsvWriter} for the format and the escaping). */
final class UptakeCsv {
  /** The area column of the whole council's row in the areas table. */
  static final String WHOLE_COUNCIL = "*";

  private UptakeCsv() {}

  /** The series: one row per period. */
  static byte[] series(UptakeReport report) {
    CsvWriter csv =
        CsvWriter.withHeader("period", "start", "end", "new_accounts", "total_accounts");
    for (UptakeReport.Period period : report.series()) {
      csv.row(
          period.period(),
          period.start(),
          period.end(),
          period.newAccounts(),
          period.totalAccounts());
    }
    return csv.toBytes();
  }

  /**
   * The areas as of the report's day: one row per area (the accounts in no area have an empty
   * code), then, for the whole council's report, the whole council ({@value #WHOLE_COUNCIL}).
   */
  static byte[] areas(UptakeReport report) {
    CsvWriter csv =
        CsvWriter.withHeader(
            "area",
            "name",
            "accounts",
            "population",
            "population_source",
            "population_year",
            "uptake_percent");
    for (UptakeReport.AreaUptake area : report.byArea()) {
      csv.row(
          area.area(),
          area.name(),
          area.accounts(),
          area.population(),
          area.populationSource(),
          area.populationYear(),
          area.uptakePercent());
    }
    if (report.area() == null) {
      csv.row(
          WHOLE_COUNCIL,
          "Whole council",
          report.totalAccounts(),
          report.population(),
          null,
          null,
          report.uptakePercent());
    }
    return csv.toBytes();
  }
}
