package uk.gov.residentportal.consent;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.audit.AuditAction;
import uk.gov.residentportal.audit.AuditEvent;
import uk.gov.residentportal.audit.AuditOutcome;
import uk.gov.residentportal.audit.AuditTrail;
import uk.gov.residentportal.partner.Organisations;
import uk.gov.residentportal.records.RecordsConfig;
import uk.gov.residentportal.shared.DeadlockRetry;
import uk.gov.residentportal.web.ProblemException;

/**
 * Residents' consents to share records with NHS partners: grant, list, withdraw, and the lookup
 * partners' requests are checked against. Read on every partner request, never cached: a withdrawal
 * counts for the very next request, on every replica.
 *
 * <ul>
 *   <li>A consent names one organisation (a registered, active partner's ODS code) or {@link
 *       Consent#ALL_NHS}, one or more known record categories, and the purpose DIRECT_CARE.
 *   <li>Granting what is already in force (same organisation, purpose and set of categories)
 *       changes nothing and answers the consent in force. Any other grant adds a consent: what a
 *       partner may read is the union of the consents in force for it and for ALL_NHS.
 *   <li>Withdrawal sets {@code withdrawn_at} and {@code withdrawn_by}; rows stay while the account
 *       lives (the history), and erasure deletes them. Withdrawing a withdrawn consent changes
 *       nothing.
 *   <li>Every grant and withdrawal is audited in its own transaction: both commit or neither.
 *   <li>A grant locks the account's row first ({@link AccountService#lockActive}), as erasure does:
 *       no consent is stored for an account being erased, and two identical grants at once make one
 *       consent.
 * </ul>
 */
@Singleton
public class ConsentService {
  /** The most categories one consent names: 24 codes of 40 characters fill the 1,000 column. */
  static final int MAX_CATEGORIES = 24;

  /** The most consents in force an account may hold at once (withdrawn ones do not count). */
  static final int MAX_ACTIVE = 50;

  /** The most consents GET /api/v1/me/consents lists; the export holds them all. */
  static final int MAX_LISTED = 500;

  // ODS codes (NHS Organisation Data Service): letters and digits; as auth/ClientService checks
  // partner clients' organisationOds.
  private static final Pattern ODS_CODE = Pattern.compile("^[A-Z0-9]{3,10}$");
  // Ids are made by UUID.randomUUID().toString(): anything else cannot name a consent.
  private static final Pattern ID =
      Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  private static final Logger LOG = LoggerFactory.getLogger(ConsentService.class);

  private final ConsentRepository consents;
  private final Organisations organisations;
  private final AccountService accounts;
  private final RecordsConfig records;
  private final AuditTrail audit;
  private final TransactionOperations<Connection> transactions;
  private final Clock clock;

