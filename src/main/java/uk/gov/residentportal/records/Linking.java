package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.audit.AuditAction;
import uk.gov.residentportal.audit.AuditEvent;
import uk.gov.residentportal.audit.AuditOutcome;
import uk.gov.residentportal.audit.AuditTrail;
import uk.gov.residentportal.records.RecordLink.LinkMethod;
import uk.gov.residentportal.shared.Background;
import uk.gov.residentportal.shared.DeadlockRetry;
import uk.gov.residentportal.shared.Postcodes;
import uk.gov.residentportal.web.ProblemException;

/**
 * Residents link their account to council records (a subject), and unlink it. Two proofs: a council
 * tax account reference with the property's postcode, or a one-time code from a letter.
 *
 * <ul>
 *   <li>Wrong details of any kind (unknown reference, wrong postcode, unknown, used or expired
 *       code) get one answer (422), after the same work, so nobody learns which part was wrong or
 *       which references exist.
 *   <li>Failed attempts are limited per account, and reference + postcode attempts also per
 *       reference, from all accounts together ({@link LinkAttempts}); each attempt is counted
 *       before its details are checked and given back when they were right. A reference over its
 *       limit answers as wrong details without being checked.
 *   <li>A subject linked by one account is never silently linked by another: by reference and
 *       postcode it is refused (409, a code from a letter is needed), and the attempt stays counted
 *       (it confirmed the details) and the owners of the linked accounts are emailed; by a one-time
 *       code it works, both accounts stay linked (a household), and the owners of the accounts
 *       already linked are emailed once the new link is stored.
 *   <li>Linking a subject the account is already linked to changes nothing and answers the existing
 *       link (200 instead of 201); a one-time code used for it is used up all the same.
 *   <li>The first link raises the account to P1, the removal of its last link lowers it to P0, each
 *       in the transaction that changes the links.
 *   <li>Every transaction that changes an account's links locks the account's row first ({@link
 *       AccountService#lockActive}), as erasure does: a link is never stored for an account being
 *       erased, and the lock order is always account, then links.
 * </ul>
 */
@Singleton
public class Linking {
  private static final Logger LOG = LoggerFactory.getLogger(Linking.class);

  static final String WRONG_DETAILS =
      "The details do not match our records. Check them and try again.";
  static final String NEEDS_CODE =
      "These council records are already linked to another account. To link them to yours as"
          + " well, use the one-time code from a letter the council sent to the address.";
  // A canonical postcode is never empty: held by no subject, it matches nothing.
  private static final String NO_POSTCODE = "";

  private final RecordLinkRepository links;
  private final LinkSubjectRepository lockedSubjects;
  private final LinkCodes codes;
  private final LinkAttempts attempts;
  private final AccountService accounts;
  private final AuditTrail audit;
  private final TransactionOperations<Connection> transactions;
  private final Executor background;
  private final Clock clock;

  Linking(
      RecordLinkRepository links,
      LinkSubjectRepository lockedSubjects,
      LinkCodes codes,
      LinkAttempts attempts,
      AccountService accounts,
      AuditTrail audit,
      TransactionOperations<Connection> transactions,
      @Named(TaskExecutors.BLOCKING) Executor background,
      Clock clock) {
    this.links = links;
    this.lockedSubjects = lockedSubjects;
    this.codes = codes;
    this.attempts = attempts;
    this.accounts = accounts;
    this.audit = audit;
    this.transactions = transactions;
    this.background = background;
    this.clock = clock;
  }

  /** The link, and whether this request made it (false: it existed already). */
  record Linked(LinkBodies.Link link, boolean created) {}

  /** A well-formed proof, in canonical form. */
  private sealed interface Proof {
    LinkMethod method();
  }

  private record ByReference(String reference, String postcode) implements Proof {
    @Override
    public LinkMethod method() {
      return LinkMethod.REFERENCE_AND_POSTCODE;
    }

    @Override
    public String toString() {
      return "ByReference[***]";
    }
  }

  private record ByCode(String code) implements Proof {
    @Override
    public LinkMethod method() {
      return LinkMethod.ONE_TIME_CODE;
    }

