package uk.gov.residentportal.uptake;

import java.util.List;

/**
 * The report's series as CSV for the page's same-session download: RFC 4180 (CRLF line ends, every
 * field with a comma, quote or line break quoted, quotes doubled), UTF-8, and spreadsheet-safe
 * (OWASP CSV injection: a cell starting with {@code = + - @}, tab or carriage return gets a leading
 * {@code '} so no spreadsheet reads it as a formula). A minimal writer of the page's own, to be
 * merged with the API's CSV writer.
 */
final class UptakePageCsv {
  static final String HEADER = "period,start,end,new_accounts,total_accounts";

  private UptakePageCsv() {}

  static String write(List<UptakeReport.Period> series) {
    StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
    for (UptakeReport.Period p : series) {
      csv.append(cell(p.period()))
          .append(',')
          .append(cell(p.start().toString()))
          .append(',')
          .append(cell(p.end().toString()))
          .append(',')
          .append(p.newAccounts())
          .append(',')
          .append(p.totalAccounts())
          .append("\r\n");
    }
    return csv.toString();
  }

  /** One text cell, made safe for spreadsheets and then quoted as RFC 4180 needs. */
  static String cell(String value) {
    String safe = value;
    if (!safe.isEmpty() && "=+-@\t\r".indexOf(safe.charAt(0)) >= 0) {
      safe = "'" + safe;
    }
    if (safe.indexOf(',') >= 0
        || safe.indexOf('"') >= 0
        || safe.indexOf('\n') >= 0
        || safe.indexOf('\r') >= 0) {
      return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
    return safe;
  }
}
