package uk.gov.residentportal;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.transaction.TransactionOperations;
import java.io.PrintStream;
import java.sql.Connection;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.account.SyntheticAccounts;
import uk.gov.residentportal.records.RecordsDemo;
import uk.gov.residentportal.uptake.SyntheticAccount;
import uk.gov.residentportal.uptake.SyntheticPlan;
import uk.gov.residentportal.uptake.SyntheticUptake;
import uk.gov.residentportal.uptake.UptakeQuery;
import uk.gov.residentportal.uptake.UptakeReport;
import uk.gov.residentportal.uptake.UptakeReports;

/**
 * {@code java -jar resident-portal.jar --generate-accounts --from=2017-01-01 --to=2019-02-28
 * --count=64230 [--seed=1] [--verified-share=0.85] [--linked-share=0.3] [--erased-share=0]
 * [--active-share=0.6] [--allow-external-database]}: fills an empty database with synthetic
 * accounts for benchmarks and demos, and exits without serving. Sign-ups are spread over the days
 * from and to (UTC, inclusive) on a growth curve, the same for the same seed; postcodes come from
 * the loaded postcode→area table. It writes what the live service would hold: the account rows
 * (which cannot sign in: no password, an address under generated.invalid), the uptake ledger and
 * its roll-ups, a transaction per {@value #CHUNK} accounts (each leaves the counts exact).
 *
 * <p>Refuses a database other than the embedded default unless {@code --allow-external-database} is
 * given (exit 3), and any database that already holds accounts (exit 3); wrong options exit 2, a
 * failure 1.
 */
final class GenerateAccountsCommand {
  static final String FLAG = "--generate-accounts";
  static final int WRITTEN = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int REFUSED = 3;
  static final int CHUNK = 10_000;
  static final int MAX_COUNT = 10_000_000;

  private static final String ALLOW_EXTERNAL = "--allow-external-database";
  private static final List<String> OPTIONS =
      List.of(
          "from",
          "to",
          "count",
          "seed",
          "verified-share",
          "linked-share",
          "erased-share",
          "active-share");

  private GenerateAccountsCommand() {}

  static boolean requested(String[] args) {
    return Arrays.asList(args).contains(FLAG);
  }

