package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.account.Assurance;
import uk.gov.residentportal.web.ProblemException;

/**
 * What an NHS partner may read of a resident's records: the records of subjects the account is
 * linked to that the resident may see themselves (resident-visible, within the account's
 * assurance), that the council marked {@code partnerShareable}, and whose category is among {@code
 * shared} (the categories the resident consented to share with this partner; the partner feature
 * decides them). Everything else is "not found", as for residents.
 *
 * <p>Methods join the caller's transaction, in which the partner feature also writes the audit
 * event of the read.
 */
@Singleton
public class PartnerRecords {
  private static final Logger LOG = LoggerFactory.getLogger(PartnerRecords.class);

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private static final Pattern ID =
      Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

  private final PartnerRecordQueries records;
  private final DocumentQueries documents;
  private final DocumentStore store;
  private final RecordsConfig config;

  PartnerRecords(
      PartnerRecordQueries records,
      DocumentQueries documents,
      DocumentStore store,
      RecordsConfig config) {
    this.records = records;
    this.documents = documents;
    this.store = store;
    this.config = config;
  }

  /** A record in a partner's list. */
  @Serdeable
  @Schema(name = "PartnerRecordSummary")
  public record Summary(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
      @Schema(
              description = "The record's category, e.g. HOUSING",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String category,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String title,
      @Nullable String status,
      @Schema(
              description = "When the council's system last changed it",
              requiredMode = Schema.RequiredMode.REQUIRED)
          Instant updatedAt,
      @Schema(
              description = "The council system it comes from",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String sourceSystem) {
    @Override
    public String toString() {
      return "PartnerRecordSummary[id=" + id + ", category=" + category + "]";
    }
  }

  /** A page of records, newest first; {@code nextCursor} is absent on the last page. */
  @Serdeable
  @Schema(name = "PartnerRecordPage")
  public record Page(
      List<Summary> records,
      @Schema(description = "Pass as cursor to get the next page; absent on the last page")
          @Nullable
          String nextCursor) {

    /** The ids of the records on this page (what the audit event lists). */
    public List<String> recordIds() {
      return records.stream().map(Summary::id).toList();
    }
  }

  /** A document of a record: fetch it from .../documents/{id}. */
  @Serdeable
  @Schema(name = "PartnerRecordDocument")
  public record Document(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
      @Schema(description = "The file name", requiredMode = Schema.RequiredMode.REQUIRED)
          String name,
      @Schema(description = "The stored media type", requiredMode = Schema.RequiredMode.REQUIRED)
          String contentType,
      @Schema(description = "Size in bytes", requiredMode = Schema.RequiredMode.REQUIRED)
          long size) {
    @Override
    public String toString() {
      return "PartnerRecordDocument[id=" + id + ", size=" + size + "]";
    }
  }

  /** One record with its documents. */
  @Serdeable
  @Schema(name = "PartnerRecord")
  public record Detail(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String category,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String title,
      @Nullable String status,
      @Nullable String summary,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant updatedAt,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String sourceSystem,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Document> documents) {
    @Override
    public String toString() {
      return "PartnerRecord[id=" + id + ", category=" + category + "]";
    }
  }

  /**
   * A document to send, as {@link ResidentRecords.Download}: headers' values and a stream that has
   * read nothing yet and yields exactly {@code size} bytes or fails. The caller closes it.
   */
  public record Download(
      String recordId,
      String name,
      String contentType,
      long size,
      Instant updatedAt,
      InputStream content) {
    /** {@code Content-Disposition: attachment} for the name, as residents' downloads send it. */
    public String contentDisposition() {
      return RecordsController.attachment(name);
    }

    @Override
    public String toString() {
      return "PartnerDownload[record=" + recordId + ", type=" + contentType + "]";
    }
  }

  /**
   * The categories of {@code consented} that an account at {@code assurance} may have read at all:
   * known to the service and within the assurance. Sorted.
   */
  public List<String> readable(Collection<String> consented, Assurance assurance) {
    return config.categoriesFor(assurance).stream().filter(consented::contains).toList();
  }

  /**
   * A page of the account's shareable records in the {@code shared} categories, newest first,
   * continuing below {@code cursor}.
   *
   * @param category one of the configured categories (400 otherwise), or null for all of {@code
   *     shared}; one not in {@code shared} gives an empty page
   * @param limit at least 1; more than {@value #MAX_LIMIT} gives {@value #MAX_LIMIT}; null {@value
   *     #DEFAULT_LIMIT}
   */
  @Transactional
  public Page list(
      String accountId,
      Assurance assurance,
      Collection<String> shared,
      @Nullable String category,
      @Nullable String cursor,
      @Nullable Integer limit) {
    int size = limit == null ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
    if (size < 1) {
      throw new ProblemException.InvalidField("limit", "must be at least 1");
    }
    RecordCursor after = isBlank(cursor) ? RecordCursor.START : RecordCursor.parse(cursor);
    List<String> categories = readable(shared, assurance);
    if (!isBlank(category)) {
      String wanted = ResidentRecords.knownCategory(config, category);
      categories = categories.contains(wanted) ? List.of(wanted) : List.of();
    }
    if (categories.isEmpty()) {
      return new Page(List.of(), null);
    }
    List<RecordQueries.Row> rows =
        records.pageOf(
            accountId, assurance.name(), categories, after.micros(), after.id(), size + 1);
    List<RecordQueries.Row> page = rows.size() > size ? rows.subList(0, size) : rows;
    String next = null;
    if (rows.size() > size) {
      RecordQueries.Row last = page.get(page.size() - 1);
      next = new RecordCursor(last.sourceUpdatedAt(), last.id()).encode();
    }
    return new Page(page.stream().map(PartnerRecords::summary).toList(), next);
  }

  /** One shareable record with its documents' metadata; empty when the partner may not read it. */
  @Transactional
  public Optional<Detail> get(
      String accountId, Assurance assurance, Collection<String> shared, String recordId) {
    return shareable(accountId, assurance, shared, recordId)
        .map(
            record ->
                new Detail(
                    record.id(),
                    record.category(),
                    record.title(),
                    record.status(),
                    record.summary(),
                    record.sourceUpdatedAt(),
                    record.sourceSystem(),
                    documents.findByRecordIdOrderByName(record.id()).stream()
                        .map(d -> new Document(d.id(), d.name(), d.contentType(), d.sizeBytes()))
                        .toList()));
  }

  /**
   * A document of a shareable record; empty when the partner may not read it (or the store lost its
   * bytes). The bytes are read later, outside the transaction, as the caller sends them.
   */
  @Transactional
  public Optional<Download> download(
      String accountId,
      Assurance assurance,
      Collection<String> shared,
      String recordId,
      String documentId) {
    if (documentId == null || !ID.matcher(documentId).matches()) {
      return Optional.empty();
    }
    Optional<Record> found = shareable(accountId, assurance, shared, recordId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Record record = found.get();
    Optional<RecordDocument> document = documents.findByIdAndRecordId(documentId, record.id());
    if (document.isEmpty()) {
      return Optional.empty();
    }
    RecordDocument d = document.get();
    Optional<InputStream> content = store.open(d.storageKey());
    if (content.isEmpty()) {
      LOG.warn("document content missing id={} record={}", d.id(), record.id());
      return Optional.empty();
    }
    return Optional.of(
        new Download(
            record.id(),
            d.name(),
            d.contentType(),
            d.sizeBytes(),
            d.updatedAt(),
            new ExactLengthInputStream(content.get(), d.sizeBytes())));
  }

  private Optional<Record> shareable(
      String accountId, Assurance assurance, Collection<String> shared, String recordId) {
    List<String> categories = readable(shared, assurance);
    if (recordId == null || !ID.matcher(recordId).matches() || categories.isEmpty()) {
      return Optional.empty();
    }
    return records.findShareable(recordId, accountId, assurance.name(), categories);
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
