package uk.gov.residentportal;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * {@code java -jar resident-portal.jar --migrate}: applies the pending Flyway migrations to the
 * configured database (the same {@code DATASOURCES_DEFAULT_*} settings as the service) and exits
 * without serving; the Kubernetes migration Job (k8s/base/migrate-job.yaml) runs it before the pods
 * of a new release start. {@code --migrate --check} changes nothing: it only says whether the
 * database is at the version this release expects (the Deployment's init container runs it, so a
 * pod of a new release waits until the Job has migrated).
 *
 * <p>Exit status: 0 migrated (or nothing to do), or with {@code --check} up to date; 1 not migrated
 * or not checked (no connection, a migration failed, a schema Flyway did not make; the reason is
 * printed); 3 with {@code --check} only, migrations are pending or the applied ones do not match
 * this release's (changed checksum, a failed migration recorded).
 *
 * <p>Only Flyway runs: the application context is not started (no HTTP server, no key rotation, no
 * client files, no schedules), only its configuration is read. {@code
 * flyway.datasources.default.enabled} (false in the Kubernetes ConfigMap, so that the pods do not
 * migrate) does not apply to this command. Flyway takes a database lock, so two runs at once are
 * safe: one migrates, the other finds nothing left to do.
 */
final class MigrateCommand {
  static final String FLAG = "--migrate";
  static final String CHECK = "--check";
  static final int DONE = 0;
  static final int FAILED = 1;
  static final int PENDING = 3;

  private static final Set<String> FLAGS = Set.of(FLAG, CHECK);
  private static final String DEFAULT_LOCATIONS = "classpath:db/migration";

  private MigrateCommand() {}

  static boolean requested(String[] args) {
    return Arrays.asList(args).contains(FLAG);
  }

  /** Runs the command; the answer is the process exit status. */
  static int run(String[] args, PrintStream out) {
    boolean check = Arrays.asList(args).contains(CHECK);
    String[] contextArgs =
        Arrays.stream(args).filter(a -> !FLAGS.contains(a)).toArray(String[]::new);
    // The configuration as the service would see it (application.yml, environment variables,
    // system properties, arguments), without starting a single bean.
    String url;
    String username;
    String password;
    List<String> locations;
    try (ApplicationContext context = ApplicationContext.builder().args(contextArgs).build()) {
      Environment environment = context.getEnvironment().start();
      url = environment.getProperty("datasources.default.url", String.class).orElse("");
      username = environment.getProperty("datasources.default.username", String.class).orElse("");
      password = environment.getProperty("datasources.default.password", String.class).orElse("");
      locations =
          Arrays.stream(
                  environment
                      .getProperty("flyway.datasources.default.locations", String.class)
                      .orElse(DEFAULT_LOCATIONS)
                      .split(","))
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .toList();
    } catch (RuntimeException e) {
      out.println("Database not migrated: the configuration could not be read: " + e.getMessage());
      return FAILED;
    }
    if (url.isBlank()) {
      out.println("Database not migrated: DATASOURCES_DEFAULT_URL is not set.");
      return FAILED;
    }
    Path h2File = VerifyAuditCommand.h2File(url);
    if (check && h2File != null && !Files.exists(h2File)) {
      // Connecting would create an empty embedded database.
      out.println("Migrations pending: there is no database at " + h2File.toAbsolutePath() + ".");
      return PENDING;
    }
    Flyway flyway =
        Flyway.configure(MigrateCommand.class.getClassLoader())
            .dataSource(url, username, password)
            .locations(locations.toArray(String[]::new))
            .load();
    try {
      return check ? check(flyway, out) : migrate(flyway, out);
    } catch (FlywayException e) {
      out.println(
          (check ? "Migrations not checked: " : "Database not migrated: ")
              + e.getMessage().strip());
      if (!check) {
        out.println(
            "(MySQL commits each DDL statement: a migration that failed half-way is recorded as"
                + " failed in flyway_schema_history. Undo its partial changes by hand, delete that"
                + " row, fix the cause and run --migrate again.)");
      }
      return FAILED;
    }
  }

  private static int migrate(Flyway flyway, PrintStream out) {
    MigrateResult result = flyway.migrate();
    String version = result.targetSchemaVersion;
    if (version == null) {
      version = result.initialSchemaVersion;
    }
    if (result.migrationsExecuted == 0) {
      out.println("Database up to date at version " + version + ": no migration to apply.");
    } else {
      out.println(
          "Database migrated from version "
              + (result.initialSchemaVersion == null ? "(empty)" : result.initialSchemaVersion)
              + " to "
              + version
              + ": "
              + result.migrationsExecuted
              + " migration(s) applied.");
    }
    return DONE;
  }

  private static int check(Flyway flyway, PrintStream out) {
    ValidateResult result = flyway.validateWithResult();
    var current = flyway.info().current();
    String version = current == null ? "(empty)" : current.getVersion().getVersion();
    if (result.validationSuccessful) {
      out.println("Database up to date at version " + version + ".");
      return DONE;
    }
    out.println(
        "Migrations pending, or the applied ones differ from this release's (database at version "
            + version
            + "):");
    result.invalidMigrations.forEach(
        m -> out.println("  " + m.version + ": " + m.errorDetails.errorMessage));
    if (result.invalidMigrations.isEmpty() && result.errorDetails != null) {
      out.println("  " + result.errorDetails.errorMessage);
    }
    out.println("Run the migration Job (java -jar resident-portal.jar --migrate) first.");
    return PENDING;
  }
}