    @Override
    public String toString() {
      return "ByCode[***]";
    }
  }

  /**
   * What the linking transaction did: a link, made now or before; or none, because the details were
   * wrong ({@link #NO_MATCH}) or because the subject is linked to other accounts and the proof was
   * not a code ({@code refused}). {@code otherAccounts}: the accounts already linked to the
   * subject, whose owners are told.
   */
  private record Outcome(
      @Nullable LinkBodies.Link link,
      boolean created,
      boolean refused,
      List<String> otherAccounts) {
    static final Outcome NO_MATCH = new Outcome(null, false, false, List.of());

    static Outcome refusedFor(List<String> otherAccounts) {
      return new Outcome(null, false, true, otherAccounts);
    }
  }

  /**
   * Links the account to the subject the request proves.
   *
   * @throws ProblemException.InvalidField when the body is neither shape or a field is malformed
   *     (not counted as an attempt)
   * @throws ProblemException.TooManyRequests when the account has no failed attempts left
   * @throws ProblemException.Unprocessable when the details are wrong
   * @throws ProblemException.Conflict when another account is linked and no code was used
   */
  public Linked link(String accountId, LinkBodies.LinkRequest body) {
    Proof proof = proof(body);
    if (accounts.assuranceOf(accountId).isEmpty()) {
      // An erased or suspended account's token that has not expired yet: nothing to link to.
      throw new ProblemException.Unauthorized("The account is not active.");
    }
    LinkAttempts.Reservation reserved = attempts.reserve(accountId);
    Optional<LinkAttempts.Reservation> reservedReference = Optional.empty();
    if (proof instanceof ByReference byReference) {
      reservedReference = attempts.reserveReference(byReference.reference());
      if (reservedReference.isEmpty()) {
        // The same answer as wrong details, and the details are not even checked: accounts
        // working together cannot go on trying postcodes of one reference.
        LOG.info("link refused: reference over its failure limit id={}", accountId);
        throw new ProblemException.Unprocessable(WRONG_DETAILS);
      }
    }
    Outcome outcome =
        DeadlockRetry.run(() -> transactions.executeWrite(status -> store(accountId, proof)));
    if (outcome.refused()) {
      // The details were right, yet the attempts stay counted (for the account and the
      // reference): a 409 confirms a reference and postcode, so it must not come for free. The
      // owners learn that someone holds their details. Off the request thread, as below.
      for (String other : outcome.otherAccounts()) {
        Background.run(background, () -> tellOwnerOfAttempt(other));
      }
      throw new ProblemException.Conflict(NEEDS_CODE);
    }
    if (outcome.link() == null) {
      LOG.info("link refused: details do not match id={} method={}", accountId, proof.method());
      throw new ProblemException.Unprocessable(WRONG_DETAILS);
    }
    attempts.refund(reserved);
    reservedReference.ifPresent(attempts::refund);
    // Committed by now: the owners hear only of a link that exists. Off the request thread, so the
    // answer takes no longer when others were linked (it must not tell the caller that).
    for (String other : outcome.otherAccounts()) {
      Background.run(background, () -> tellOwner(other));
    }
    return new Linked(outcome.link(), outcome.created());
  }

  /** The account's links, newest first. */
  @Transactional(readOnly = true)
  public List<LinkBodies.Link> list(String accountId) {
    return links.findLinkedSubjects(accountId).stream().map(Linking::view).toList();
  }

  /**
   * Removes one of the account's links; someone else's link answers as an unknown one. The removal
   * of the last link lowers the account to P0.
   */
  public void unlink(String accountId, String linkId) {
    DeadlockRetry.run(
        () ->
            transactions.executeWrite(
                status -> {
                  // The account first, as erasure and linking lock it: one lock order everywhere.
                  accounts.lockActive(accountId);
                  // Then its links: a parallel removal or new link of the account waits, so "was
                  // it the last?" is answered on current rows.
                  List<String> ids = links.lockIdsByAccountId(accountId);
                  if (!ids.contains(linkId)) {
                    throw new ProblemException.NotFound();
                  }
                  links.deleteById(linkId);
                  if (ids.size() == 1) {
                    accounts.noLongerLinked(accountId);
                  }
                  LOG.info("unlinked id={} account={}", linkId, accountId);
                  // Last: the audit chain's lock is held only until the commit.
                  audited(AuditAction.LINK_REMOVED, accountId, linkId);
                  return null;
                }));
  }