  ConsentService(
      ConsentRepository consents,
      Organisations organisations,
      AccountService accounts,
      RecordsConfig records,
      AuditTrail audit,
      TransactionOperations<Connection> transactions,
      Clock clock) {
    this.consents = consents;
    this.organisations = organisations;
    this.accounts = accounts;
    this.records = records;
    this.audit = audit;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * The record categories the account shares, for {@code purpose}, with the organisation {@code
   * ods}: the union of its consents in force for that organisation and, when the organisation is an
   * NHS body (not an OTHER_CARE_PROVIDER), for all NHS partners. Empty when there is none.
   */
  @Transactional(readOnly = true)
  public Set<String> consentedCategories(String accountId, String ods, Purpose purpose) {
    Set<String> categories = new TreeSet<>();
    boolean nhs = organisations.isNhs(ods);
    for (Consent consent : consents.findActiveFor(accountId, ods, purpose.name())) {
      if (nhs || !consent.organisation().equals(Consent.ALL_NHS)) {
        categories.addAll(consent.categoryList());
      }
    }
    return categories;
  }

  /** The consent, and whether this request made it (false: the same one was in force). */
  record Granted(ConsentBodies.View consent, boolean created) {}

  /** A well-formed grant, in canonical form. */
  private record Wanted(String organisation, String categories, Purpose purpose) {}

  /**
   * Grants a consent, or answers the identical one in force.
   *
   * @throws ProblemException.InvalidField when a field is malformed, a category unknown or
   *     repeated, the purpose not DIRECT_CARE, or the organisation not registered and active
   * @throws ProblemException.Conflict when the account holds {@link #MAX_ACTIVE} consents in force
   * @throws ProblemException.Unauthorized when the account is no longer active
   */
  Granted grant(String accountId, ConsentBodies.GrantRequest body) {
    Wanted wanted = wanted(body);
    return DeadlockRetry.run(() -> transactions.executeWrite(status -> store(accountId, wanted)));
  }

  private Granted store(String accountId, Wanted wanted) {
    // The account's row first, as erasure locks it, and before any plain read (a plain read would
    // fix the transaction's snapshot before the lock, and parallel grants would not see each
    // other): a grant commits wholly before an erasure (and goes with it) or finds the account
    // erased (401); parallel grants queue here.
    accounts.lockActive(accountId);
    // A deactivated or unregistered organisation could never read what is shared: refuse, rather
    // than hold a consent that seems to do something.
    if (!wanted.organisation().equals(Consent.ALL_NHS)
        && !organisations.isActive(wanted.organisation())) {
      throw new ProblemException.InvalidField(
          "organisation", "must be ALL_NHS or the ODS code of an active partner organisation");
    }
    List<Consent> active = consents.findActiveByAccountId(accountId);
    for (Consent consent : active) {
      if (consent.organisation().equals(wanted.organisation())
          && consent.purpose().equals(wanted.purpose().name())
          && consent.categories().equals(wanted.categories())) {
        return new Granted(view(consent, names(List.of(consent))), false);
      }
    }
    if (active.size() >= MAX_ACTIVE) {
      throw new ProblemException.Conflict(
          "The account holds "
              + MAX_ACTIVE
              + " consents in force, the most it may: withdraw one before granting another.");
    }
    Consent consent =
        new Consent(
            UUID.randomUUID().toString(),
            accountId,
            wanted.organisation(),
            wanted.categories(),
            wanted.purpose().name(),
            now(),
            accountId,
            null,
            null);
    consents.save(consent);
    audit.append(event(AuditAction.CONSENT_GRANTED, accountId, consent));
    LOG.info(
        "consent granted id={} account={} organisation={}",
        consent.id(),
        accountId,
        consent.organisation());
    return new Granted(view(consent, names(List.of(consent))), true);
  }

  /**
   * The account's consents, withdrawn ones included, newest grant first, at most {@link
   * #MAX_LISTED}.
   */
  @Transactional(readOnly = true)
  List<ConsentBodies.View> list(String accountId) {
    if (accounts.assuranceOf(accountId).isEmpty()) {
      throw new ProblemException.Unauthorized("The account is not active.");
    }
    List<Consent> rows = consents.findNewestByAccountId(accountId, MAX_LISTED);
    Map<String, String> names = names(rows);
    return rows.stream().map(c -> view(c, names)).toList();
  }

  /**
   * Withdraws one of the account's consents; someone else's or an unknown one answers 404.
   * Withdrawing a withdrawn consent changes nothing (and is not audited again).
   */
  void withdraw(String accountId, String consentId) {
    if (consentId == null || !ID.matcher(consentId).matches()) {
      throw new ProblemException.NotFound();
    }
    DeadlockRetry.run(
        () ->
            transactions.executeWrite(
                status -> {
                  Consent consent =
                      consents
                          .findByIdAndAccountId(consentId, accountId)
                          .orElseThrow(ProblemException.NotFound::new);
                  // Guarded: of two parallel withdrawals, one changes the row and is audited.
                  if (consent.active()
                      && consents.withdraw(consentId, accountId, now(), accountId) == 1) {
                    audit.append(event(AuditAction.CONSENT_WITHDRAWN, accountId, consent));
                    LOG.info("consent withdrawn id={} account={}", consentId, accountId);
                  }
                  return null;
                }));
  }

  /** Every consent the account ever gave, with who granted and withdrew it and when (export). */
  @Transactional(readOnly = true)
  List<Map<String, Object>> export(String accountId) {
    List<Consent> rows = consents.findAllByAccountId(accountId);
    Map<String, String> names = names(rows);
    List<Map<String, Object>> exported = new ArrayList<>();
    for (Consent c : rows) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", c.id());
      row.put("organisation", c.organisation());
      if (names.containsKey(c.organisation())) {
        row.put("organisationName", names.get(c.organisation()));
      }
      row.put("categories", c.categoryList());
      row.put("purpose", c.purpose());
      row.put("status", status(c).name());
      row.put("grantedAt", c.grantedAt().toString());
      row.put("grantedBy", c.grantedBy());
      if (c.withdrawnAt() != null) {
        row.put("withdrawnAt", c.withdrawnAt().toString());
        row.put("withdrawnBy", c.withdrawnBy());
      }
      exported.add(row);
    }
    return exported;
  }

