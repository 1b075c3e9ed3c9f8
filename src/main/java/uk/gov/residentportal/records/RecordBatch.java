package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanProperty;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.SQLTransactionRollbackException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.web.Problem;
import uk.gov.residentportal.web.ProblemException;
import uk.gov.residentportal.web.ProblemType;

/**
 * Upserts as JSON from back-office systems: a batch, or one record. Each item is read, checked and
 * stored on its own terms, so that a bad item (a wrong field, a value of the wrong JSON type,
 * another system's record, a stale update) fails alone and never spoils the others; a single PUT is
 * read the same way, so a value of the wrong JSON type is named like any other bad field.
 *
 * <p>Items are written in chunks of {@value #CHUNK} per transaction, so that a batch neither holds
 * locks for its whole length nor pays a commit per item. A chunk that fails (an item turned out
 * stale, a deadlock that outlived its retries) is rolled back as a whole and written again one item
 * per transaction, which tells the good items from the bad one.
 */
@Singleton
public class RecordBatch {
  private static final Logger LOG = LoggerFactory.getLogger(RecordBatch.class);

  /** The most upserts a batch may hold (issue 4). */
  public static final int MAX_ITEMS = 1000;

  static final int CHUNK = 100;

  private static final String FAILED = "FAILED";
  private static final BeanIntrospection<RecordUpsert> UPSERT =
      BeanIntrospection.getIntrospection(RecordUpsert.class);

  private final RecordIngestion ingestion;
  private final JsonMapper json;

  RecordBatch(RecordIngestion ingestion, JsonMapper json) {
    this.ingestion = ingestion;
    this.json = json;
  }

  /** The result of one item, in the order of the batch. */
  public record ItemOutcome(
      @Nullable String externalRef,
      @Nullable String recordId,
      String status,
      @Nullable ProblemException problem) {

    /** The problem as the caller sees it, without a request id (the batch's answer has one). */
    @Nullable
    public Problem problemDocument() {
      if (problem == null) {
        return null;
      }
      ProblemType type = problem.problemType();
      return new Problem(
          type.uri(),
          type.title(),
          type.status().getCode(),
          problem.getMessage(),
          null,
          problem.errors().isEmpty() ? null : problem.errors());
    }
  }

