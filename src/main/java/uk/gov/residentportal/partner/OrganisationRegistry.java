package uk.gov.residentportal.partner;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.audit.AuditAction;
import uk.gov.residentportal.audit.AuditEvent;
import uk.gov.residentportal.audit.AuditOutcome;
import uk.gov.residentportal.audit.AuditTrail;
import uk.gov.residentportal.partner.OrganisationBodies.Changes;
import uk.gov.residentportal.partner.OrganisationBodies.Page;
import uk.gov.residentportal.partner.OrganisationBodies.Registration;
import uk.gov.residentportal.partner.OrganisationBodies.View;
import uk.gov.residentportal.shared.DeadlockRetry;
import uk.gov.residentportal.web.ProblemException;

/**
 * Registers and changes the partnership's organisations: administrators through the admin API, the
 * organisations file at start-up (the whole file in one transaction). Every registration and change
 * is audited in the same transaction, so the row and its audit event commit together or not at all.
 */
@Singleton
class OrganisationRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(OrganisationRegistry.class);

  private final OrganisationRepository organisations;
  private final AuditTrail audit;
  private final Clock clock;

  OrganisationRegistry(OrganisationRepository organisations, AuditTrail audit, Clock clock) {
    this.organisations = organisations;
    this.audit = audit;
    this.clock = clock;
  }

  /** What an upsert from the organisations file did. */
  enum Upserted {
    CREATED,
    CHANGED,
    UNCHANGED
  }

  /** Registers a new organisation (administration); a registered ODS code is a conflict. */
  @Transactional
  View register(Registration registration, String adminAccountId) {
    String ods = registration.odsCode();
    if (organisations.existsById(ods)) {
      throw duplicate();
    }
    Instant now = now();
    Organisation organisation =
        new Organisation(
            ods,
            cleanName(registration.name()),
            registration.type(),
            registration.active() == null || registration.active(),
            now,
            now);
    try {
      organisation = organisations.save(organisation);
    } catch (DataAccessException anotherRequestWasFirst) {
      throw duplicate();
    }
    audit.append(event(AuditAction.ADMIN_ORGANISATION_REGISTERED, adminActor(adminAccountId), ods));
    LOG.info("organisation {} registered by account {}", ods, adminAccountId);
    return View.of(organisation);
  }

  @Transactional(readOnly = true)
  View get(String odsCode) {
    return View.of(find(odsCode).orElseThrow(ProblemException.NotFound::new));
  }

  /** A page in ODS code order after {@code cursor} (the last ODS code of the previous page). */
  @Transactional(readOnly = true)
  Page list(String cursor, int limit) {
    List<View> items =
        organisations
            .findByOdsCodeGreaterThan(
                cursor == null ? "" : cursor,
                Pageable.from(0, limit, Sort.of(Sort.Order.asc("odsCode"))))
            .stream()
            .map(View::of)
            .toList();
    String next = items.size() == limit ? items.get(items.size() - 1).odsCode() : null;
    return new Page(items, next);
  }

  /**
   * Replaces the fields given. Deactivating takes effect for the very next partner request: the
   * partner API and the token endpoint read the flag each time ({@link Organisations#isActive}).
   */
  @Transactional
  View update(String odsCode, Changes changes, String adminAccountId) {
    if (!Organisations.isOdsCode(odsCode)) {
      throw new ProblemException.NotFound();
    }
    Organisation current =
        organisations
            .findForUpdate(odsCode)
            .filter(o -> o.odsCode().equals(odsCode))
            .orElseThrow(ProblemException.NotFound::new);
    if (changes.name() != null && changes.name().isBlank()) {
      throw new ProblemException.InvalidField("name", "must not be blank");
    }
    Organisation changed =
        organisations.update(
            new Organisation(
                odsCode,
                changes.name() != null ? cleanName(changes.name()) : current.name(),
                changes.type() != null ? changes.type() : current.type(),
                changes.active() != null ? changes.active() : current.active(),
                current.createdAt(),
                now()));
    audit.append(
        event(AuditAction.ADMIN_ORGANISATION_CHANGED, adminActor(adminAccountId), odsCode));
    if (current.active() != changed.active()) {
      LOG.info(
          "organisation {} {} by account {}",
          odsCode,
          changed.active() ? "reactivated" : "deactivated",
          adminAccountId);
    }
    return View.of(changed);
  }

  /**
   * Applies every entry of the organisations file in one transaction: all entries or none (a bad
   * entry rolls back the ones before it). Returns how many were created, changed and unchanged.
   *
   * @param source names the file in the message of a refused entry
   */
  @Transactional
  Map<Upserted, Integer> upsertAll(List<Registration> registrations, String source) {
    Map<Upserted, Integer> counts = new EnumMap<>(Upserted.class);
    for (int i = 0; i < registrations.size(); i++) {
      Registration registration = registrations.get(i);
      try {
        counts.merge(upsert(registration), 1, Integer::sum);
      } catch (ProblemException e) {
        String detail =
            e.errors().isEmpty()
                ? e.getMessage()
                : e.errors().stream().map(f -> f.field() + " " + f.message()).toList().toString();
        throw new IllegalStateException(
            source + " entry " + i + " (" + registration.odsCode() + "): " + detail, e);
      }
    }
    return counts;
  }

  /**
   * Creates or updates an organisation from the organisations file (idempotent: every replica does
   * it at every start). The file's {@code active} applies only when it creates the organisation: an
   * existing organisation keeps its flag whatever the file says, so a restart never undoes an
   * administrator's deactivation (or reactivation). Only a creation or a real change of name or
   * type is audited, by the system. Runs in the caller's transaction ({@link #upsertAll}).
   */
  private Upserted upsert(Registration registration) {
    String ods = registration.odsCode();
    Optional<Organisation> existing = organisations.findForUpdate(ods);
    Instant now = now();
    if (existing.isEmpty()) {
      Organisation created =
          new Organisation(
              ods,
              cleanName(registration.name()),
              registration.type(),
              registration.active() == null || registration.active(),
              now,
              now);
      try {
        organisations.save(created);
      } catch (DataAccessException anotherReplicaWasFirst) {
        if (DeadlockRetry.isDeadlock(anotherReplicaWasFirst)) {
          // The whole transaction was rolled back: the caller runs it again (StartupRace).
          throw anotherReplicaWasFirst;
        }
        // It registered the same entry a moment ago; this replica's copy of the file agrees.
        return Upserted.UNCHANGED;
      }
      audit.append(event(AuditAction.ADMIN_ORGANISATION_REGISTERED, Actor.system(), ods));
      return Upserted.CREATED;
    }
    Organisation current = existing.get();
    if (!current.odsCode().equals(ods)) {
      // Only the case differs (a case-insensitive collation found it): a file mistake to show.
      throw new ProblemException.Conflict(
          "ODS code " + ods + " clashes with the registered " + current.odsCode());
    }
    Organisation wanted =
        new Organisation(
            ods,
            cleanName(registration.name()),
            registration.type(),
            current.active(),
            current.createdAt(),
            now);
    if (wanted.name().equals(current.name())
        && wanted.type() == current.type()
        && wanted.active() == current.active()) {
      return Upserted.UNCHANGED;
    }
    organisations.update(wanted);
    audit.append(event(AuditAction.ADMIN_ORGANISATION_CHANGED, Actor.system(), ods));
    return Upserted.CHANGED;
  }

  private Optional<Organisation> find(String odsCode) {
    if (!Organisations.isOdsCode(odsCode)) {
      return Optional.empty();
    }
    return organisations.findById(odsCode).filter(o -> o.odsCode().equals(odsCode));
  }

  // DATETIME(6) loses sub-second digits on some drivers: whole seconds read back as written.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * Control and format characters (C0/C1 controls, bidi overrides and isolates, zero-width
   * characters) and line or paragraph separators: a name shown to residents must read as it is.
   */
  private static final Pattern UNSAFE_NAME = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

  static String cleanName(String name) {
    String clean = Objects.requireNonNull(name, "name").strip();
    if (clean.isEmpty()) {
      throw new ProblemException.InvalidField("name", "must not be blank");
    }
    if (UNSAFE_NAME.matcher(clean).find()) {
      throw new ProblemException.InvalidField(
          "name", "must not contain control, format (bidi) or line separator characters");
    }
    return clean;
  }

  private static Actor adminActor(String adminAccountId) {
    return Actor.account(Objects.requireNonNull(adminAccountId, "adminAccountId"));
  }

  private static AuditEvent event(AuditAction action, Actor actor, String ods) {
    return new AuditEvent(action, AuditOutcome.SUCCESS, actor, ods, null, null, List.of());
  }

  private static ProblemException duplicate() {
    return new ProblemException.Conflict("An organisation with this ODS code is registered.");
  }
}