  /** Runs the command; the answer is the process exit status. */
  static int run(String[] args, PrintStream out) {
    if (System.getenv("PORTAL_APP_LOG_LEVEL") == null) {
      System.setProperty("PORTAL_APP_LOG_LEVEL", "warn");
    }
    Map<String, String> given = new HashMap<>();
    List<String> contextArgs = new ArrayList<>();
    boolean allowExternal = false;
    for (String arg : args) {
      String name =
          arg.startsWith("--") && arg.contains("=") ? arg.substring(2, arg.indexOf('=')) : "";
      if (OPTIONS.contains(name)) {
        given.put(name, arg.substring(arg.indexOf('=') + 1));
      } else if (arg.equals(ALLOW_EXTERNAL)) {
        allowExternal = true;
      } else if (!arg.equals(FLAG)) {
        contextArgs.add(arg);
      }
    }
    SyntheticPlan.Options options;
    try {
      options = options(given, LocalDate.now(Clock.systemUTC()));
    } catch (IllegalArgumentException e) {
      out.println("Accounts not generated: " + e.getMessage());
      out.println(
          "Usage: --generate-accounts --from=2017-01-01 --to=2019-02-28 --count=64230 [--seed=1]"
              + " [--verified-share=0.85] [--linked-share=0.3] [--erased-share=0]"
              + " [--active-share=0.6] [--allow-external-database]");
      return USAGE;
    }
    String url = DemoDataCommand.configuredUrl(args);
    if (url != null && !RecordsDemo.embedded(url) && !allowExternal) {
      out.println(
          "Accounts not generated: the generator fills only the embedded default database"
              + " (./data/); this service is configured for another database"
              + " (DATASOURCES_DEFAULT_URL). If that database really is a throw-away one, add "
              + ALLOW_EXTERNAL
              + ".");
      return REFUSED;
    }
    long started = System.nanoTime();
    try (ApplicationContext context =
        ApplicationContext.builder().args(contextArgs.toArray(String[]::new)).start()) {
      if (context.getBean(AccountService.class).anyAccountExists()) {
        out.println(
            "Accounts not generated: the database already holds accounts, and the generator runs"
                + " only on an empty one.");
        return REFUSED;
      }
      SyntheticAccounts accounts = context.getBean(SyntheticAccounts.class);
      SyntheticUptake uptake = context.getBean(SyntheticUptake.class);
      @SuppressWarnings("unchecked")
      TransactionOperations<Connection> transactions =
          context.getBean(Argument.of(TransactionOperations.class, Connection.class));
      Map<String, String> postcodeAreas = uptake.postcodeAreas();
      SyntheticPlan plan =
          new SyntheticPlan(options, postcodeAreas, context.getBean(Clock.class).instant());
      long verified = 0;
      long linked = 0;
      long erased = 0;
      long signedIn = 0;
      long inNoArea = 0;
      int reported = 0;
      for (int first = 1; first <= plan.count(); first += CHUNK) {
        List<SyntheticAccount> chunk = new ArrayList<>(CHUNK);
        for (int n = first; n < first + CHUNK && n <= plan.count(); n++) {
          SyntheticAccount account = plan.account(n);
          chunk.add(account);
          verified += account.verifiedAt() != null && account.erasedAt() == null ? 1 : 0;
          linked += account.linkedAt() != null && account.erasedAt() == null ? 1 : 0;
          erased += account.erasedAt() != null ? 1 : 0;
          signedIn += account.lastSignInAt() != null ? 1 : 0;
          inNoArea += account.area().isEmpty() ? 1 : 0;
        }
        transactions.executeWrite(
            status -> {
              accounts.insert(chunk);
              uptake.record(chunk);
              return null;
            });
        int done = first + chunk.size() - 1;
        if (plan.count() >= 100_000 && done * 10L / plan.count() > reported) {
          reported = (int) (done * 10L / plan.count());
          out.printf(Locale.ROOT, "  %,d of %,d accounts written%n", done, plan.count());
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      out.printf(
          Locale.ROOT,
          "Generated %,d synthetic accounts signed up %s to %s (seed %d) in %.1f s: %,d verified,"
              + " %,d linked to a council record, %,d erased, %,d signed in at least once;"
              + " %,d with a postcode in no loaded area (%d postcode keys loaded).%n",
          plan.count(),
          options.from(),
          options.to(),
          options.seed(),
          seconds,
          verified,
          linked,
          erased,
          signedIn,
          inNoArea,
          postcodeAreas.size());
      UptakeReports reports = context.getBean(UptakeReports.class);
      UptakeReport report =
          reports.report(
              UptakeQuery.parse(
                  options.from().toString(),
                  options.to().toString(),
                  "month",
                  null,
                  reports.today()));
      out.printf(
          Locale.ROOT,
          "The uptake report as of %s: %,d accounts (%,d verified, %,d linked, %,d erased).%n",
          report.asOf(),
          report.totalAccounts(),
          report.verifiedAccounts(),
          report.linkedAccounts(),
          report.deletedAccounts());
      out.println(
          "Synthetic accounts cannot sign in (no password; addresses under "
              + SyntheticAccounts.EMAIL_DOMAIN
              + ").");
      return WRITTEN;
    } catch (RuntimeException e) {
      out.println(
          "Accounts not generated in full: "
              + e
              + "\n(Every transaction committed before the failure left the counts exact. Is the"
              + " service running on the same ./data/ database? Stop it first.)");
      return FAILED;
    }
  }

  /** The options, checked. */
  static SyntheticPlan.Options options(Map<String, String> given, LocalDate today) {
    LocalDate from = date(given, "from", today);
    LocalDate to = date(given, "to", today);
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("--from must not be after --to");
    }
    if (from.isBefore(UptakeQuery.EARLIEST)) {
      throw new IllegalArgumentException("--from must be on or after " + UptakeQuery.EARLIEST);
    }
    if (to.isAfter(today)) {
      throw new IllegalArgumentException("--to must not be after today (" + today + ", UTC)");
    }
    long count = number(given, "count", null);
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "--count must be a number from 1 to %,d", MAX_COUNT));
    }
    return new SyntheticPlan.Options(
        from,
        to,
        (int) count,
        number(given, "seed", 1L),
        share(given, "verified-share", 0.85),
        share(given, "linked-share", 0.3),
        share(given, "erased-share", 0),
        share(given, "active-share", 0.6));
  }

  private static LocalDate date(Map<String, String> given, String name, LocalDate today) {
    String value = given.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required (a date like " + today + ")");
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--" + name + " must be a date like 2019-02-28");
    }
  }

  private static long number(Map<String, String> given, String name, Long otherwise) {
    String value = given.get(name);
    if (value == null) {
      if (otherwise == null) {
        throw new IllegalArgumentException("--" + name + " is required");
      }
      return otherwise;
    }
    try {
      return Long.parseLong(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number");
    }
  }

  private static double share(Map<String, String> given, String name, double otherwise) {
    String value = given.get(name);
    if (value == null) {
      return otherwise;
    }
    double share;
    try {
      share = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      share = -1;
    }
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("--" + name + " must be a number from 0 to 1");
    }
    return share;
  }
}