  /**
   * Applies the batch {@code body} ({@code {"records": [...]}}) for the back-office system {@code
   * callerSystem}.
   *
   * @throws ProblemException.InvalidField when the body holds no list of records, or an empty one
   * @throws ProblemException.PayloadTooLarge when it holds more than {@value #MAX_ITEMS}
   */
  public List<ItemOutcome> apply(String callerSystem, JsonNode body) {
    List<JsonNode> items = items(body);
    ItemOutcome[] outcomes = new ItemOutcome[items.size()];
    List<Pending> pending = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String externalRef = textOrNull(item, "externalRef");
      try {
        pending.add(new Pending(i, read(callerSystem, item)));
      } catch (ProblemException e) {
        outcomes[i] = new ItemOutcome(externalRef, null, FAILED, e);
      }
    }
    for (int from = 0; from < pending.size(); from += CHUNK) {
      write(pending.subList(from, Math.min(from + CHUNK, pending.size())), outcomes);
    }
    List<ItemOutcome> results = Arrays.asList(outcomes);
    if (LOG.isInfoEnabled()) {
      Map<String, Long> counts = new TreeMap<>();
      results.forEach(r -> counts.merge(r.status(), 1L, Long::sum));
      LOG.info("records batch source={} items={} {}", callerSystem, results.size(), counts);
    }
    return results;
  }

  /**
   * One upsert outside a batch (PUT), its body read as a batch item's: a value of the wrong JSON
   * type is a 400 naming the field, like any other bad field.
   */
  public RecordIngestion.Result upsert(
      String callerSystem, String sourceSystem, String externalRef, JsonNode body) {
    RecordIngestion.requireOwnSystem(callerSystem, sourceSystem);
    if (body == null || !body.isObject()) {
      throw new ProblemException.InvalidField("body", "must be a JSON object");
    }
    return ingestion.upsert(callerSystem, sourceSystem, externalRef, upsert(body));
  }

  /** An item that passed every check that needs no database. */
  private record Pending(int index, RecordIngestion.Checked checked) {}

  private static List<JsonNode> items(JsonNode body) {
    JsonNode records = body == null || !body.isObject() ? null : body.get("records");
    if (records == null || records.isNull()) {
      throw new ProblemException.InvalidField("records", "is required");
    }
    if (!records.isArray()) {
      throw new ProblemException.InvalidField("records", "must be a list of records");
    }
    if (records.size() == 0) {
      throw new ProblemException.InvalidField("records", "must hold at least one record");
    }
    if (records.size() > MAX_ITEMS) {
      throw new ProblemException.PayloadTooLarge(
          "A batch holds at most "
              + MAX_ITEMS
              + " records; this one holds "
              + records.size()
              + ". Send it in parts.");
    }
    List<JsonNode> list = new ArrayList<>(records.size());
    records.values().forEach(list::add);
    return list;
  }

  /** Reads and checks one item; its own problem when it cannot be stored as it is. */
  private RecordIngestion.Checked read(String callerSystem, JsonNode item) {
    if (!item.isObject()) {
      throw new ProblemException.InvalidField("record", "must be a JSON object");
    }
    String sourceSystem = text(item, "sourceSystem");
    String externalRef = text(item, "externalRef");
    RecordIngestion.requireOwnSystem(callerSystem, sourceSystem);
    return ingestion.check(sourceSystem, externalRef, upsert(item));
  }

  /**
   * The upsert fields of {@code item}; unknown fields (such as an item's key) are ignored. Each
   * field must have its own JSON type: the mapper would read "yes" or 2 as a yes/no field (and
   * "maybe" as false), quietly hiding a record its system meant to show.
   */
  private RecordUpsert upsert(JsonNode item) {
    for (BeanProperty<RecordUpsert, Object> property : UPSERT.getBeanProperties()) {
      JsonNode value = item.get(property.getName());
      if (value == null || value.isNull()) {
        continue;
      }
      if (Boolean.class.equals(property.getType()) && !value.isBoolean()) {
        throw new ProblemException.InvalidField(property.getName(), "must be true or false");
      }
      if (String.class.equals(property.getType()) && !value.isString()) {
        throw new ProblemException.InvalidField(property.getName(), "must be text");
      }
    }
    try {
      return json.readValueFromTree(item, RecordUpsert.class);
    } catch (IOException | RuntimeException e) {
      throw new ProblemException.InvalidField("record", "could not be read");
    }
  }

  private static String text(JsonNode item, String field) {
    JsonNode value = item.get(field);
    if (value == null || value.isNull()) {
      throw new ProblemException.InvalidField(field, "is required");
    }
    if (!value.isString()) {
      throw new ProblemException.InvalidField(field, "must be text");
    }
    return value.getStringValue();
  }

  private static String textOrNull(JsonNode item, String field) {
    JsonNode value = item.isObject() ? item.get(field) : null;
    return value != null && value.isString() ? value.getStringValue() : null;
  }

  /** Writes one chunk in one transaction, or item by item when that fails. */
  private void write(List<Pending> chunk, ItemOutcome[] outcomes) {
    try {
      List<RecordIngestion.Result> results =
          ingestion.storeAll(chunk.stream().map(Pending::checked).toList());
      for (int i = 0; i < chunk.size(); i++) {
        outcomes[chunk.get(i).index()] = stored(chunk.get(i), results.get(i));
      }
      return;
    } catch (RuntimeException e) {
      LOG.debug("records batch chunk of {} rolled back; writing it item by item", chunk.size());
    }
    for (Pending item : chunk) {
      outcomes[item.index()] = writeOne(item);
    }
  }

  private ItemOutcome writeOne(Pending item) {
    String externalRef = item.checked().externalRef();
    try {
      RecordIngestion.Result result =
          ingestion.inTransaction(() -> ingestion.store(item.checked()));
      return stored(item, result);
    } catch (ProblemException e) {
      return new ItemOutcome(externalRef, null, FAILED, e);
    } catch (RuntimeException e) {
      if (!isDeadlock(e)) {
        // The database is out of reach or something is broken: the whole batch fails, and the
        // caller sends it again (upserts are idempotent, so the items already written replay).
        throw e;
      }
      LOG.warn("records batch item {} still deadlocked after retries", item.index());
      return new ItemOutcome(
          externalRef,
          null,
          FAILED,
          new ProblemException.Busy("The record was busy with other changes; send it again."));
    }
  }

  private static ItemOutcome stored(Pending item, RecordIngestion.Result result) {
    return new ItemOutcome(
        item.checked().externalRef(), result.recordId(), result.outcome().name(), null);
  }

  private static boolean isDeadlock(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransactionRollbackException) {
        return true;
      }
    }
    return false;
  }
}
