package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.VerifyAuditCommand;
import uk.gov.residentportal.partner.OrganisationBootstrap;
import uk.gov.residentportal.shared.PortalConfig;
import uk.gov.residentportal.shared.StartupRace;
import uk.gov.residentportal.web.ProblemException;

/**
 * Registers clients at start-up: every entry of {@code PORTAL_CLIENTS_FILE} (GitOps), and on the
 * embedded first-run default the demo client so a newcomer can try the sign-in flow, and always the
 * reports pages' own client ({@link ReportsClient}). A bad entry stops the service with a message
 * naming it. The organisations of {@code PORTAL_ORGANISATIONS_FILE} are registered first: a partner
 * client must name a registered organisation, so one file can bring an organisation and its clients
 * together.
 */
@Singleton
@Requires(notEnv = VerifyAuditCommand.ENVIRONMENT) // the read-only --verify-audit writes nothing
final class ClientBootstrap implements ApplicationEventListener<ServerStartupEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(ClientBootstrap.class);

  private final PortalConfig config;
  private final OrganisationBootstrap organisations;
  private final ClientService clients;
  private final DemoClient demo;
  private final ReportsClient reports;
  private final JsonMapper json;
  private final Validator validator;
  private final String datasourceUrl;

  ClientBootstrap(
      PortalConfig config,
      OrganisationBootstrap organisations,
      ClientService clients,
      DemoClient demo,
      ReportsClient reports,
      JsonMapper json,
      Validator validator,
      @Value("${datasources.default.url:}") String datasourceUrl) {
    this.config = config;
    this.organisations = organisations;
    this.clients = clients;
    this.demo = demo;
    this.reports = reports;
    this.json = json;
    this.validator = validator;
    this.datasourceUrl = datasourceUrl;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    // Replicas of a fresh deployment start together and register the same entries: the loser of
    // a race on a row runs the whole (idempotent) registration again.
    StartupRace.run(this::registerAll);
  }

  private void registerAll() {
    organisations.registerFromFile();
    if (PortalConfig.isSet(config.clientsFile())) {
      registerFromFile(Path.of(config.clientsFile()));
    }
    // The reports pages sign in through the portal as this client, on every installation.
    reports.register();
    boolean demoWanted =
        "true".equals(config.demoClient())
            || ("auto".equals(config.demoClient()) && datasourceUrl.startsWith("jdbc:h2:"));
    if (demoWanted) {
      demo.register();
    }
  }

  private void registerFromFile(Path file) {
    List<ClientRegistration> registrations;
    try {
      registrations =
          json.readValue(Files.readAllBytes(file), Argument.listOf(ClientRegistration.class));
    } catch (IOException e) {
      throw new UncheckedIOException("PORTAL_CLIENTS_FILE " + file + " cannot be read as JSON", e);
    }
    for (int i = 0; i < registrations.size(); i++) {
      ClientRegistration registration = registrations.get(i);
      Set<ConstraintViolation<ClientRegistration>> violations = validator.validate(registration);
      if (!violations.isEmpty()) {
        ConstraintViolation<ClientRegistration> first = violations.iterator().next();
        throw new IllegalStateException(
            "PORTAL_CLIENTS_FILE entry "
                + i
                + ": "
                + first.getPropertyPath()
                + " "
                + first.getMessage());
      }
      try {
        clients.upsert(registration);
      } catch (ProblemException e) {
        throw new IllegalStateException(
            "PORTAL_CLIENTS_FILE entry "
                + i
                + " ("
                + registration.clientId()
                + "): "
                + e.errors().stream().map(f -> f.field() + " " + f.message()).toList(),
            e);
      }
    }
    LOG.info("registered {} client(s) from PORTAL_CLIENTS_FILE", registrations.size());
  }
}
