package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.account.Assurance;
import uk.gov.residentportal.records.ResidentRecordBodies.Detail;
import uk.gov.residentportal.records.ResidentRecordBodies.Document;
import uk.gov.residentportal.records.ResidentRecordBodies.Page;
import uk.gov.residentportal.records.ResidentRecordBodies.Summary;
import uk.gov.residentportal.web.ProblemException;

/**
 * A resident's own records: the ones of subjects the account is linked to, that the source system
 * marked resident-visible, and whose category and own minimum the account's assurance meets. The
 * assurance is the account's current one, not the token's {@code acr}: a new link shows its records
 * at once, and a removed one hides them at once.
 *
 * <p>Anything the resident may not see (someone else's record, a hidden one, one above their
 * assurance, a malformed id) is the same {@link ProblemException.NotFound} as a missing one, so
 * record ids cannot be probed.
 */
@Singleton
class ResidentRecords {
  private static final Logger LOG = LoggerFactory.getLogger(ResidentRecords.class);

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  // Ids are made by UUID.randomUUID().toString(): anything else cannot name a record or document.
  private static final Pattern ID =
      Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

  private final RecordQueries records;
  private final DocumentQueries documents;
  private final DocumentStore store;
  private final AccountService accounts;
  private final RecordsConfig config;

  ResidentRecords(
      RecordQueries records,
      DocumentQueries documents,
      DocumentStore store,
      AccountService accounts,
      RecordsConfig config) {
    this.records = records;
    this.documents = documents;
    this.store = store;
    this.accounts = accounts;
    this.config = config;
  }

  /**
   * A document to send: what the response headers need, and its bytes as a stream that has not read
   * anything yet (the store reads as the stream is consumed). The stream yields exactly {@code
   * size} bytes or fails; the caller closes it (the HTTP layer does, once it is sent).
   */
  record Download(
      String name, String contentType, long size, Instant updatedAt, InputStream content) {
    @Override
    public String toString() {
      // File names may hold personal data.
      return "Download[type=" + contentType + ", size=" + size + "]";
    }
  }

  /**
   * A page of the account's records, newest first ({@code source_updated_at DESC, id DESC}),
   * continuing below {@code cursor}. Keyset paging: records inserted while a resident pages appear
   * on the next page if older than where the resident is, or on a fresh first page if newer; none
   * is repeated and none is skipped.
   *
   * @param category one of the configured categories, or null for all; a category above the
   *     account's assurance gives an empty page, as it would with no records
   * @param limit at least 1 (the controller checks); more than {@value #MAX_LIMIT} gives {@value
   *     #MAX_LIMIT}
   */
  @Transactional(readOnly = true)
  Page list(
      String accountId,
      @Nullable String category,
      @Nullable String cursor,
      @Nullable Integer limit) {
    int size = limit == null ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
    if (size < 1) {
      throw new ProblemException.InvalidField("limit", "must be at least 1");
    }
    RecordCursor after = isBlank(cursor) ? RecordCursor.START : RecordCursor.parse(cursor);
    String wanted = isBlank(category) ? null : knownCategory(config, category);
    Assurance assurance = assuranceOf(accountId);
    List<String> categories = config.categoriesFor(assurance);
    if (wanted != null) {
      categories = categories.contains(wanted) ? List.of(wanted) : List.of();
    }
    if (categories.isEmpty()) {
      return new Page(List.of(), null);
    }
    // One more than the page: whether there is a next page, without counting.
    List<RecordQueries.Row> rows =
        records.pageOf(
            accountId, assurance.name(), categories, after.micros(), after.id(), size + 1);
    List<RecordQueries.Row> page = rows.size() > size ? rows.subList(0, size) : rows;
    String next = null;
    if (rows.size() > size) {
      RecordQueries.Row last = page.get(page.size() - 1);
      next = new RecordCursor(last.sourceUpdatedAt(), last.id()).encode();
    }
    return new Page(page.stream().map(ResidentRecords::summary).toList(), next);
  }

  /** One record with its documents' metadata. */
  @Transactional(readOnly = true)
  Detail get(String accountId, String recordId) {
    Record record = visible(accountId, recordId);
    List<Document> files =
        documents.findByRecordIdOrderByName(record.id()).stream()
            .map(d -> new Document(d.id(), d.name(), d.contentType(), d.sizeBytes()))
            .toList();
    return new Detail(
        record.id(),
        record.category(),
        record.title(),
        record.status(),
        record.summary(),
        record.sourceUpdatedAt(),
        record.sourceSystem(),
        files);
  }

  /**
   * A document of a record the resident may see; another record's document is not found. Every
   * check, and the store's check that the bytes exist, happens here, before the caller sends
   * anything; the bytes themselves are read later, chunk by chunk, outside this transaction.
   */
  @Transactional(readOnly = true)
  Download download(String accountId, String recordId, String documentId) {
    Record record = visible(accountId, recordId);
    if (documentId == null || !ID.matcher(documentId).matches()) {
      throw new ProblemException.NotFound();
    }
    RecordDocument document =
        documents
            .findByIdAndRecordId(documentId, record.id())
            .orElseThrow(ProblemException.NotFound::new);
    InputStream content =
        store
            .open(document.storageKey())
            .orElseThrow(
                () -> {
                  // Metadata without bytes: the store lost them. The resident sees "not found";
                  // operators see this line.
                  LOG.warn("document content missing id={} record={}", document.id(), record.id());
                  return new ProblemException.NotFound();
                });
    return new Download(
        document.name(),
        document.contentType(),
        document.sizeBytes(),
        document.updatedAt(),
        new ExactLengthInputStream(content, document.sizeBytes()));
  }

  private Record visible(String accountId, String recordId) {
    Assurance assurance = assuranceOf(accountId);
    List<String> categories = config.categoriesFor(assurance);
    if (recordId == null || !ID.matcher(recordId).matches() || categories.isEmpty()) {
      throw new ProblemException.NotFound();
    }
    return records
        .findVisible(recordId, accountId, assurance.name(), categories)
        .orElseThrow(ProblemException.NotFound::new);
  }

  private Assurance assuranceOf(String accountId) {
    return accounts
        .assuranceOf(accountId)
        .orElseThrow(() -> new ProblemException.Unauthorized("The account is not active."));
  }

  /** {@code category} in canonical form, or 400 naming the categories there are. */
  static String knownCategory(RecordsConfig config, String category) {
    String upper = category.strip().toUpperCase(Locale.ROOT);
    if (!config.categories().containsKey(upper)) {
      throw new ProblemException.InvalidField(
          "category",
          "must be one of "
              + String.join(", ", config.categories().keySet().stream().sorted().toList()));
    }
    return upper;
  }

  private static Summary summary(RecordQueries.Row row) {
    return new Summary(
        row.id(),
        row.category(),
        row.title(),
        row.status(),
        EpochMicros.toInstant(row.sourceUpdatedAt()),
        row.sourceSystem());
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
