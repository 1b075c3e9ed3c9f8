package uk.gov.residentportal;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.transaction.TransactionOperations;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.uptake.UptakeQuery;
import uk.gov.residentportal.uptake.UptakeReport;
import uk.gov.residentportal.uptake.UptakeReports;
import uk.gov.residentportal.uptake.UptakeRollups;

/**
 * {@code java -jar resident-portal.jar --rebuild-uptake}: recomputes the uptake roll-ups (daily and
 * monthly) from the ledger, in one transaction under the roll-ups' writer lock (safe beside running
 * replicas: their changes wait for it, reports read the old roll-ups or the new ones), then
 * compares today's whole-council totals (accounts, verified, linked, erased) from the roll-ups with
 * a direct count of the accounts table, read in one snapshot, prints both and exits: 0 when they
 * agree, 3 when they differ, 1 when the command could not run (no such database, not the portal's).
 */
final class RebuildUptakeCommand {
  static final String FLAG = "--rebuild-uptake";
  static final int AGREE = 0;
  static final int FAILED = 1;
  static final int DIFFER = 3;

  private static final String DEFAULT_URL =
      "jdbc:h2:file:./data/portal;MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";

  private RebuildUptakeCommand() {}

  static boolean requested(String[] args) {
    return Arrays.asList(args).contains(FLAG);
  }

  private record Totals(LocalDate today, UptakeReport rollups, AccountService.UptakeCounts table) {}

  /** Runs the command; the answer is the process exit status. */
  static int run(String[] args, PrintStream out) {
    if (System.getenv("PORTAL_APP_LOG_LEVEL") == null) {
      System.setProperty("PORTAL_APP_LOG_LEVEL", "warn");
    }
    String[] contextArgs = Arrays.stream(args).filter(a -> !a.equals(FLAG)).toArray(String[]::new);
    // An embedded database that does not exist would be created, migrated and found in agreement.
    String url = DemoDataCommand.configuredUrl(args);
    Path h2File = VerifyAuditCommand.h2File(url == null ? DEFAULT_URL : url);
    if (h2File != null && !Files.exists(h2File)) {
      out.println(
          "Uptake roll-ups not rebuilt: there is no database at "
              + h2File.toAbsolutePath()
              + " (run the command where the service keeps ./data/, or set"
              + " DATASOURCES_DEFAULT_URL).");
      return FAILED;
    }
    try (ApplicationContext context = ApplicationContext.builder().args(contextArgs).start()) {
      UptakeRollups.Rebuilt rebuilt = context.getBean(UptakeRollups.class).rebuild();
      out.printf(
          Locale.ROOT,
          "Uptake roll-ups rebuilt from %,d ledger rows: %,d daily rows, %,d monthly rows.%n",
          rebuilt.ledgerRows(),
          rebuilt.dailyRows(),
          rebuilt.monthlyRows());
      UptakeReports reports = context.getBean(UptakeReports.class);
      AccountService accounts = context.getBean(AccountService.class);
      @SuppressWarnings("unchecked")
      TransactionOperations<Connection> transactions =
          context.getBean(Argument.of(TransactionOperations.class, Connection.class));
      // One read-only transaction: on MariaDB and MySQL both counts come from one snapshot.
      Totals totals =
          transactions.executeRead(
              status -> {
                LocalDate today = reports.today();
                String day = today.toString();
                return new Totals(
                    today,
                    reports.report(UptakeQuery.parse(day, day, "day", null, today)),
                    accounts.uptakeCounts());
              });
      UptakeReport report = totals.rollups();
      AccountService.UptakeCounts table = totals.table();
      long[][] rows = {
        {report.totalAccounts(), table.accounts()},
        {report.verifiedAccounts(), table.verified()},
        {report.linkedAccounts(), table.linked()},
        {report.deletedAccounts(), table.erased()}
      };
      String[] names = {"accounts", "verified", "linked (P1+)", "erased"};
      out.printf(
          Locale.ROOT,
          "Whole council today (%s, UTC):   roll-ups   accounts table%n",
          totals.today());
      boolean agree = true;
      for (int i = 0; i < rows.length; i++) {
        boolean same = rows[i][0] == rows[i][1];
        agree &= same;
        out.printf(
            Locale.ROOT,
            "  %-14s %23d %16d%s%n",
            names[i],
            rows[i][0],
            rows[i][1],
            same ? "" : "   DIFFER");
      }
      if (agree) {
        out.println("Agree: the roll-ups count every account in the accounts table.");
        return AGREE;
      }
      out.println(
          "DIFFER: the ledger does not match the accounts table (a change made outside the"
              + " service, or one the ledger missed). The roll-ups now equal the ledger; the"
              + " difference is in the ledger itself.");
      return DIFFER;
    } catch (RuntimeException e) {
      out.println(
          "Uptake roll-ups not rebuilt: "
              + e
              + "\n(Is DATASOURCES_DEFAULT_URL the portal's database? An embedded ./data/ database"
              + " must not be in use by a running service.)");
      return FAILED;
    }
  }
}
