package uk.gov.residentportal.partner;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.micronaut.transaction.support.DefaultTransactionDefinition;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.account.AccountService.PartnerMatch;
import uk.gov.residentportal.account.Assurance;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.audit.AuditAction;
import uk.gov.residentportal.audit.AuditEvent;
import uk.gov.residentportal.audit.AuditOutcome;
import uk.gov.residentportal.audit.AuditTrail;
import uk.gov.residentportal.consent.ConsentService;
import uk.gov.residentportal.consent.Purpose;
import uk.gov.residentportal.records.PartnerRecords;
import uk.gov.residentportal.shared.DeadlockRetry;

/**
 * What an NHS partner may read, and the audit event of every read, in one transaction each: the
 * event commits with the read or neither does. Consent is read afresh every time (no cache), so a
 * withdrawal counts for the very next request on every replica.
 *
 * <p>Whatever a partner may not see (no such resident, a date of birth that does not match, an
 * account below P1, no consent for this organisation, another organisation's id, a record that is
 * not shareable) is the same "empty" answer: partners cannot learn whether someone has an account.
 * Refused reads are audited too (outcome NOT_FOUND).
 */
@Singleton
class PartnerAccess {
  static final Purpose PURPOSE = Purpose.DIRECT_CARE;

  private static final Pattern ID =
      Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  // The account id whose consents a lookup reads when nobody matched (the nil UUID, which no
  // account has): every lookup runs the same queries, so its timing tells nothing.
  private static final String NO_ACCOUNT = "00000000-0000-0000-0000-000000000000";
  // READ COMMITTED: when two first lookups race, the loser's INSERT IGNORE waits for the winner's
  // commit and its plain read then sees the winner's row. Under REPEATABLE READ that read would
  // need a locking read (its snapshot predates the row), and two losers upgrading their shared
  // locks to exclusive ones deadlock.
  private static final TransactionDefinition LOOKUP = readCommitted();

  private final AccountService accounts;
  private final ConsentService consents;
  private final PartnerRecords records;
  private final PartnerResidentRepository residents;
  private final AuditTrail audit;
  private final Clock clock;
  private final TransactionOperations<Connection> transactions;

  PartnerAccess(
      AccountService accounts,
      ConsentService consents,
      PartnerRecords records,
      PartnerResidentRepository residents,
      AuditTrail audit,
      Clock clock,
      TransactionOperations<Connection> transactions) {
    this.accounts = accounts;
    this.consents = consents;
    this.records = records;
    this.residents = residents;
    this.audit = audit;
    this.clock = clock;
    this.transactions = transactions;
  }

  /**
   * A resident found by a partner: this organisation's id for them, what the account holds, and the
   * categories the organisation may read. {@link #toString()} names no one.
   */
  record Found(String id, PartnerMatch match, List<String> categories) {
    @Override
    public String toString() {
      return "Found[id=" + id + "]";
    }
  }

  /**
   * Finds the resident with this NHS number and date of birth (an active account of at least P1)
   * who consents to share, for direct care, a category the organisation may read at the account's
   * assurance. Anything else is empty: no match, no consent, or consent only to categories the
   * account's assurance does not open.
   *
   * <p>Its own READ COMMITTED transaction, run again when InnoDB picks it as a deadlock victim
   * (racing first lookups of one resident insert the same partner_residents key).
   */
  Optional<Found> lookup(PartnerCaller caller, String nhsNumber, LocalDate birthDate) {
    return DeadlockRetry.run(
        () -> transactions.execute(LOOKUP, status -> lookupOnce(caller, nhsNumber, birthDate)));
  }

  private Optional<Found> lookupOnce(PartnerCaller caller, String nhsNumber, LocalDate birthDate) {
    Optional<PartnerMatch> match = accounts.matchForPartner(nhsNumber, birthDate);
    // Always the consent query, with the nil UUID when nobody matched: an unknown resident, a wrong
    // date of birth and a matched but unconsented one make the same queries.
    Set<String> consented =
        consents.consentedCategories(
            match.map(PartnerMatch::accountId).orElse(NO_ACCOUNT), caller.odsCode(), PURPOSE);
    List<String> readable =
        records.readable(consented, match.map(PartnerMatch::assurance).orElse(Assurance.P1));
    if (match.isEmpty() || readable.isEmpty()) {
      audit.append(
          event(
              AuditAction.PARTNER_LOOKUP,
              AuditOutcome.NOT_FOUND,
              caller,
              match.map(PartnerMatch::accountId).orElse(null),
              List.of()));
      return Optional.empty();
    }
    PartnerMatch m = match.get();
    String id = partnerIdOf(caller.odsCode(), m.accountId());
    audit.append(
        event(AuditAction.PARTNER_LOOKUP, AuditOutcome.SUCCESS, caller, m.accountId(), List.of()));
    return Optional.of(new Found(id, m, readable));
  }

  /**
   * The resident behind the organisation's id, as FHIR's Patient read shows them: empty unless the
   * id is this organisation's and the resident still shares a category it may read. Audited as a
   * lookup.
   */
  @Transactional
  Optional<PatientRead> patient(PartnerCaller caller, String residentId) {
    Reader reader = reader(caller, residentId);
    Optional<PatientRead> identity =
        reader.allowed()
            ? accounts
                .identityForPartner(reader.accountId())
                .map(i -> new PatientRead(residentId, i))
            : Optional.empty();
    audit.append(
        event(
            AuditAction.PARTNER_LOOKUP,
            identity.isPresent() ? AuditOutcome.SUCCESS : AuditOutcome.NOT_FOUND,
            caller,
            reader.accountId(),
            List.of()));
    return identity;
  }

