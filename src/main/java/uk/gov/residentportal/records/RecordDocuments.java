package uk.gov.residentportal.records;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.DeadlockRetry;
import uk.gov.residentportal.web.ProblemException;

/**
 * Documents of records, uploaded by the back-office system that owns the record. A document is
 * named within its record; the same name again replaces it. Every check that needs no database
 * (owner, name, size, type from the bytes) runs first, so a refused upload writes nothing; the
 * metadata and the bytes are then written in one transaction (the default {@link DocumentStore}
 * keeps the bytes in the same database), so a failed upload leaves nothing half-written either.
 */
@Singleton
public class RecordDocuments {
  private static final Logger LOG = LoggerFactory.getLogger(RecordDocuments.class);

  static final int MAX_NAME_LENGTH = 200;

  private final RecordRepository records;
  private final RecordDocumentRepository documents;
  private final DocumentStore store;
  private final DocumentTypes types;
  private final RecordsConfig config;
  private final Clock clock;
  private final TransactionOperations<Connection> transactions;

  RecordDocuments(
      RecordRepository records,
      RecordDocumentRepository documents,
      DocumentStore store,
      DocumentTypes types,
      RecordsConfig config,
      Clock clock,
      TransactionOperations<Connection> transactions) {
    this.records = records;
    this.documents = documents;
    this.store = store;
    this.types = types;
    this.config = config;
    this.clock = clock;
    this.transactions = transactions;
  }

  /** A stored document, and whether it is new (rather than a replacement of one by that name). */
  public record Stored(
      String id, String name, String contentType, long size, String sha256, boolean created) {}

  /**
   * Stores {@code content} as the document {@code name} of the record {@code (sourceSystem,
   * externalRef)}, for the back-office system {@code callerSystem}.
   *
   * @throws ProblemException.Forbidden when the record belongs to another system
   * @throws ProblemException.InvalidField when the name is not a safe file name, or no content
   * @throws ProblemException.PayloadTooLarge over {@code portal.records.document-max-size}
   * @throws ProblemException.UnsupportedMediaType when the bytes are not of an allowed type
   * @throws ProblemException.NotFound when the record does not exist
   */
  public Stored put(
      String callerSystem, String sourceSystem, String externalRef, String name, byte[] content) {
    RecordIngestion.requireOwnSystem(callerSystem, sourceSystem);
    checkName(name);
    if (content == null || content.length == 0) {
      throw new ProblemException.InvalidField("body", "must hold the document's bytes");
    }
    if (content.length > config.documentMaxSize()) {
      throw new ProblemException.PayloadTooLarge(
          "A document may be at most " + config.documentMaxSize() + " bytes.");
    }
    String contentType =
        types
            .allowedTypeOf(content)
            .orElseThrow(
                () ->
                    new ProblemException.UnsupportedMediaType(
                        "The content is not a PDF, PNG, JPEG, TIFF or plain text file (judged by"
                            + " its bytes, not its name or Content-Type)."));
    if (!DocumentTypes.nameFits(name, contentType)) {
      throw new ProblemException.UnsupportedMediaType(
          "The content is "
              + contentType
              + " but the name does not end in ."
              + DocumentTypes.extensionsOf(contentType).replace(", ", " or .")
              + ": a resident saving it must get what was checked.");
    }
    String sha256 = DigestUtils.sha256Hex(content);
    return DeadlockRetry.run(
        () ->
            transactions.executeWrite(
                status -> store(sourceSystem, externalRef, name, content, contentType, sha256)));
  }

  private Stored store(
      String sourceSystem,
      String externalRef,
      String name,
      byte[] content,
      String contentType,
      String sha256) {
    // The record's row lock queues concurrent uploads to one record, so two first uploads of one
    // name cannot both insert.
    Record record =
        records
            .findForUpdate(sourceSystem, externalRef)
            .orElseThrow(ProblemException.NotFound::new);
    Instant now = clock.instant();
    String key = store.put(content);
    var existing = documents.findByRecordIdAndName(record.id(), name);
    if (existing.isPresent()) {
      RecordDocument old = existing.get();
      RecordDocument replaced =
          documents.update(
              new RecordDocument(
                  old.id(),
                  record.id(),
                  name,
                  contentType,
                  content.length,
                  sha256,
                  key,
                  old.createdAt(),
                  now));
      // Keys are never reused: the old bytes go once nothing points at them.
      store.delete(old.storageKey());
      LOG.info("document replaced id={} record={}", old.id(), record.id());
      return view(replaced, false);
    }
    RecordDocument created =
        documents.save(
            new RecordDocument(
                UUID.randomUUID().toString(),
                record.id(),
                name,
                contentType,
                content.length,
                sha256,
                key,
                now,
                now));
    LOG.info("document created id={} record={}", created.id(), record.id());
    return view(created, true);
  }

  private static Stored view(RecordDocument document, boolean created) {
    return new Stored(
        document.id(),
        document.name(),
        document.contentType(),
        document.sizeBytes(),
        document.sha256(),
        created);
  }

  /**
   * A name that is safe as a file name wherever it ends up (a download's Content-Disposition, a
   * resident's disk): no path separators, no control or invisible formatting characters (a
   * right-to-left override can disguise "exe.pdf"), not hidden, no padding the database would
   * ignore when comparing names.
   */
  static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw invalidName("is required");
    }
    if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
      throw invalidName("must be at most " + MAX_NAME_LENGTH + " characters");
    }
    if (name.startsWith(".")) {
      throw invalidName("must not start with '.'");
    }
    if (!name.equals(name.strip())) {
      throw invalidName("must not start or end with spaces");
    }
    boolean unsafe =
        name.codePoints()
            .anyMatch(
                c ->
                    c == '/'
                        || c == '\\'
                        || Character.isISOControl(c)
                        || switch (Character.getType(c)) {
                          case Character.FORMAT,
                              Character.LINE_SEPARATOR,
                              Character.PARAGRAPH_SEPARATOR,
                              Character.SURROGATE,
                              Character.PRIVATE_USE,
                              Character.UNASSIGNED ->
                              true;
                          default -> false;
                        });
    if (unsafe) {
      throw invalidName(
          "must not contain '/', '\\', control characters or invisible formatting characters");
    }
  }

  private static ProblemException.InvalidField invalidName(String message) {
    return new ProblemException.InvalidField("name", message);
  }
}
