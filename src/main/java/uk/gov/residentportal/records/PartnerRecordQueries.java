package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;

/**
 * NHS partners' reads of a resident's records: {@link RecordQueries}' queries (same indexes, same
 * keyset), narrowed to what the council marked {@code partner_shareable}. The caller passes only
 * categories the resident consented to share with the partner and the account's assurance allows.
 */
@JdbcRepository(dialect = Dialect.MYSQL)
interface PartnerRecordQueries extends GenericRepository<Record, String> {

  @Query(
      """
      SELECT r.id, r.category, r.title, r.status, r.source_updated_at, r.source_system
        FROM record_links l
        JOIN records r ON r.subject_id = l.subject_id
       WHERE l.account_id = :accountId
         AND r.resident_visible = TRUE
         AND r.partner_shareable = TRUE
         AND r.min_assurance <= :assurance
         AND r.category IN (:categories)
         AND (r.source_updated_at < :beforeMicros
              OR (r.source_updated_at = :beforeMicros AND r.id < :beforeId))
       ORDER BY r.source_updated_at DESC, r.id DESC
       LIMIT :limit""")
  List<RecordQueries.Row> pageOf(
      String accountId,
      String assurance,
      List<String> categories,
      long beforeMicros,
      String beforeId,
      int limit);

  @Query(
      """
      SELECT r.*
        FROM records r
        JOIN record_links l ON l.subject_id = r.subject_id AND l.account_id = :accountId
       WHERE r.id = :id
         AND r.resident_visible = TRUE
         AND r.partner_shareable = TRUE
         AND r.min_assurance <= :assurance
         AND r.category IN (:categories)""")
  Optional<Record> findShareable(
      String id, String accountId, String assurance, List<String> categories);
}