  /** A Patient read's answer: the organisation's id and what the account holds. */
  record PatientRead(String id, AccountService.PartnerIdentity identity) {
    @Override
    public String toString() {
      return "PatientRead[id=" + id + "]";
    }
  }

  /** A page of the resident's records the organisation may read; empty when it may read none. */
  @Transactional
  Optional<PartnerRecords.Page> records(
      PartnerCaller caller,
      String residentId,
      @Nullable String category,
      @Nullable String cursor,
      @Nullable Integer limit) {
    Reader reader = reader(caller, residentId);
    if (!reader.allowed()) {
      refused(AuditAction.PARTNER_RECORDS_READ, caller, reader);
      return Optional.empty();
    }
    PartnerRecords.Page page =
        records.list(
            reader.accountId(), reader.assurance(), reader.consented(), category, cursor, limit);
    audit.append(
        event(
            AuditAction.PARTNER_RECORDS_READ,
            AuditOutcome.SUCCESS,
            caller,
            reader.accountId(),
            page.recordIds()));
    return Optional.of(page);
  }

  /** One record with its documents' metadata; empty when the organisation may not read it. */
  @Transactional
  Optional<PartnerRecords.Detail> record(PartnerCaller caller, String residentId, String recordId) {
    Reader reader = reader(caller, residentId);
    Optional<PartnerRecords.Detail> detail =
        reader.allowed()
            ? records.get(reader.accountId(), reader.assurance(), reader.consented(), recordId)
            : Optional.empty();
    audit.append(
        event(
            AuditAction.PARTNER_RECORDS_READ,
            detail.isPresent() ? AuditOutcome.SUCCESS : AuditOutcome.NOT_FOUND,
            caller,
            reader.accountId(),
            detail.map(d -> List.of(d.id())).orElse(List.of())));
    return detail;
  }

  /** A document of a record; empty when the organisation may not read it. */
  @Transactional
  Optional<PartnerRecords.Download> document(
      PartnerCaller caller, String residentId, String recordId, String documentId) {
    Reader reader = reader(caller, residentId);
    Optional<PartnerRecords.Download> download =
        reader.allowed()
            ? records.download(
                reader.accountId(), reader.assurance(), reader.consented(), recordId, documentId)
            : Optional.empty();
    audit.append(
        event(
            AuditAction.PARTNER_DOCUMENT_READ,
            download.isPresent() ? AuditOutcome.SUCCESS : AuditOutcome.NOT_FOUND,
            caller,
            reader.accountId(),
            download.map(d -> List.of(d.recordId())).orElse(List.of())));
    return download;
  }

  /**
   * Who the organisation's id stands for and what it may read of them now. {@code accountId} is
   * null when the id is not this organisation's; {@code consented} is empty when the account is no
   * longer active, has fallen below P1, or consents to nothing for this organisation.
   */
  private record Reader(
      @Nullable String accountId,
      @Nullable Assurance assurance,
      Set<String> consented,
      boolean readable) {
    boolean allowed() {
      return accountId != null && assurance != null && readable;
    }
  }

  private Reader reader(PartnerCaller caller, String residentId) {
    if (residentId == null || !ID.matcher(residentId).matches()) {
      return new Reader(null, null, Set.of(), false);
    }
    Optional<String> accountId = residents.findAccountId(residentId, caller.odsCode());
    if (accountId.isEmpty()) {
      return new Reader(null, null, Set.of(), false);
    }
    Optional<Assurance> assurance =
        accounts.assuranceOf(accountId.get()).filter(a -> a.meets(Assurance.P1));
    if (assurance.isEmpty()) {
      return new Reader(accountId.get(), null, Set.of(), false);
    }
    Set<String> consented =
        consents.consentedCategories(accountId.get(), caller.odsCode(), PURPOSE);
    // Consent only to categories the assurance does not open is the same as none (as a lookup).
    return new Reader(
        accountId.get(),
        assurance.get(),
        consented,
        !records.readable(consented, assurance.get()).isEmpty());
  }

  private void refused(AuditAction action, PartnerCaller caller, Reader reader) {
    audit.append(event(action, AuditOutcome.NOT_FOUND, caller, reader.accountId(), List.of()));
  }

  /** The organisation's id for the account, made on its first successful lookup. */
  private String partnerIdOf(String odsCode, String accountId) {
    Optional<String> existing = residents.findId(odsCode, accountId);
    if (existing.isPresent()) {
      return existing.get();
    }
    residents.createIfAbsent(UUID.randomUUID().toString(), odsCode, accountId, clock.instant());
    return residents
        .findId(odsCode, accountId)
        .orElseThrow(() -> new IllegalStateException("partner id missing after insert"));
  }

  private static TransactionDefinition readCommitted() {
    DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
    definition.setIsolationLevel(TransactionDefinition.Isolation.READ_COMMITTED);
    definition.setName("partner-lookup");
    return definition;
  }

  private static AuditEvent event(
      AuditAction action,
      AuditOutcome outcome,
      PartnerCaller caller,
      @Nullable String subject,
      List<String> recordIds) {
    return new AuditEvent(
        action,
        outcome,
        Actor.client(caller.clientId()),
        caller.odsCode(),
        PURPOSE.name(),
        subject,
        recordIds);
  }
}
