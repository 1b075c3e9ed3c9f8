package uk.gov.residentportal.records;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;

/** Document metadata as back-office systems write it; residents' reads have their own queries. */
@JdbcRepository(dialect = Dialect.MYSQL)
interface RecordDocumentRepository extends GenericRepository<RecordDocument, String> {
  RecordDocument save(RecordDocument document);

  RecordDocument update(RecordDocument document);

  /** By the unique key (record_id, name), compared as the database's collation compares. */
  Optional<RecordDocument> findByRecordIdAndName(String recordId, String name);
}
