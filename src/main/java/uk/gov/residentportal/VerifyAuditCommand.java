package uk.gov.residentportal;

import io.micronaut.context.ApplicationContext;
import java.io.PrintStream;
import java.util.Arrays;
import uk.gov.residentportal.audit.AuditVerifier;

/**
 * {@code java -jar resident-portal.jar --verify-audit}: walks every audit hash chain of the
 * configured database (the same {@code DATASOURCES_DEFAULT_*} settings as the service), prints the
 * first broken link of each chain, if any, and exits without serving: 0 when every chain is intact,
 * 3 when one is broken, 1 when the check could not run. Safe beside running replicas: it only
 * reads, and takes no locks.
 */
public final class VerifyAuditCommand {
  static final String FLAG = "--verify-audit";
  public static final int INTACT = 0;
  public static final int FAILED = 1;
  public static final int BROKEN = 3;

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
    // The application context without the HTTP server: nothing listens while the chains are read.
    try (ApplicationContext context = ApplicationContext.builder().args(contextArgs).start()) {
      AuditVerifier.Report report = context.getBean(AuditVerifier.class).verify();
      out.println(
          "Audit chains checked: " + report.chains() + " chains, " + report.events() + " events.");
      out.println(
          report.checkpointAt() == null
              ? "No signed checkpoint yet."
              : "Checked against the newest signed checkpoint, of " + report.checkpointAt() + ".");
      for (String warning : report.warnings()) {
        out.println("Warning: " + warning);
      }
      if (report.intact()) {
        out.println("Intact: every event matches its hash and links to the one before.");
        return INTACT;
      }
      out.println("BROKEN: " + report.breaks().size() + " chain(s) with a broken link:");
      for (AuditVerifier.Break broken : report.breaks()) {
        out.println("  " + broken);
      }
      return BROKEN;
    } catch (RuntimeException e) {
      out.println("Audit chains not checked: " + e);
      return FAILED;
    }
  }
}