  /** The account's links with their full references, for the resident's own export. */
  @Transactional(readOnly = true)
  List<LinkedSubject> export(String accountId) {
    return links.findLinkedSubjects(accountId);
  }

  /**
   * Forgets the account's links and attempts, and clears it from the codes it used (erasure); joins
   * the caller's transaction, which holds the account's row locked.
   */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  void forget(String accountId) {
    int removed = links.deleteByAccountId(accountId);
    attempts.forget(accountId);
    int codesUsed = codes.forgetUser(accountId);
    LOG.info("links forgotten id={} links={} codes={}", accountId, removed, codesUsed);
  }

  /** In one transaction: check the proof and, when it holds, store the link. */
  private Outcome store(String accountId, Proof proof) {
    // The first statement, a locking read of the account's row: an erasure (which locks it first
    // too) has either committed, and the account is no longer active (401), or waits until this
    // link is stored and then removes it with the others. A locking read opens no snapshot, so the
    // locking reads that follow (subject, code) still make the rest read current rows.
    accounts.lockActive(accountId);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    if (proof instanceof ByReference byReference) {
      return byReference(accountId, byReference, now);
    }
    return byCode(accountId, (ByCode) proof, now);
  }

  private Outcome byReference(String accountId, ByReference proof, Instant now) {
    // Only locking reads before it (the account's row): no snapshot is opened before the subject is
    // locked, so the links read below are current (see attach).
    Optional<RecordSubject> subject =
        lockedSubjects.findByRefForUpdate(
            SubjectType.COUNCIL_TAX_ACCOUNT.name(), proof.reference());
    // Constant time, and the same hashing whether or not the reference exists or has a postcode.
    byte[] held = sha256(subject.map(RecordSubject::postcode).orElse(NO_POSTCODE));
    boolean matches = MessageDigest.isEqual(sha256(proof.postcode()), held);
    if (!matches || subject.isEmpty()) {
      return Outcome.NO_MATCH;
    }
    return attach(accountId, subject.get(), LinkMethod.REFERENCE_AND_POSTCODE, now);
  }

  private Outcome byCode(String accountId, ByCode proof, Instant now) {
    // After the account's row, the code's row is locked (LinkCodes.redeem), then its subject's.
    return codes
        .redeem(accountId, proof.code())
        .flatMap(lockedSubjects::findByIdForUpdate)
        .map(subject -> attach(accountId, subject, LinkMethod.ONE_TIME_CODE, now))
        .orElse(Outcome.NO_MATCH);
  }

  /**
   * Stores the link of a proven subject, which the caller has locked: every decision about one
   * subject's links is taken by one request at a time, so two accounts racing by reference cannot
   * both become "the first".
   */
  private Outcome attach(String accountId, RecordSubject subject, LinkMethod method, Instant now) {
    Optional<RecordLink> own = links.findByAccountIdAndSubjectId(accountId, subject.id());
    if (own.isPresent()) {
      return new Outcome(view(own.get(), subject), false, false, List.of());
    }
    List<String> others = links.findAccountIdBySubjectId(subject.id());
    if (!others.isEmpty() && method == LinkMethod.REFERENCE_AND_POSTCODE) {
      // The caller proved the reference and postcode, so this tells them nothing new; a letter
      // to the address is the stronger proof a second household member needs.
      LOG.info("link refused: linked by another account id={} subject={}", accountId, subject.id());
      return Outcome.refusedFor(others);
    }
    RecordLink link =
        links.save(
            new RecordLink(UUID.randomUUID().toString(), accountId, subject.id(), method, now));
    accounts.linkedToCouncilRecord(accountId);
    LOG.info(
        "linked id={} account={} subject={} method={} others={}",
        link.id(),
        accountId,
        subject.id(),
        method,
        others.size());
    // Last in the linking transaction: the audit chain's lock is held only until the commit.
    audited(AuditAction.LINK_CREATED, accountId, link.id());
    return new Outcome(view(link, subject), true, false, others);
  }

