package uk.gov.residentportal.account;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.audit.AuditAction;
import uk.gov.residentportal.audit.AuditEvent;
import uk.gov.residentportal.audit.AuditOutcome;
import uk.gov.residentportal.audit.AuditTrail;
import uk.gov.residentportal.shared.Emails;
import uk.gov.residentportal.shared.NhsNumbers;
import uk.gov.residentportal.shared.PortalConfig;
import uk.gov.residentportal.shared.Postcodes;
import uk.gov.residentportal.shared.SecretTokens;
import uk.gov.residentportal.uptake.UptakeLedger;
import uk.gov.residentportal.web.ProblemException;

/**
 * Resident accounts: sign-up, email verification, password reset, profile, erasure, export, and the
 * password check behind sign-in. The rules live here; controllers only map HTTP.
 */
@Singleton
public class AccountService {
  private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);
  private static final LocalDate OLDEST_BIRTH_DATE = LocalDate.of(1900, 1, 1);
  // As AccountBodies.SignUp's @Size on givenName and familyName.
  private static final int MAX_NAME_LENGTH = 100;
  private static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[\\p{L}\\p{M}]+(?:[ '’.-]+[\\p{L}\\p{M}]*)*");

  private final AccountRepository accounts;
  private final AccountRoleRepository roles;
  private final AccountTokenRepository tokens;
  private final PasswordHasher hasher;
  private final PasswordPolicy policy;
  private final AccountEmails emails;
  private final SecretTokens secrets;
  private final AccountTokenConfig tokenConfig;
  private final PortalConfig portalConfig;
  private final ApplicationEventPublisher<AccountEvent> events;
  private final Iterable<ExportContributor> exportContributors;
  private final AuditTrail audit;
  private final UptakeLedger uptake;
  private final TransactionOperations<Connection> transactions;
  private final Clock clock;

  AccountService(
      AccountRepository accounts,
      AccountRoleRepository roles,
      AccountTokenRepository tokens,
      PasswordHasher hasher,
      PasswordPolicy policy,
      AccountEmails emails,
      SecretTokens secrets,
      AccountTokenConfig tokenConfig,
      PortalConfig portalConfig,
      ApplicationEventPublisher<AccountEvent> events,
      Iterable<ExportContributor> exportContributors,
      AuditTrail audit,
      UptakeLedger uptake,
      TransactionOperations<Connection> transactions,
      Clock clock) {
    this.accounts = accounts;
    this.roles = roles;
    this.tokens = tokens;
    this.hasher = hasher;
    this.policy = policy;
    this.emails = emails;
    this.secrets = secrets;
    this.tokenConfig = tokenConfig;
    this.portalConfig = portalConfig;
    this.events = events;
    this.exportContributors = exportContributors;
    this.audit = audit;
    this.uptake = uptake;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Signs up. The answer is the same whether or not the email is already registered (no account
   * enumeration); the owner of a registered address is emailed instead.
   */
  @Transactional
  AccountBodies.SignUpResult signUp(AccountBodies.SignUp request) {
    String email = Emails.normalise(request.email());
    if (!Emails.deliverable(email)) {
      throw new ProblemException.InvalidField("email", "must be an email address");
    }
    if (email.length() > Emails.MAX_LENGTH) {
      // Lower-casing can lengthen some characters (İ): check the form we store.
      throw new ProblemException.InvalidField("email", "must be at most 254 characters");
    }
    String givenName = name("givenName", request.givenName());
    String familyName = name("familyName", request.familyName());
    String postcode = postcode("postcode", request.postcode());
    LocalDate dateOfBirth = dateOfBirth("dateOfBirth", request.dateOfBirth());
    policy.check("password", request.password(), email, givenName, familyName);
    String hash = hasher.hash(PasswordPolicy.normalise(request.password()));

    Optional<Account> existing = accounts.findByEmail(email);
    if (existing.isPresent()) {
      remindOwner(existing.get(), hash, givenName, familyName, postcode, dateOfBirth);
      return new AccountBodies.SignUpResult(
          UUID.randomUUID().toString(), email, AccountStatus.PENDING_VERIFICATION);
    }
    Instant now = clock.instant();
    Account account =
        new Account(
            UUID.randomUUID().toString(),
            email,
            null,
            hash,
            givenName,
            familyName,
            postcode,
            dateOfBirth,
            null,
            Assurance.P0,
            AccountStatus.PENDING_VERIFICATION,
            now,
            now,
            null,
            null);
    try {
      accounts.save(account);
    } catch (DataAccessException e) {
      if (!isDuplicateKey(e)) {
        throw e;
      }
      // Another sign-up for the same address committed first: answer as for any duplicate. (Not
      // re-read: this transaction's snapshot may predate the other's commit.)
      return new AccountBodies.SignUpResult(
          UUID.randomUUID().toString(), email, AccountStatus.PENDING_VERIFICATION);
    }
    String token = issueToken(account.id(), AccountToken.Purpose.VERIFY_EMAIL, now);
    emails.verify(email, givenName, token);
    // Last: the uptake writer lock is held only until the commit.
    uptake.signedUp(account.id(), postcode, now);
    LOG.info("account signed up id={}", account.id());
    return new AccountBodies.SignUpResult(account.id(), email, account.status());
  }

  /** A resident for the demo data command: created verified, with the same checks as sign-up. */
  public record DemoResident(
      String email,
      String password,
      String givenName,
      String familyName,
      String postcode,
      LocalDate dateOfBirth) {
    @Override
    public String toString() {
      return "DemoResident[...]";
    }
  }

  /**
   * Creates an active, email-verified account without sending an email: only for the demo data
   * command (uk.gov.residentportal.demo), which refuses to run on a production database. Never
   * reachable over HTTP.
   *
   * @return the new account's id
   */
  @Transactional
  public String createVerifiedForDemo(DemoResident resident) {
    String email = Emails.normalise(resident.email());
    if (!Emails.deliverable(email) || accounts.findByEmail(email).isPresent()) {
      throw new IllegalArgumentException("demo email address unusable or taken");
    }
    String givenName = name("givenName", resident.givenName());
    String familyName = name("familyName", resident.familyName());
    policy.check("password", resident.password(), email, givenName, familyName);
    Instant now = clock.instant();
    Account account =
        new Account(
            UUID.randomUUID().toString(),
            email,
            now,
            hasher.hash(PasswordPolicy.normalise(resident.password())),
            givenName,
            familyName,
            postcode("postcode", resident.postcode()),
            dateOfBirth(
                "dateOfBirth",
                resident.dateOfBirth() == null ? null : resident.dateOfBirth().toString()),
            null,
            Assurance.P0,
            AccountStatus.ACTIVE,
            now,
            now,
            null,
            null);
    accounts.save(account);
    uptake.signedUp(account.id(), account.postcode(), now);
    uptake.verified(account.id(), now);
    return account.id();
  }

  /**
   * The whole council's uptake totals counted directly from {@code accounts} (what the uptake
   * roll-ups must agree with; {@code --rebuild-uptake} compares them): accounts not erased, those
   * verified, those linked to a council record (P1 or more), and those erased.
   */
  @Transactional(readOnly = true)
  public UptakeCounts uptakeCounts() {
    return new UptakeCounts(
        accounts.countNotErased(),
        accounts.countVerified(),
        accounts.countLinked(),
        accounts.countErased());
  }

  /** Totals of {@link #uptakeCounts()}. */
  public record UptakeCounts(long accounts, long verified, long linked, long erased) {}

  /** Whether any account exists (the demo data command runs only on an empty database). */
  @Transactional(readOnly = true)
  public boolean anyAccountExists() {
    return accounts.count() > 0;
  }

  /**
   * Every reason {@link #signUp} would refuse {@code request}, by field in the order of the sign-up
   * form, empty when it would accept it. The API stops at the first problem; the sign-up page shows
   * them all at once (GOV.UK error summary). The same rules, plus the limits the API's body
   * declares ({@link AccountBodies.SignUp}), so a form cannot slip past what the API refuses.
   */
  Map<String, String> signUpProblems(AccountBodies.SignUp request) {
    Map<String, String> problems = new LinkedHashMap<>();
    collect(problems, () -> requiredName("givenName", request.givenName()));
    collect(problems, () -> requiredName("familyName", request.familyName()));
    String email = Emails.normalise(request.email());
    if (email == null || email.isEmpty()) {
      problems.put("email", "is required");
    } else if (email.length() > Emails.MAX_LENGTH) {
      problems.put("email", "must be at most 254 characters");
    } else if (!Emails.deliverable(email)) {
      problems.put("email", "must be an email address");
    }
    String password = request.password();
    if (password == null || password.isEmpty()) {
      problems.put("password", "is required");
    } else {
      // Judged against what the resident typed, valid or not: a password made of their own name
      // or address is refused either way.
      collect(
          problems,
          () ->
              policy.check(
                  "password",
                  password,
                  email == null ? "" : email,
                  request.givenName(),
                  request.familyName()));
    }
    return problems;
  }

  private static void requiredName(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new ProblemException.InvalidField(field, "is required");
    }
    if (value.length() > MAX_NAME_LENGTH) {
      throw new ProblemException.InvalidField(
          field, "must be at most " + MAX_NAME_LENGTH + " characters");
    }
    name(field, value);
  }

  private static void collect(Map<String, String> problems, Runnable check) {
    try {
      check.run();
    } catch (ProblemException.InvalidField e) {
      e.errors().forEach(f -> problems.putIfAbsent(f.field(), f.message()));
    }
  }

  private static boolean isDuplicateKey(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLIntegrityConstraintViolationException) {
        return true;
      }
    }
    return false;
  }

  /**
   * A sign-up for a registered address. An unverified account takes the newest sign-up's details
   * and password, and earlier links stop working: whoever signed up first without owning the
   * mailbox (account pre-hijacking) loses the account to the owner's own sign-up. A verified
   * account is untouched and its owner is told.
   */
  private void remindOwner(
      Account owner,
      String hash,
      String givenName,
      String familyName,
      String postcode,
      LocalDate dateOfBirth) {
    if (owner.status() == AccountStatus.PENDING_VERIFICATION) {
      Instant now = clock.instant();
      int replaced =
          accounts.replaceUnverified(
              owner.id(), hash, givenName, familyName, postcode, dateOfBirth, now);
      tokens.useAll(owner.id(), AccountToken.Purpose.VERIFY_EMAIL, now);
      String token = issueToken(owner.id(), AccountToken.Purpose.VERIFY_EMAIL, now);
      emails.verify(owner.email(), givenName, token);
      if (replaced == 1) {
        // Not when a verification committed meanwhile: the account kept its own postcode.
        uptake.moved(owner.id(), postcode, now);
      }
    } else {
      emails.alreadyRegistered(owner.email(), owner.givenName());
    }
    LOG.info("sign-up for a registered address; owner emailed id={}", owner.id());
  }

  /**
   * Confirms the address. With {@code password} (the pages always ask for it) the link works only
   * for whoever chose the account's password, so a mailbox owner who clicks a link for an account a
   * stranger created does not hand the stranger a verified account.
   */
  @Transactional
  void verifyEmail(String token, @Nullable String password) {
    if (password != null) {
      AccountToken pending = findToken(token, AccountToken.Purpose.VERIFY_EMAIL);
      String hash = accounts.findById(pending.accountId()).map(Account::passwordHash).orElse(null);
      if (!hasher.matches(PasswordPolicy.normalise(password), hash)) {
        throw new ProblemException.InvalidField(
            "password", "is not the password chosen when the account was created");
      }
    }
    AccountToken stored = useToken(token, AccountToken.Purpose.VERIFY_EMAIL);
    Instant now = clock.instant();
    if (accounts.markVerified(stored.accountId(), now) == 1) {
      uptake.verified(stored.accountId(), now);
    }
    LOG.info("email verified id={}", stored.accountId());
  }

  /** Always succeeds from the caller's view; only the owner of a known address gets an email. */
  @Transactional
  void requestPasswordReset(String rawEmail) {
    Optional<Account> account =
        accounts
            .findByEmail(Emails.normalise(rawEmail))
            .filter(a -> a.status() != AccountStatus.ERASED);
    if (account.isEmpty()) {
      LOG.info("password reset requested for an unknown address");
      return;
    }
    Account owner = account.get();
    String token = issueToken(owner.id(), AccountToken.Purpose.RESET_PASSWORD, clock.instant());
    emails.resetPassword(owner.email(), owner.givenName(), token);
    LOG.info("password reset requested id={}", owner.id());
  }

  /** Sets the new password and ends every session and refresh token of the account. */
  @Transactional
  void confirmPasswordReset(String token, String newPassword) {
    AccountToken stored = useToken(token, AccountToken.Purpose.RESET_PASSWORD);
    Account account =
        accounts
            .findById(stored.accountId())
            .filter(a -> a.status() != AccountStatus.ERASED)
            .orElseThrow(ProblemException.InvalidToken::new);
    policy.check(
        "newPassword", newPassword, account.email(), account.givenName(), account.familyName());
    Instant now = clock.instant();
    accounts.updatePassword(account.id(), hasher.hash(PasswordPolicy.normalise(newPassword)), now);
    tokens.useAll(account.id(), AccountToken.Purpose.RESET_PASSWORD, now);
    events.publishEvent(new AccountEvent.CredentialsChanged(account.id()));
    emails.passwordChanged(account.email(), account.givenName());
    // A reset proves the mailbox: it verifies an unverified account (updatePassword). Last: the
    // uptake writer lock is held only until the commit.
    uptake.verified(account.id(), now);
    LOG.info("password reset completed id={}", account.id());
  }

  /**
   * Checks an email and password for sign-in. Takes the same time whether or not the address is
   * known, and re-hashes the password when the configured Argon2 cost has changed. Not one
   * transaction on purpose: no database connection is held while Argon2id runs (or waits for a
   * permit); each statement below commits on its own.
   */
  public SignInResult signIn(String rawEmail, String password) {
    String normalisedPassword = PasswordPolicy.normalise(password);
    Optional<Account> found =
        accounts
            .findByEmail(Emails.normalise(rawEmail))
            .filter(a -> a.status() != AccountStatus.ERASED);
    if (found.isEmpty()) {
      hasher.burnTime(normalisedPassword);
      return new SignInResult.Refused();
    }
    Account account = found.get();
    if (!hasher.matches(normalisedPassword, account.passwordHash())) {
      LOG.info("sign-in refused id={}", account.id());
      return new SignInResult.Refused();
    }
    if (account.status() != AccountStatus.ACTIVE) {
      return new SignInResult.EmailNotVerified();
    }
    if (hasher.needsRehash(account.passwordHash())) {
      accounts.rehash(account.id(), account.passwordHash(), hasher.hash(normalisedPassword));
      LOG.info("password re-hashed with the configured cost id={}", account.id());
    }
    return new SignInResult.SignedIn(
        new SignedInAccount(account.id(), account.assurance(), rolesOf(account)));
  }

  /**
   * Records a completed sign-in (the password, and the security code when the account has a second
   * factor): the account's last sign-in time, and its activity for the uptake reports. One short
   * transaction, so the two never disagree.
   */
  @Transactional
  public void signInCompleted(String accountId) {
    Instant now = clock.instant();
    accounts.updateLastSignInAt(accountId, now);
    uptake.active(accountId, now);
  }

  /**
   * Tells the owner of an active account that sign-in to it is locked after repeated failed
   * attempts, until {@code until}. Does nothing for an address no active account has: the caller
   * counts and locks unknown addresses too, and only a real owner is told.
   */
  public void notifyLocked(String rawEmail, Instant until) {
    Optional<Account> owner =
        accounts
            .findByEmail(Emails.normalise(rawEmail))
            .filter(a -> a.status() == AccountStatus.ACTIVE);
    if (owner.isEmpty()) {
      return;
    }
    long seconds = Math.max(0, Duration.between(clock.instant(), until).getSeconds());
    emails.accountLocked(owner.get().email(), owner.get().givenName(), (seconds + 59) / 60);
    LOG.info("owner told of a sign-in lock id={}", owner.get().id());
  }

  /**
   * An active account as sign-in needs it, for a sign-in completed by a second factor after the
   * password was checked.
   */
  @Transactional(readOnly = true)
  public Optional<SignedInAccount> signedIn(String accountId) {
    return accounts
        .findById(accountId)
        .filter(a -> a.status() == AccountStatus.ACTIVE)
        .map(a -> new SignedInAccount(a.id(), a.assurance(), rolesOf(a)));
  }

  /**
   * A resident as an NHS partner may find them: what the partner asked for matched, not trusted.
   * The NHS number and the date of birth must both match an active account linked to a council
   * record (P1 or above), and exactly one: when two accounts claim the same number and date of
   * birth, neither is matched (a resident could have typed someone else's number; the partner must
   * not read the wrong person's records).
   */
  @Transactional(readOnly = true)
  public Optional<PartnerMatch> matchForPartner(String nhsNumber, LocalDate birthDate) {
    List<Account> found =
        accounts.findByNhsNumberAndDateOfBirth(nhsNumber, birthDate).stream()
            .filter(a -> a.status() == AccountStatus.ACTIVE && a.assurance().meets(Assurance.P1))
            .toList();
    if (found.size() != 1) {
      return Optional.empty();
    }
    Account a = found.get(0);
    return Optional.of(
        new PartnerMatch(a.id(), a.givenName(), a.familyName(), a.postcode(), a.assurance()));
  }

  /** What a partner lookup learns of a matched resident. {@link #toString()} names no one. */
  public record PartnerMatch(
      String accountId,
      @Nullable String givenName,
      @Nullable String familyName,
      @Nullable String postcode,
      Assurance assurance) {
    @Override
    public String toString() {
      return "PartnerMatch[accountId=" + accountId + "]";
    }
  }

  /**
   * What a partner's FHIR Patient read shows of an active account of at least P1 that holds an NHS
   * number and a date of birth; empty otherwise.
   */
  @Transactional(readOnly = true)
  public Optional<PartnerIdentity> identityForPartner(String accountId) {
    return accounts
        .findById(accountId)
        .filter(a -> a.status() == AccountStatus.ACTIVE && a.assurance().meets(Assurance.P1))
        .filter(a -> a.nhsNumber() != null && a.dateOfBirth() != null)
        .map(
            a ->
                new PartnerIdentity(
                    a.nhsNumber(), a.dateOfBirth(), a.givenName(), a.familyName(), a.postcode()));
  }

  /** What a partner's Patient read learns of a resident. {@link #toString()} names no one. */
  public record PartnerIdentity(
      String nhsNumber,
      LocalDate birthDate,
      @Nullable String givenName,
      @Nullable String familyName,
      @Nullable String postcode) {
    @Override
    public String toString() {
      return "PartnerIdentity";
    }
  }

  /** The current assurance of an active account (records and partners gate on it). */
  @Transactional(readOnly = true)
  public Optional<Assurance> assuranceOf(String accountId) {
    return accounts
        .findById(accountId)
        .filter(a -> a.status() == AccountStatus.ACTIVE)
        .map(Account::assurance);
  }

  /**
   * The account was linked to a council record: P0 becomes P1 (DESIGN.md section 4). A P1 or P2
   * account keeps its level. Joins the caller's transaction.
   */
  @Transactional
  public void linkedToCouncilRecord(String accountId) {
    Instant now = clock.instant();
    if (accounts.changeAssurance(accountId, "P0", "P1", now) == 1) {
      uptake.linked(accountId, true, now);
      LOG.info("assurance raised id={} to=P1", accountId);
    }
  }

  /**
   * The account's last link to a council record was removed: P1 goes back to P0. P2 (verified by
   * the council in person) stays.
   */
  @Transactional
  public void noLongerLinked(String accountId) {
    Instant now = clock.instant();
    if (accounts.changeAssurance(accountId, "P1", "P0", now) == 1) {
      uptake.linked(accountId, false, now);
      LOG.info("assurance lowered id={} to=P0", accountId);
    }
  }

  /**
   * Tells the owner of an active account that another account was linked to council records they
   * had linked (it took a one-time code from a letter), so that a stranger cannot do it unseen.
   */
  public void notifyRecordsLinkedByAnother(String accountId) {
    accounts
        .findById(accountId)
        .filter(a -> a.status() == AccountStatus.ACTIVE)
        .ifPresent(
            a -> {
              emails.recordsLinkedByAnother(a.email(), a.givenName());
              LOG.info("owner told of a second link id={}", a.id());
            });
  }

  /**
   * Tells the owner of an active account that someone, signed in to another account, entered the
   * right reference and postcode of council records linked to theirs (and was refused: it takes a
   * one-time code from a letter to link records another account has).
   */
  public void notifyLinkAttemptByAnother(String accountId) {
    accounts
        .findById(accountId)
        .filter(a -> a.status() == AccountStatus.ACTIVE)
        .ifPresent(
            a -> {
              emails.linkAttemptByAnother(a.email(), a.givenName());
              LOG.info("owner told of a link attempt by another account id={}", a.id());
            });
  }

  /**
   * Locks the account's row until the caller's transaction ends, and checks it is still active: for
   * a change that must not outlive the account (a new link to council records), so that an erasure,
   * which takes the same lock first ({@link #erase}), runs wholly before or wholly after it. A
   * locking read: it opens no consistent-read snapshot, so it may come before a caller's own
   * locking reads that rely on that. Joins the caller's transaction (there must be one).
   *
   * @throws ProblemException.Unauthorized when the account is erased or not active
   */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  public void lockActive(String accountId) {
    if (accounts
        .findByIdForUpdate(accountId)
        .filter(a -> a.status() == AccountStatus.ACTIVE)
        .isEmpty()) {
      throw new ProblemException.Unauthorized("The account is not active.");
    }
  }

  /** The claims about an active account, for ID tokens and userinfo. */
  @Transactional(readOnly = true)
  public Optional<AccountClaims> claims(String accountId) {
    return accounts
        .findById(accountId)
        .filter(a -> a.status() == AccountStatus.ACTIVE)
        .map(
            a ->
                new AccountClaims(
                    a.id(),
                    a.email(),
                    a.emailVerified(),
                    a.givenName(),
                    a.familyName(),
                    a.assurance(),
                    rolesOf(a)));
  }

  @Transactional(readOnly = true)
  AccountBodies.Profile profile(String accountId) {
    return toProfile(active(accountId));
  }

  @Transactional
  AccountBodies.Profile updateProfile(String accountId, AccountBodies.ProfileUpdate update) {
    Account account = active(accountId);
    String givenName =
        update.givenName() == null ? account.givenName() : name("givenName", update.givenName());
    String familyName =
        update.familyName() == null
            ? account.familyName()
            : name("familyName", update.familyName());
    String postcode =
        update.postcode() == null ? account.postcode() : postcode("postcode", update.postcode());
    LocalDate dateOfBirth =
        update.dateOfBirth() == null
            ? account.dateOfBirth()
            : dateOfBirth("dateOfBirth", update.dateOfBirth());
    String nhsNumber =
        update.nhsNumber() == null ? account.nhsNumber() : nhsNumber(update.nhsNumber());
    // Only the profile columns, and only while active: a concurrent reset or erasure is never
    // undone by writing back the row read above.
    Instant now = clock.instant();
    if (accounts.updateProfile(
            accountId, givenName, familyName, postcode, dateOfBirth, nhsNumber, now)
        != 1) {
      throw new ProblemException.Unauthorized("The account is not active.");
    }
    if (update.postcode() != null) {
      // Whenever the request sets a postcode, even the one read above: a concurrent update may
      // have changed it since. The ledger compares areas under its own lock.
      uptake.moved(accountId, postcode, now);
    }
    if (!Objects.equals(nhsNumber, account.nhsNumber())
        || !Objects.equals(dateOfBirth, account.dateOfBirth())) {
      // What partners match on changed: the ids they know the account by must stop working.
      events.publishEvent(new AccountEvent.IdentityChanged(accountId));
    }
    LOG.info("profile updated id={}", accountId);
    return toProfile(active(accountId));
  }

  /**
   * Erases the account (UK GDPR Art. 17): personal data removed, sign-in impossible, the address
   * free to register again. The id stays as a pseudonym for what audit must keep. The password is
   * checked first, outside any transaction: no database connection or row lock is held while
   * Argon2id runs or waits for a permit. The erasure then proceeds only if the password hash is
   * still the one checked.
   */
  void erase(String accountId, String password) {
    String checked =
        accounts
            .findById(accountId)
            .filter(a -> a.status() == AccountStatus.ACTIVE)
            .map(Account::passwordHash)
            .orElseThrow(() -> new ProblemException.Unauthorized("The account is not active."));
    if (!hasher.matches(PasswordPolicy.normalise(password), checked)) {
      throw new ProblemException.Forbidden("The password is not right.");
    }
    transactions.executeWrite(
        status -> {
          eraseChecked(accountId, checked);
          return null;
        });
  }

  /** The erasure's transaction, once the password has been checked against {@code checked}. */
  private void eraseChecked(String accountId, String checked) {
    // The account's row first, before anything of other features: a link being stored for the
    // account (which locks the row first too, lockActive) commits before, and goes with the
    // account's other links, or finds the account erased. Always account, then the rest: no
    // deadlock between the two.
    Account account =
        accounts
            .findByIdForUpdate(accountId)
            .filter(a -> a.status() == AccountStatus.ACTIVE)
            .orElseThrow(() -> new ProblemException.Unauthorized("The account is not active."));
    if (!account.passwordHash().equals(checked)) {
      // Reset or re-hashed since it was checked: the password given may no longer be the one.
      throw new ProblemException.Conflict("The password changed meanwhile. Try again.");
    }
    events.publishEvent(new AccountEvent.Erased(accountId));
    tokens.deleteByAccountId(accountId);
    roles.deleteByAccountId(accountId);
    Instant now = clock.instant();
    accounts.update(account.erased(now));
    uptake.erased(accountId, now);
    LOG.info("account erased id={}", accountId);
    // Last: the audit chain's lock is held only until the commit. The id stays as the subject, a
    // pseudonym once the account's personal data is gone.
    audit.append(
        AuditEvent.of(
            AuditAction.ERASURE, AuditOutcome.SUCCESS, Actor.account(accountId), accountId));
  }

  /**
   * Sets an account's staff roles (administration). Takes effect in tokens issued from the next
   * sign-in or refresh on. Audited with the roles the account now holds as the event's record ids.
   *
   * @param admin who set them
   */
  @Transactional
  List<Role> setRoles(String accountId, Set<Role> wanted, Actor admin) {
    Account account =
        accounts
            .findById(accountId)
            .filter(a -> a.status() == AccountStatus.ACTIVE)
            .orElseThrow(ProblemException.NotFound::new);
    roles.deleteByAccountId(accountId);
    Instant now = clock.instant();
    for (Role role : wanted) {
      roles.grant(accountId, role.name(), now);
    }
    LOG.info("roles set id={} roles={}", accountId, wanted);
    List<Role> held = rolesOf(account).stream().sorted().toList();
    audit.append(
        new AuditEvent(
            AuditAction.ADMIN_ROLES_SET,
            AuditOutcome.SUCCESS,
            admin,
            null,
            null,
            accountId,
            held.stream().map(Role::name).toList()));
    return held;
  }

  /**
   * Everything held about the resident (UK GDPR Art. 15), one document. A writing transaction: the
   * export is audited in it, so no export is handed out unrecorded.
   */
  @Transactional
  Map<String, Object> export(String accountId) {
    Account account = active(accountId);
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("exportedAt", clock.instant().toString());
    document.put("account", toProfile(account));
    document.put(
        "accountHistory",
        Map.of(
            "createdAt", account.createdAt().toString(),
            "emailVerifiedAt", String.valueOf(account.emailVerifiedAt()),
            "lastSignInAt", String.valueOf(account.lastSignInAt()),
            "status", account.status().name()));
    document.put(
        "emailTokens",
        tokens.findByAccountId(accountId).stream()
            .map(
                t ->
                    Map.of(
                        "purpose", t.purpose().name(),
                        "createdAt", t.createdAt().toString(),
                        "expiresAt", t.expiresAt().toString(),
                        "used", t.usedAt() != null))
            .toList());
    for (ExportContributor contributor : exportContributors) {
      document.put(contributor.section(), contributor.export(accountId));
    }
    LOG.info("account exported id={}", accountId);
    audit.append(
        AuditEvent.of(
            AuditAction.EXPORT, AuditOutcome.SUCCESS, Actor.account(accountId), accountId));
    return document;
  }

  private Account active(String accountId) {
    return accounts
        .findById(accountId)
        .filter(a -> a.status() == AccountStatus.ACTIVE)
        .orElseThrow(() -> new ProblemException.Unauthorized("The account is not active."));
  }

  private Set<Role> rolesOf(Account account) {
    Set<Role> granted = EnumSet.noneOf(Role.class);
    granted.addAll(roles.findRolesByAccountId(account.id()));
    String bootstrap = portalConfig.bootstrapAdminEmail();
    if (PortalConfig.isSet(bootstrap)
        && account.emailVerified()
        && Emails.normalise(bootstrap).equals(account.email())) {
      granted.add(Role.ADMIN);
      granted.add(Role.MANAGER);
    }
    return granted;
  }

  private AccountBodies.Profile toProfile(Account a) {
    return new AccountBodies.Profile(
        a.id(),
        a.email(),
        a.emailVerified(),
        a.givenName(),
        a.familyName(),
        a.postcode(),
        a.dateOfBirth() == null ? null : a.dateOfBirth().toString(),
        a.nhsNumber(),
        a.assurance(),
        rolesOf(a).stream().sorted().toList());
  }

  private String issueToken(String accountId, AccountToken.Purpose purpose, Instant now) {
    String token = secrets.generate();
    Instant expires =
        now.plus(
            purpose == AccountToken.Purpose.VERIFY_EMAIL
                ? tokenConfig.emailVerificationTtl()
                : tokenConfig.passwordResetTtl());
    tokens.save(
        new AccountToken(
            UUID.randomUUID().toString(),
            accountId,
            purpose,
            SecretTokens.hash(token),
            now,
            expires,
            null));
    return token;
  }

  /** Finds an unused, unexpired token and marks it used, atomically (single use). */
  private AccountToken useToken(String token, AccountToken.Purpose purpose) {
    AccountToken stored = findToken(token, purpose);
    if (tokens.use(stored.id(), clock.instant()) != 1) {
      throw new ProblemException.InvalidToken();
    }
    return stored;
  }

  private AccountToken findToken(String token, AccountToken.Purpose purpose) {
    if (!SecretTokens.wellFormed(token)) {
      throw new ProblemException.InvalidToken();
    }
    return tokens
        .findByTokenHashAndPurpose(SecretTokens.hash(token), purpose)
        .filter(t -> t.usedAt() == null && t.expiresAt().isAfter(clock.instant()))
        .orElseThrow(ProblemException.InvalidToken::new);
  }

  private static String name(String field, String value) {
    String name = value.strip();
    if (name.isEmpty()) {
      throw new ProblemException.InvalidField(field, "is required");
    }
    if (!NAME.matcher(name).matches()) {
      // Names appear in emails the council sends: no links, digits or symbols can ride in them.
      throw new ProblemException.InvalidField(
          field, "may contain only letters, spaces, hyphens, apostrophes and full stops");
    }
    return name;
  }

  private static String postcode(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String postcode = Postcodes.normalise(value);
    if (postcode == null) {
      throw new ProblemException.InvalidField(field, "must be a UK postcode like LE1 6ZG");
    }
    return postcode;
  }

  private LocalDate dateOfBirth(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      LocalDate date = LocalDate.parse(value.strip());
      if (date.isBefore(OLDEST_BIRTH_DATE) || date.isAfter(LocalDate.now(clock))) {
        throw new ProblemException.InvalidField(field, "must be a past date after 1900");
      }
      return date;
    } catch (DateTimeParseException e) {
      throw new ProblemException.InvalidField(field, "must be a date like 1980-12-31");
    }
  }

  private static String nhsNumber(String value) {
    if (value.isBlank()) {
      return null;
    }
    String nhsNumber = NhsNumbers.normalise(value);
    if (nhsNumber == null) {
      throw new ProblemException.InvalidField(
          "nhsNumber", "must be a valid 10-digit NHS number (the check digit does not match)");
    }
    return nhsNumber;
  }
}
