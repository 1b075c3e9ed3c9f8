package uk.gov.residentportal.partner;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.VerifyAuditCommand;
import uk.gov.residentportal.partner.OrganisationBodies.Registration;
import uk.gov.residentportal.web.ProblemException;

/**
 * Registers the organisations of {@code PORTAL_ORGANISATIONS_FILE} (a JSON array of {@code
 * {odsCode, name, type, active?}}) at start-up, for GitOps and tests. The client bootstrap runs
 * this first, because every partner client in the clients file must name a registered organisation.
 * A bad entry stops the service with a message naming it.
 */
@Singleton
@Requires(notEnv = VerifyAuditCommand.ENVIRONMENT) // the read-only --verify-audit writes nothing
public final class OrganisationBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(OrganisationBootstrap.class);
  private static final String SETTING = "PORTAL_ORGANISATIONS_FILE";

  private final OrganisationRegistry registry;
  private final OrganisationJson bodies;
  private final JsonMapper json;
  private final String file;

  OrganisationBootstrap(
      OrganisationRegistry registry,
      OrganisationJson bodies,
      JsonMapper json,
      @Value("${portal.organisations-file:}") String file) {
    this.registry = registry;
    this.bodies = bodies;
    this.json = json;
    this.file = file;
  }

  /** Upserts every entry of the organisations file, when one is configured. */
  public void registerFromFile() {
    if (file != null && !file.isBlank()) {
      registerFrom(Path.of(file));
    }
  }

  void registerFrom(Path path) {
    JsonNode entries;
    try {
      entries = json.readValue(Files.readAllBytes(path), JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException(SETTING + " " + path + " cannot be read as JSON", e);
    }
    if (entries == null || !entries.isArray()) {
      throw new IllegalStateException(SETTING + " " + path + " must hold a JSON array");
    }
    // Every entry is read and checked before any is written: a malformed file changes nothing.
    Registration[] registrations = new Registration[entries.size()];
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      registrations[i] = read(i, entries.get(i));
      if (!seen.add(registrations[i].odsCode())) {
        throw new IllegalStateException(
            SETTING + " entry " + i + ": odsCode " + registrations[i].odsCode() + " is repeated");
      }
    }
    // One transaction for the whole file: all entries apply, or none.
    Map<OrganisationRegistry.Upserted, Integer> counts =
        registry.upsertAll(List.of(registrations), SETTING);
    LOG.info(
        "{} organisation(s) in {}: {} registered, {} changed, {} unchanged",
        registrations.length,
        SETTING,
        counts.getOrDefault(OrganisationRegistry.Upserted.CREATED, 0),
        counts.getOrDefault(OrganisationRegistry.Upserted.CHANGED, 0),
        counts.getOrDefault(OrganisationRegistry.Upserted.UNCHANGED, 0));
  }

  private Registration read(int index, JsonNode entry) {
    try {
      return bodies.registration(entry);
    } catch (ProblemException e) {
      throw new IllegalStateException(
          SETTING
              + " entry "
              + index
              + ": "
              + e.errors().stream().map(f -> f.field() + " " + f.message()).toList(),
          e);
    } catch (ConstraintViolationException e) {
      ConstraintViolation<?> first =
          e.getConstraintViolations().stream()
              .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
              .orElseThrow();
      throw new IllegalStateException(
          SETTING + " entry " + index + ": " + first.getPropertyPath() + " " + first.getMessage(),
          e);
    }
  }
}
