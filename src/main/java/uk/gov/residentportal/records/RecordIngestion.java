package uk.gov.residentportal.records;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.DefaultTransactionDefinition;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.account.Assurance;
import uk.gov.residentportal.shared.DeadlockRetry;
import uk.gov.residentportal.shared.NhsNumbers;
import uk.gov.residentportal.shared.Postcodes;
import uk.gov.residentportal.web.ProblemException;

/**
 * Records from back-office systems: the idempotent, ordered upsert. A record is keyed by {@code
 * (sourceSystem, externalRef)}; the source's own {@code updatedAt} orders changes, so a late, older
 * message can never overwrite a newer one, and the same message twice changes nothing.
 *
 * <p>Writes run in READ COMMITTED transactions of their own. Under InnoDB's default REPEATABLE
 * READ, the locking look-up of a key that does not exist yet takes a gap lock, and two systems
 * creating neighbouring new keys (sequential references land in the same gap) would deadlock each
 * other on every insert. Without gap locks, two requests creating the same key race to the unique
 * key {@code (source_system, external_ref)}: the loser gets a duplicate-key error, and its whole
 * transaction runs again and finds the winner's record. Deadlocks that remain (a subject's row
 * shared by concurrent upserts) are retried the same way ({@link DeadlockRetry}).
 *
 * <p>Any back-office system may write records about a subject of any type: a parking system may
 * well hold something about a council tax account. The resident sees each record's {@code
 * sourceSystem}, so a record is always attributed to the system that wrote it. What only the
 * subject type's authority may do ({@code portal.records.subject-authorities}, {@link
 * RecordsConfig#isAuthority}) is vouch for the subject itself: set its {@code subjectPostcode},
 * which linking by reference and postcode matches (others get 403), and issue one-time linking
 * codes for it ({@link LinkCodes}).
 */
@Singleton
public class RecordIngestion {
  private static final Logger LOG = LoggerFactory.getLogger(RecordIngestion.class);

