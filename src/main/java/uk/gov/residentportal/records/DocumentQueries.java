package uk.gov.residentportal.records;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;

/**
 * Residents' reads of document metadata, always under a record the caller has already been allowed
 * to see ({@link RecordQueries#findVisible}). Read only: documents are written by ingestion.
 */
@JdbcRepository(dialect = Dialect.MYSQL)
interface DocumentQueries extends GenericRepository<RecordDocument, String> {

  /** In name order, straight from the unique index (record_id, name). */
  List<RecordDocument> findByRecordIdOrderByName(String recordId);

  /** The document only if it belongs to {@code recordId}: another record's is not found. */
  Optional<RecordDocument> findByIdAndRecordId(String id, String recordId);
}