  /** The resident's own change of their links, in the transaction that makes it. */
  private void audited(AuditAction action, String accountId, String linkId) {
    audit.append(
        new AuditEvent(
            action,
            AuditOutcome.SUCCESS,
            Actor.account(accountId),
            null,
            null,
            accountId,
            List.of(linkId)));
  }

  private void tellOwner(String accountId) {
    try {
      accounts.notifyRecordsLinkedByAnother(accountId);
    } catch (RuntimeException e) {
      // Off the request thread: nobody to answer; the link stands regardless.
      LOG.warn("second-link email not sent id={}: {}", accountId, e.getClass().getSimpleName());
    }
  }

  private void tellOwnerOfAttempt(String accountId) {
    try {
      accounts.notifyLinkAttemptByAnother(accountId);
    } catch (RuntimeException e) {
      LOG.warn("link-attempt email not sent id={}: {}", accountId, e.getClass().getSimpleName());
    }
  }

  /** Which proof the body is, with every field checked; the first bad field is named. */
  private static Proof proof(@Nullable LinkBodies.LinkRequest body) {
    if (body == null) {
      throw invalid("code", "is required, or type, reference and postcode");
    }
    boolean byCode = present(body.code());
    boolean byReference =
        present(body.type()) || present(body.reference()) || present(body.postcode());
    if (byCode && byReference) {
      throw invalid("code", "give either a one-time code, or type, reference and postcode");
    }
    if (byCode) {
      String code = LinkCodes.normalise(body.code());
      if (code.isEmpty()) {
        throw invalid("code", "must be the code from the letter");
      }
      return new ByCode(code);
    }
    if (!byReference) {
      throw invalid("code", "is required, or type, reference and postcode");
    }
    if (!present(body.type())) {
      throw invalid("type", "is required");
    }
    if (!"COUNCIL_TAX".equals(body.type().strip().toUpperCase(Locale.ROOT))) {
      throw invalid("type", "must be COUNCIL_TAX");
    }
    if (!present(body.reference())) {
      throw invalid("reference", "is required");
    }
    String reference;
    try {
      reference = RecordIngestion.subjectRef(SubjectType.COUNCIL_TAX_ACCOUNT, body.reference());
    } catch (ProblemException.InvalidField e) {
      throw invalid("reference", "must be a council tax account reference, as on a bill");
    }
    if (!present(body.postcode())) {
      throw invalid("postcode", "is required");
    }
    String postcode = Postcodes.normalise(body.postcode());
    if (postcode == null) {
      throw invalid("postcode", "must be a UK postcode");
    }
    return new ByReference(reference, postcode);
  }

  private static boolean present(@Nullable String value) {
    return value != null && !value.isBlank();
  }

  private static ProblemException.InvalidField invalid(String field, String message) {
    return new ProblemException.InvalidField(field, message);
  }

  private static LinkBodies.Link view(RecordLink link, RecordSubject subject) {
    return new LinkBodies.Link(
        link.id(),
        subject.subjectType().name(),
        link.method().name(),
        link.linkedAt(),
        label(subject.subjectType(), subject.subjectRef()));
  }

  private static LinkBodies.Link view(LinkedSubject link) {
    return new LinkBodies.Link(
        link.id(),
        link.subjectType().name(),
        link.method().name(),
        link.linkedAt(),
        label(link.subjectType(), link.subjectRef()));
  }

  /** "Council tax account ending 1234": enough for the resident to tell links apart. */
  static String label(SubjectType type, String ref) {
    String name =
        switch (type) {
          case COUNCIL_TAX_ACCOUNT -> "Council tax account";
          case PROPERTY -> "Property";
          case PERSON -> "Council person record";
          case NHS_NUMBER -> "NHS number";
        };
    // A short reference is not shortened further: the label then names only the kind.
    return ref.length() > 4 ? name + " ending " + ref.substring(ref.length() - 4) : name;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