  static final Pattern SOURCE_SYSTEM = Pattern.compile("^[A-Z][A-Z0-9_]{0,39}$");
  static final Pattern EXTERNAL_REF = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:\\-]{0,99}$");
  private static final Pattern SUBJECT_REF = Pattern.compile("^[A-Z0-9][A-Z0-9/\\-]{0,63}$");
  private static final Pattern UPRN = Pattern.compile("^[0-9]{1,12}$");
  // A source clock a little ahead is tolerated; far ahead would block every later update.
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
  // A lost create race needs one more run; a few more cover a burst of them.
  private static final int RACE_ATTEMPTS = 4;
  private static final TransactionDefinition WRITE = readCommitted();

  private final RecordRepository records;
  private final RecordSubjectRepository subjects;
  private final RecordsConfig config;
  private final Clock clock;
  private final TransactionOperations<Connection> transactions;

  RecordIngestion(
      RecordRepository records,
      RecordSubjectRepository subjects,
      RecordsConfig config,
      Clock clock,
      TransactionOperations<Connection> transactions) {
    this.records = records;
    this.subjects = subjects;
    this.config = config;
    this.clock = clock;
    this.transactions = transactions;
  }

  /** What an upsert did. */
  public enum Outcome {
    CREATED,
    UPDATED,
    /** The same {@code updatedAt} as stored: a replay, nothing changed. */
    UNCHANGED
  }

  public record Result(String recordId, Outcome outcome) {}

  /** An upsert whose fields were all checked and put in canonical form. */
  record Checked(
      String sourceSystem,
      String externalRef,
      SubjectType subjectType,
      String subjectRef,
      String postcode,
      String category,
      String title,
      String status,
      String summary,
      boolean residentVisible,
      boolean partnerShareable,
      Assurance minAssurance,
      Instant updatedAt) {

    @Override
    public String toString() {
      // References, postcodes, titles and summaries may be personal data.
      return "Checked[source=" + sourceSystem + ", category=" + category + "]";
    }
  }

  /**
   * Creates or updates the record {@code (sourceSystem, externalRef)} for the back-office system
   * {@code callerSystem} (the {@code source_system} of its token).
   *
   * @throws ProblemException.Forbidden when the caller writes for another system
   * @throws ProblemException.InvalidField naming the first bad field
   * @throws ProblemException.Conflict when {@code updatedAt} is older than the stored one
   */
  public Result upsert(
      String callerSystem, String sourceSystem, String externalRef, RecordUpsert body) {
    requireOwnSystem(callerSystem, sourceSystem);
    Checked checked = check(sourceSystem, externalRef, body);
    return inTransaction(() -> store(checked));
  }

  /**
   * Stores checked upserts in order, all in one transaction: any failure (a stale item, a lost
   * race) rolls back every one of them.
   */
  List<Result> storeAll(List<Checked> items) {
    return inTransaction(() -> items.stream().map(this::store).toList());
  }

  /**
   * Runs {@code work} in a READ COMMITTED transaction, and again (from the start, in a new
   * transaction) when it lost a race for a unique key or was chosen as a deadlock victim. Callers
   * must not hold a transaction of their own: a retry is only safe for a whole transaction.
   */
  <T> T inTransaction(Supplier<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return DeadlockRetry.run(() -> transactions.execute(WRITE, status -> work.get()));
      } catch (RuntimeException e) {
        if (attempt >= RACE_ATTEMPTS || !isDuplicateKey(e)) {
          throw e;
        }
        LOG.debug("record upsert lost a race for a unique key; attempt {} again", attempt + 1);
      }
    }
  }

  private static boolean isDuplicateKey(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      // MySQL and MariaDB: ER_DUP_ENTRY; H2: SQLSTATE 23505 (unique index violated).
      if (t instanceof SQLException sql
          && (sql.getErrorCode() == 1062 || "23505".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private static TransactionDefinition readCommitted() {
    DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
    definition.setIsolationLevel(TransactionDefinition.Isolation.READ_COMMITTED);
    definition.setName("record-upsert");
    return definition;
  }

  static void requireOwnSystem(String callerSystem, String sourceSystem) {
    if (callerSystem == null || !callerSystem.equals(sourceSystem)) {
      throw new ProblemException.Forbidden(
          "This client may write only records of its own source system.");
    }
  }

  /**
   * The subject's postcode is the secret that linking by reference and postcode checks: only an
   * authority of the subject's type may set it ({@link RecordsConfig#subjectAuthorities()}). Any
   * postcode from another system is refused, even the one already held: accepting that one would
   * tell the system whether its guess was right.
   */
  private void requireAuthority(SubjectType type, String sourceSystem) {
    if (!config.isAuthority(type, sourceSystem)) {
      List<String> systems = config.authoritiesFor(type).orElseThrow();
      throw new ProblemException.Forbidden(
          "Only "
              + String.join(" or ", systems)
              + " may set subjectPostcode for "
              + type.name()
              + " subjects. Send the record without it.");
    }
  }

  /** Checks every field; the first bad one is named. Needs no database. */
  Checked check(String sourceSystem, String externalRef, RecordUpsert body) {
    if (sourceSystem == null || !SOURCE_SYSTEM.matcher(sourceSystem).matches()) {
      throw invalid("sourceSystem", "must be an upper-case system name");
    }
    if (externalRef == null || !EXTERNAL_REF.matcher(externalRef).matches()) {
      throw invalid("externalRef", "must be 1 to 100 letters, digits, '.', '_', ':' or '-'");
    }
    if (body == null) {
      throw invalid("body", "is required");
    }
    SubjectType subjectType = subjectType(body.subjectType());
    String subjectRef = subjectRef(subjectType, body.subjectRef());
    String postcode = null;
    if (body.subjectPostcode() != null && !body.subjectPostcode().isBlank()) {
      requireAuthority(subjectType, sourceSystem);
      postcode = Postcodes.normalise(body.subjectPostcode());
      if (postcode == null) {
        throw invalid("subjectPostcode", "must be a UK postcode");
      }
    }
    String category = body.category() == null ? null : body.category().toUpperCase(Locale.ROOT);
    if (category == null || !config.categories().containsKey(category)) {
      throw invalid(
          "category", "must be one of " + String.join(", ", config.categories().keySet()));
    }
    String title = text("title", body.title(), 200, true);
    String status = text("status", body.status(), 60, false);
    String summary = text("summary", body.summary(), 4000, false);
    if (body.residentVisible() == null) {
      throw invalid("residentVisible", "is required");
    }
    Assurance minAssurance = Assurance.P1;
    if (body.minAssurance() != null) {
      try {
        minAssurance = Assurance.valueOf(body.minAssurance().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw invalid("minAssurance", "must be P0, P1 or P2");
      }
    }
    Instant updatedAt = updatedAt(body.updatedAt());
    return new Checked(
        sourceSystem,
        externalRef,
        subjectType,
        subjectRef,
        postcode,
        category,
        title,
        status,
        summary,
        body.residentVisible(),
        Boolean.TRUE.equals(body.partnerShareable()),
        minAssurance,
        updatedAt);
  }

  /** Stores a checked upsert; the caller holds the transaction ({@link #inTransaction}). */
  Result store(Checked c) {
    Instant now = clock.instant();
    String subjectId = subjectId(c.subjectType(), c.subjectRef(), c.postcode(), now);
    var existing = records.findForUpdate(c.sourceSystem(), c.externalRef());
    if (existing.isEmpty()) {
      Record created =
          records.save(
              new Record(
                  UUID.randomUUID().toString(),
                  c.sourceSystem(),
                  c.externalRef(),
                  subjectId,
                  c.category(),
                  c.title(),
                  c.status(),
                  c.summary(),
                  c.residentVisible(),
                  c.partnerShareable(),
                  c.minAssurance(),
                  c.updatedAt(),
                  now,
                  now));
      LOG.info("record created id={} source={}", created.id(), c.sourceSystem());
      return new Result(created.id(), Outcome.CREATED);
    }
    Record stored = existing.get();
    int order = c.updatedAt().compareTo(stored.sourceUpdatedAt());
    if (order < 0) {
      throw new ProblemException.Conflict(
          "A newer version of this record is already stored (updatedAt "
              + stored.sourceUpdatedAt()
              + ").");
    }
    if (order == 0) {
      return new Result(stored.id(), Outcome.UNCHANGED);
    }
    records.update(
        new Record(
            stored.id(),
            stored.sourceSystem(),
            stored.externalRef(),
            subjectId,
            c.category(),
            c.title(),
            c.status(),
            c.summary(),
            c.residentVisible(),
            c.partnerShareable(),
            c.minAssurance(),
            c.updatedAt(),
            stored.createdAt(),
            now));
    LOG.info("record updated id={} source={}", stored.id(), c.sourceSystem());
    return new Result(stored.id(), Outcome.UPDATED);
  }

  private String subjectId(SubjectType type, String ref, String postcode, Instant now) {
    subjects.createIfAbsent(UUID.randomUUID().toString(), type.name(), ref, now);
    RecordSubject subject =
        subjects
            .findBySubjectTypeAndSubjectRef(type, ref)
            .orElseThrow(() -> new IllegalStateException("subject vanished after insert"));
    if (postcode != null && !Objects.equals(postcode, subject.postcode())) {
      subjects.updatePostcode(subject.id(), postcode, now);
    }
    return subject.id();
  }

  private static SubjectType subjectType(String text) {
    if (text == null) {
      throw invalid("subjectType", "is required");
    }
    try {
      return SubjectType.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("subjectType", "must be COUNCIL_TAX_ACCOUNT, PROPERTY, PERSON or NHS_NUMBER");
    }
  }

  /** The subject reference in canonical form (upper case, no spaces). */
  static String subjectRef(SubjectType type, String text) {
    if (text == null || text.isBlank()) {
      throw invalid("subjectRef", "is required");
    }
    String ref = text.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    switch (type) {
      case NHS_NUMBER -> {
        String nhs = NhsNumbers.normalise(ref);
        if (nhs == null) {
          throw invalid("subjectRef", "must be a valid NHS number");
        }
        return nhs;
      }
      case PROPERTY -> {
        if (!UPRN.matcher(ref).matches()) {
          throw invalid("subjectRef", "must be a UPRN of 1 to 12 digits");
        }
        return ref;
      }
      default -> {
        if (!SUBJECT_REF.matcher(ref).matches()) {
          throw invalid("subjectRef", "must be 1 to 64 letters, digits, '/' or '-'");
        }
        return ref;
      }
    }
  }

  private Instant updatedAt(String text) {
    if (text == null) {
      throw invalid("updatedAt", "is required");
    }
    Instant value;
    try {
      value = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid("updatedAt", "must be an ISO 8601 date-time with offset");
    }
    if (value.isAfter(clock.instant().plus(CLOCK_SKEW))) {
      throw invalid("updatedAt", "must not be in the future");
    }
    if (value.isBefore(EARLIEST)) {
      // Far-past instants would overflow epoch microseconds; no council record is that old.
      throw invalid("updatedAt", "must be after 1900-01-01T00:00:00Z");
    }
    // The database keeps microseconds: compare what will be stored.
    return value.truncatedTo(ChronoUnit.MICROS);
  }

  private static String text(String field, String value, int max, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) {
        throw invalid(field, "is required");
      }
      return null;
    }
    String trimmed = value.strip();
    if (trimmed.codePointCount(0, trimmed.length()) > max) {
      throw invalid(field, "must be at most " + max + " characters");
    }
    return trimmed;
  }

  private static ProblemException.InvalidField invalid(String field, String message) {
    return new ProblemException.InvalidField(field, message);
  }
}
