package uk.gov.residentportal;

import io.micronaut.context.ApplicationContext;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import uk.gov.residentportal.audit.AuditVerifier;

/**
 * {@code java -jar resident-portal.jar --verify-audit}: walks every audit hash chain and every
 * signed checkpoint of the configured database (the same {@code DATASOURCES_DEFAULT_*} settings as
 * the service), prints the first broken link of each chain, if any, and exits without serving: 0
 * when every chain and checkpoint is intact, 3 when something is broken (including checkpoints
 * missing where they are due), 1 when the check could not run (no such database, no audit tables,
 * no chain heads).
 *
 * <p>Read-only: the context starts in the {@value #ENVIRONMENT} environment, where Flyway does not
 * migrate, and nothing that writes at start-up or on a schedule exists (key rotation, the client
 * and organisation files, housekeeping, checkpoints). Safe beside running replicas: it takes no
 * locks.
 */
public final class VerifyAuditCommand {
  static final String FLAG = "--verify-audit";

  /** The environment of the command's context: beans that write are left out of it. */
  public static final String ENVIRONMENT = "verify-audit";

  public static final int INTACT = 0;
  public static final int FAILED = 1;
  public static final int BROKEN = 3;

  private static final String H2_FILE = "jdbc:h2:file:";
  private static final String DEFAULT_URL =
      "jdbc:h2:file:./data/portal;MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";

  private VerifyAuditCommand() {}

  static boolean requested(String[] args) {
    return Arrays.asList(args).contains(FLAG);
  }

  /** Runs the command; the answer is the process exit status. */
  public static int run(String[] args, PrintStream out) {
    if (System.getenv("PORTAL_APP_LOG_LEVEL") == null) {
      // The report is the output; log lines would only hide it.
      System.setProperty("PORTAL_APP_LOG_LEVEL", "warn");
    }
    String[] contextArgs = Arrays.stream(args).filter(a -> !a.equals(FLAG)).toArray(String[]::new);
    // An embedded database that does not exist would be created empty (and found intact).
    String url = configuredUrl(args);
    Path h2File = h2File(url == null ? DEFAULT_URL : url);
    if (h2File != null && !Files.exists(h2File)) {
      out.println(
          "Audit chains not checked: there is no database at "
              + h2File.toAbsolutePath()
              + " (run the command where the service keeps ./data/, or set"
              + " DATASOURCES_DEFAULT_URL).");
      return FAILED;
    }
    // The application context without the HTTP server, without migrations and without any bean
    // that writes: nothing listens and nothing changes while the chains are read.
    try (ApplicationContext context =
        ApplicationContext.builder()
            .environments(ENVIRONMENT)
            .properties(Map.of("flyway.datasources.default.enabled", false))
            .args(contextArgs)
            .start()) {
      AuditVerifier.Report report;
      try {
        report = context.getBean(AuditVerifier.class).verify();
      } catch (RuntimeException e) {
        out.println(
            "Audit chains not checked: the audit tables could not be read ("
                + e.getClass().getSimpleName()
                + "). Is DATASOURCES_DEFAULT_URL the portal's database, migrated by the service?");
        return FAILED;
      }
      if (report.chains() == 0) {
        out.println(
            "Audit chains not checked: audit_chains holds no chain heads. Is"
                + " DATASOURCES_DEFAULT_URL the portal's database, migrated by the service?");
        return FAILED;
      }
      out.println(
          "Audit chains checked: " + report.chains() + " chains, " + report.events() + " events.");
      out.println(
          report.checkpointAt() == null
              ? "No signed checkpoint yet."
              : "Checked every signed checkpoint; the newest is of " + report.checkpointAt() + ".");
      for (String warning : report.warnings()) {
        out.println("Warning: " + warning);
      }
      if (report.intact()) {
        out.println("Intact: every event matches its hash and links to the one before.");
        return INTACT;
      }
      out.println("BROKEN: " + report.breaks().size() + " problem(s) found:");
      for (AuditVerifier.Break broken : report.breaks()) {
        out.println("  " + broken);
      }
      return BROKEN;
    } catch (RuntimeException e) {
      out.println("Audit chains not checked: " + e);
      return FAILED;
    }
  }

  /** The file of an embedded H2 database URL ({@code .mv.db}), or null for any other database. */
  static Path h2File(String url) {
    if (!url.startsWith(H2_FILE)) {
      return null;
    }
    String path = url.substring(H2_FILE.length());
    int options = path.indexOf(';');
    if (options >= 0) {
      path = path.substring(0, options);
    }
    if (path.startsWith("~")) {
      path = System.getProperty("user.home") + path.substring(1);
    }
    return Path.of(path + ".mv.db");
  }

  /**
   * The datasource URL as the context would see it: arguments, then system properties, then env.
   */
  private static String configuredUrl(String[] args) {
    String prefix = "--datasources.default.url=";
    for (String arg : args) {
      if (arg.startsWith(prefix)) {
        return arg.substring(prefix.length());
      }
    }
    String property = System.getProperty("datasources.default.url");
    return property != null ? property : System.getenv("DATASOURCES_DEFAULT_URL");
  }
}
