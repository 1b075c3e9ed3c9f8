package uk.gov.residentportal;

import io.micronaut.context.ApplicationContext;
import java.io.PrintStream;
import java.util.Arrays;
import uk.gov.residentportal.records.RecordsDemo;

/**
 * {@code java -jar resident-portal.jar --demo-data [--demo-residents=300]
 * [--allow-external-database]}: fills the embedded default database with demo residents, records
 * and documents, prints how to sign in as them, and exits without serving. Refuses a database other
 * than the embedded default unless {@code --allow-external-database} is given, and refuses any
 * database that already holds accounts or records.
 */
final class DemoDataCommand {
  static final String FLAG = "--demo-data";
  private static final String ALLOW_EXTERNAL = "--allow-external-database";
  private static final String RESIDENTS = "--demo-residents=";

  private DemoDataCommand() {}

  static boolean requested(String[] args) {
    return Arrays.asList(args).contains(FLAG);
  }

  /** Runs the command; the answer is the process exit status. */
  static int run(String[] args, PrintStream out) {
    if (System.getenv("PORTAL_APP_LOG_LEVEL") == null) {
      // What the newcomer needs is the summary at the end, not a line per record written.
      // (logback reads system properties as well as the environment; set before the first logger.)
      System.setProperty("PORTAL_APP_LOG_LEVEL", "warn");
    }
    boolean allowExternal = Arrays.asList(args).contains(ALLOW_EXTERNAL);
    int residents = 300;
    for (String arg : args) {
      if (arg.startsWith(RESIDENTS)) {
        try {
          residents = Integer.parseInt(arg.substring(RESIDENTS.length()));
        } catch (NumberFormatException e) {
          residents = -1;
        }
        if (residents < 2 || residents > 10_000) {
          out.println("--demo-residents must be a number from 2 to 10000");
          return 2;
        }
      }
    }
    String[] contextArgs =
        Arrays.stream(args)
            .filter(a -> !a.equals(FLAG) && !a.equals(ALLOW_EXTERNAL) && !a.startsWith(RESIDENTS))
            .toArray(String[]::new);
    // Decided before anything starts: starting the context would already migrate the database and
    // touch its signing keys.
    String url = configuredUrl(args);
    if (url != null && !RecordsDemo.embedded(url) && !allowExternal) {
      out.println("Demo data not written: " + RecordsDemo.NOT_EMBEDDED);
      return 3;
    }
    // The application context without the HTTP server: nothing listens while the demo is written.
    try (ApplicationContext context = ApplicationContext.builder().args(contextArgs).start()) {
      RecordsDemo demo = context.getBean(RecordsDemo.class);
      String refusal = demo.refusal(allowExternal);
      if (refusal != null) {
        out.println("Demo data not written: " + refusal);
        return 3;
      }
      demo.write(residents, Math.max(1, residents / 6), out);
      out.println(
          """

          Next: start the service (java -jar target/resident-portal.jar), open the sign-in link it
          prints and sign in as one of the linked residents above. The demo page you land on shows
          how to get tokens; then:
            curl -s localhost:8080/api/v1/me/records -H "Authorization: Bearer $ACCESS_TOKEN"
          """);
      return 0;
    } catch (Exception e) {
      out.println(
          "Demo data not written: "
              + e
              + "\n(Is the service running on the same ./data/ database? Stop it first.)");
      return 1;
    }
  }

  /**
   * The datasource URL as the context would see it: arguments, then system properties, then env.
   */
  static String configuredUrl(String[] args) {
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
