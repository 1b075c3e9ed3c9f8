package uk.gov.residentportal.catalogue;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.audit.AuditAction;
import uk.gov.residentportal.audit.AuditEvent;
import uk.gov.residentportal.audit.AuditOutcome;
import uk.gov.residentportal.audit.AuditTrail;
import uk.gov.residentportal.auth.SignInClients;
import uk.gov.residentportal.catalogue.CatalogueBodies.Coverage;
import uk.gov.residentportal.catalogue.CatalogueBodies.DepartmentCoverage;
import uk.gov.residentportal.catalogue.CatalogueBodies.Page;
import uk.gov.residentportal.catalogue.CatalogueBodies.Registration;
import uk.gov.residentportal.catalogue.CatalogueBodies.View;
import uk.gov.residentportal.web.ProblemException;

/** The council services catalogue and the SSO coverage counted from it. */
@Singleton
public class ServiceCatalogue {
  private static final int ID_LENGTH = 36;

  private final CatalogueRepository entries;
  private final SignInClients clients;
  private final AuditTrail audit;
  private final Clock clock;

  ServiceCatalogue(
      CatalogueRepository entries, SignInClients clients, AuditTrail audit, Clock clock) {
    this.entries = entries;
    this.clients = clients;
    this.audit = audit;
    this.clock = clock;
  }

  /** Adds a service (administration), audited in the same transaction. */
  @Transactional
  View register(Registration registration, Actor admin) {
    Registration clean = checked(registration);
    if (entries.existsByDepartmentAndName(clean.department(), clean.name())) {
      throw duplicate();
    }
    Instant now = clock.instant();
    CatalogueEntry entry =
        new CatalogueEntry(
            UUID.randomUUID().toString(),
            clean.name(),
            clean.department(),
            clean.online(),
            clean.clientId(),
            now,
            now);
    View registered;
    try {
      registered = view(entries.save(entry));
    } catch (DataAccessException anotherRequestWasFirst) {
      throw duplicate();
    }
    audited(AuditAction.ADMIN_SERVICE_REGISTERED, admin, registered.id());
    return registered;
  }

  @Transactional
  View replace(String id, Registration registration, Actor admin) {
    CatalogueEntry current = find(id);
    Registration clean = checked(registration);
    if (entries.existsByDepartmentAndNameAndIdNotEqual(clean.department(), clean.name(), id)) {
      throw duplicate();
    }
    CatalogueEntry changed =
        new CatalogueEntry(
            id,
            clean.name(),
            clean.department(),
            clean.online(),
            clean.clientId(),
            current.createdAt(),
            clock.instant());
    View replaced;
    try {
      replaced = view(entries.update(changed));
    } catch (DataAccessException anotherRequestWasFirst) {
      throw duplicate();
    }
    audited(AuditAction.ADMIN_SERVICE_CHANGED, admin, id);
    return replaced;
  }

  @Transactional(readOnly = true)
  View get(String id) {
    return view(find(id));
  }

  @Transactional
  void remove(String id, Actor admin) {
    entries.delete(find(id));
    audited(AuditAction.ADMIN_SERVICE_REMOVED, admin, id);
  }

  /** An administrator's change, last in its transaction (the chain's lock lasts to the commit). */
  private void audited(AuditAction action, Actor admin, String serviceId) {
    audit.append(
        new AuditEvent(action, AuditOutcome.SUCCESS, admin, null, null, null, List.of(serviceId)));
  }

  /** A page in (name, id) order after {@code cursor}, an opaque value from the previous page. */
  @Transactional(readOnly = true)
  Page list(String cursor, int limit) {
    String afterId = "";
    String afterName = "";
    if (cursor != null) {
      String decoded = decodeCursor(cursor);
      afterId = decoded.substring(0, ID_LENGTH);
      afterName = decoded.substring(ID_LENGTH);
    }
    List<CatalogueEntry> page = entries.pageAfter(afterName, afterId, limit);
    Set<String> sso = clients.usingOurSignIn(clientIdsOf(page));
    List<View> items = page.stream().map(e -> view(e, sso)).toList();
    String next = null;
    if (page.size() == limit) {
      CatalogueEntry last = page.get(page.size() - 1);
      next = encodeCursor(last.id() + last.name());
    }
    return new Page(items, next);
  }

  /**
   * SSO coverage: of the online services, how many sign residents in with a client that uses our
   * sign-in (an active public or confidential client). Offline services do not count either way.
   */
  @Transactional(readOnly = true)
  public Coverage ssoCoverage() {
    List<CatalogueEntry> online = entries.findByOnline(true);
    Set<String> sso = clients.usingOurSignIn(clientIdsOf(online));
    Map<String, int[]> byDepartment = new TreeMap<>();
    int enabled = 0;
    for (CatalogueEntry entry : online) {
      boolean usesSso = entry.clientId() != null && sso.contains(entry.clientId());
      int[] counts = byDepartment.computeIfAbsent(entry.department(), d -> new int[2]);
      counts[0]++;
      if (usesSso) {
        counts[1]++;
        enabled++;
      }
    }
    List<DepartmentCoverage> departments =
        byDepartment.entrySet().stream()
            .map(
                e ->
                    new DepartmentCoverage(
                        e.getKey(), e.getValue()[0], e.getValue()[1], percent(e.getValue())))
            .toList();
    return new Coverage(
        online.size(), enabled, percent(new int[] {online.size(), enabled}), departments);
  }

  private static double percent(int[] servicesAndEnabled) {
    if (servicesAndEnabled[0] == 0) {
      return 0;
    }
    return Math.round(servicesAndEnabled[1] * 1000.0 / servicesAndEnabled[0]) / 10.0;
  }

  private Registration checked(Registration registration) {
    String clientId = registration.clientId();
    if (clientId != null && clientId.isBlank()) {
      clientId = null;
    }
    if (clientId != null && !clients.exists(clientId)) {
      throw new ProblemException.InvalidField("clientId", "is not a registered client");
    }
    return new Registration(
        registration.name().strip(),
        registration.department().strip(),
        registration.online(),
        clientId);
  }

  private CatalogueEntry find(String id) {
    if (id == null || id.length() != ID_LENGTH) {
      throw new ProblemException.NotFound();
    }
    return entries.findById(id).orElseThrow(ProblemException.NotFound::new);
  }

  private View view(CatalogueEntry entry) {
    return view(entry, clients.usingOurSignIn(clientIdsOf(List.of(entry))));
  }

  private static View view(CatalogueEntry e, Set<String> sso) {
    return new View(
        e.id(),
        e.name(),
        e.department(),
        e.online(),
        e.clientId(),
        e.clientId() != null && sso.contains(e.clientId()),
        e.createdAt(),
        e.updatedAt());
  }

  private static Set<String> clientIdsOf(List<CatalogueEntry> page) {
    return page.stream()
        .map(CatalogueEntry::clientId)
        .filter(Objects::nonNull)
        .collect(Collectors.toSet());
  }

  private static ProblemException duplicate() {
    return new ProblemException.Conflict("The department already has a service with this name.");
  }

  private static String encodeCursor(String value) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (decoded.length() >= ID_LENGTH) {
        return decoded;
      }
    } catch (IllegalArgumentException notBase64) {
      // Falls through to the same answer as a short value.
    }
    throw new ProblemException.InvalidField("cursor", "is not a cursor from a previous page");
  }
}