  /**
   * Deletes the account's consents (erasure); joins the caller's transaction, which holds the
   * account's row locked. The audit events stay, under the account id that erasure leaves a
   * pseudonym.
   */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  void forget(String accountId) {
    int removed = consents.deleteByAccountId(accountId);
    LOG.info("consents forgotten account={} consents={}", accountId, removed);
  }

  /** Checks the body's fields (no database) and puts them in canonical form. */
  private Wanted wanted(ConsentBodies.GrantRequest body) {
    String organisation = body.organisation().strip().toUpperCase(Locale.ROOT);
    if (!organisation.equals(Consent.ALL_NHS) && !ODS_CODE.matcher(organisation).matches()) {
      throw new ProblemException.InvalidField(
          "organisation", "must be ALL_NHS or an ODS code of 3 to 10 letters or digits");
    }
    Set<String> categories = new TreeSet<>();
    for (String category : body.categories()) {
      String code = category == null ? "" : category.strip().toUpperCase(Locale.ROOT);
      if (!records.categories().containsKey(code)) {
        throw new ProblemException.InvalidField(
            "categories",
            "must each be one of "
                + records.categories().keySet().stream()
                    .sorted()
                    .collect(Collectors.joining(", ")));
      }
      if (!categories.add(code)) {
        throw new ProblemException.InvalidField("categories", "must not name a category twice");
      }
    }
    if (!body.purpose().equals(Purpose.DIRECT_CARE.name())) {
      throw new ProblemException.InvalidField("purpose", "must be DIRECT_CARE");
    }
    return new Wanted(organisation, String.join(" ", categories), Purpose.DIRECT_CARE);
  }

  // DATETIME(6) keeps only whole seconds through Connector/J on MariaDB: store what is answered.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private static AuditEvent event(AuditAction action, String accountId, Consent consent) {
    // The consent's id stands in the record ids: the event names which consent changed.
    return new AuditEvent(
        action,
        AuditOutcome.SUCCESS,
        Actor.account(accountId),
        consent.organisation(),
        consent.purpose(),
        accountId,
        List.of(consent.id()));
  }

  private Map<String, String> names(List<Consent> rows) {
    Set<String> codes =
        rows.stream()
            .map(Consent::organisation)
            .filter(o -> !o.equals(Consent.ALL_NHS))
            .collect(Collectors.toCollection(TreeSet::new));
    return codes.isEmpty() ? Map.of() : organisations.names(codes);
  }

  private static ConsentBodies.Status status(Consent consent) {
    return consent.active() ? ConsentBodies.Status.ACTIVE : ConsentBodies.Status.WITHDRAWN;
  }

  private static ConsentBodies.View view(Consent c, Map<String, String> names) {
    return new ConsentBodies.View(
        c.id(),
        c.organisation(),
        names.get(c.organisation()),
        c.categoryList(),
        c.purpose(),
        c.grantedAt(),
        c.withdrawnAt(),
        status(c));
  }
}
