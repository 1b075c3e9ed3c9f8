package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;

/**
 * Residents' reads of records: every query starts from the caller's own links, so a record of a
 * subject the account is not linked to is never read at all. Each answer is one indexed query (see
 * bench/records-explain.sh): record_links by its unique (account_id, subject_id), then records by
 * ix_records_subject_time (subject_id, source_updated_at, id) or by primary key.
 *
 * <p>Assurance is compared as text: 'P0' &lt; 'P1' &lt; 'P2' (V11__records.sql).
 */
@JdbcRepository(dialect = Dialect.MYSQL)
interface RecordQueries extends GenericRepository<Record, String> {

  /** A line of the resident's list: what the summary shows, nothing more. */
  @Introspected
  record Row(
      String id,
      String category,
      String title,
      @Nullable String status,
      long sourceUpdatedAt,
      String sourceSystem) {

    @Override
    public String toString() {
      // Titles may hold personal data.
      return "Row[id=" + id + ", category=" + category + "]";
    }
  }

  /**
   * Up to {@code limit} records of the account's linked subjects that it may see, newest first,
   * strictly below the keyset {@code (beforeMicros, beforeId)}. The row comparison is spelled out
   * (not {@code (a, b) < (?, ?)}) so that MySQL, MariaDB and H2 all use the index range for it.
   */
  @Query(
      """
      SELECT r.id, r.category, r.title, r.status, r.source_updated_at, r.source_system
        FROM record_links l
        JOIN records r ON r.subject_id = l.subject_id
       WHERE l.account_id = :accountId
         AND r.resident_visible = TRUE
         AND r.min_assurance <= :assurance
         AND r.category IN (:categories)
         AND (r.source_updated_at < :beforeMicros
              OR (r.source_updated_at = :beforeMicros AND r.id < :beforeId))
       ORDER BY r.source_updated_at DESC, r.id DESC
       LIMIT :limit""")
  List<Row> pageOf(
      String accountId,
      String assurance,
      List<String> categories,
      long beforeMicros,
      String beforeId,
      int limit);

  /**
   * The record if the account is linked to its subject and may see it; empty otherwise, whatever
   * the reason, so a caller cannot tell someone else's record from a missing one.
   */
  @Query(
      """
      SELECT r.*
        FROM records r
        JOIN record_links l ON l.subject_id = r.subject_id AND l.account_id = :accountId
       WHERE r.id = :id
         AND r.resident_visible = TRUE
         AND r.min_assurance <= :assurance
         AND r.category IN (:categories)""")
  Optional<Record> findVisible(
      String id, String accountId, String assurance, List<String> categories);
}
