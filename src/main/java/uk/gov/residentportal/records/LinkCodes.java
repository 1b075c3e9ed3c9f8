package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.SecretBox;
import uk.gov.residentportal.web.ProblemException;

/**
 * One-time linking codes, printed by back-office systems on letters to an address: whoever holds
 * the letter may link an account to the subject once. 16 characters from an alphabet without the
 * look-alikes 0/O, 1/I/L and U (30 symbols, about 78 bits), so a code read off paper is typed
 * right; shown in groups of four. Only a keyed hash (HMAC under a key derived from the
 * key-encryption key) is stored: a database dump gives no code, nor a way to try every code
 * offline.
 */
@Singleton
class LinkCodes {
  private static final Logger LOG = LoggerFactory.getLogger(LinkCodes.class);

  /** A-Z without I, L, O, U; 2-9. */
  static final String ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

  static final int LENGTH = 16;
  private static final int GROUP = 4;
  private static final String HASH_PURPOSE = "link-code";

  private final LinkCodeRepository codes;
  private final RecordSubjectRepository subjects;
  private final RecordRepository records;
  private final SecretBox box;
  private final RecordsConfig config;
  private final SecureRandom random;
  private final Clock clock;

  LinkCodes(
      LinkCodeRepository codes,
      RecordSubjectRepository subjects,
      RecordRepository records,
      SecretBox box,
      RecordsConfig config,
      SecureRandom random,
      Clock clock) {
    this.codes = codes;
    this.subjects = subjects;
    this.records = records;
    this.box = box;
    this.config = config;
    this.random = random;
    this.clock = clock;
  }

  /**
   * A new code for a subject the calling system may vouch for: for a subject type with authorities
   * ({@code portal.records.subject-authorities}), only those systems; for any other type, a system
   * holding a record about the subject. Any other subject answers exactly as an unknown one: a
   * parking system can neither mint codes for council tax accounts (not even after writing a record
   * about one) nor learn which exist. An authority needs no record of its own about the subject: it
   * is the system of record for that type (a revenues system may print the letters for accounts
   * whose bills another system pushes).
   *
   * @param callerSystem the {@code source_system} of the caller's token
   * @throws ProblemException.InvalidField naming a missing or bad field
   * @throws ProblemException.NotFound for an unknown subject or one of another system
   */
  @Transactional
  LinkBodies.LinkCodeIssued issue(@Nullable String callerSystem, LinkBodies.LinkCodeRequest body) {
    if (callerSystem == null || callerSystem.isBlank()) {
      throw new ProblemException.Forbidden("Only a back-office system may issue linking codes.");
    }
    SubjectType type = subjectType(body.subjectType());
    String ref = RecordIngestion.subjectRef(type, body.subjectRef());
    RecordSubject subject =
        subjects
            .findBySubjectTypeAndSubjectRef(type, ref)
            .filter(s -> mayVouchFor(callerSystem, s))
            .orElseThrow(ProblemException.NotFound::new);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String code = newCode();
    LinkCode stored =
        codes.save(
            new LinkCode(
                UUID.randomUUID().toString(),
                subject.id(),
                hash(code),
                callerSystem,
                now,
                now.plus(config.linkCodeTtl()),
                null,
                null));
    LOG.info("link code issued id={} subject={} by={}", stored.id(), subject.id(), callerSystem);
    return new LinkBodies.LinkCodeIssued(grouped(code), stored.expiresAt());
  }

  private boolean mayVouchFor(String system, RecordSubject subject) {
    return config
        .authoritiesFor(subject.subjectType())
        .map(authorities -> authorities.contains(system))
        .orElseGet(() -> records.existsBySourceSystemAndSubjectId(system, subject.id()));
  }

  /**
   * Uses the code for {@code accountId} and answers its subject's id, or nothing when the code is
   * unknown, used or expired (without saying which). Joins the caller's transaction, before which
   * only locking reads may have run (Linking locks the account's row first): the code's row is read
   * locked too, so that no consistent-read snapshot is open yet and the rest of the transaction
   * reads current rows; it is marked used with a conditional update, so of two racing redeems
   * exactly one gets the subject.
   */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  Optional<String> redeem(String accountId, String typed) {
    Instant now = clock.instant();
    // Looked up by its hash whatever was typed: a malformed code costs the same as a wrong one.
    return codes
        .findByCodeHashForUpdate(hash(normalise(typed)))
        .filter(c -> c.usedAt() == null && c.expiresAt().isAfter(now))
        .filter(c -> codes.markUsed(c.id(), accountId, now) == 1)
        .map(LinkCode::subjectId);
  }

  /**
   * Clears the account from the codes it used (erasure); when they were used stays. Joins the
   * caller's transaction.
   */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  int forgetUser(String accountId) {
    return codes.clearUsedBy(accountId);
  }

  /** Deletes the codes that expired before {@code before} (housekeeping). */
  @Transactional
  int deleteExpired(Instant before) {
    return codes.deleteExpired(before);
  }

  /** What the resident typed, as issued: upper case, without spaces and hyphens. */
  static String normalise(String typed) {
    return typed.replaceAll("[\\s\\-]", "").toUpperCase(Locale.ROOT);
  }

  private String hash(String normalised) {
    return box.keyedHash(HASH_PURPOSE, normalised);
  }

  private String newCode() {
    StringBuilder code = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return code.toString();
  }

  static String grouped(String code) {
    StringBuilder shown = new StringBuilder(code.length() + code.length() / GROUP);
    for (int i = 0; i < code.length(); i += GROUP) {
      if (i > 0) {
        shown.append('-');
      }
      shown.append(code, i, Math.min(code.length(), i + GROUP));
    }
    return shown.toString();
  }

  private static SubjectType subjectType(@Nullable String text) {
    if (text == null || text.isBlank()) {
      throw new ProblemException.InvalidField("subjectType", "is required");
    }
    try {
      return SubjectType.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ProblemException.InvalidField(
          "subjectType", "must be COUNCIL_TAX_ACCOUNT, PROPERTY, PERSON or NHS_NUMBER");
    }
  }
}
