package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;

/** Writes and the back-office side's look-ups; residents' reads are in {@code RecordQueries}. */
@JdbcRepository(dialect = Dialect.MYSQL)
interface RecordRepository extends GenericRepository<Record, String> {
  Record save(Record record);

  Record update(Record record);

  Optional<Record> findById(String id);

  Optional<Record> findBySourceSystemAndExternalRef(String sourceSystem, String externalRef);

  /** The record, locked until the transaction ends: concurrent upserts of one key queue here. */
  @Query(
      "SELECT * FROM records WHERE source_system = :sourceSystem AND external_ref = :externalRef"
          + " FOR UPDATE")
  Optional<Record> findForUpdate(String sourceSystem, String externalRef);

  /** Whether {@code sourceSystem} holds any record about the subject. */
  boolean existsBySourceSystemAndSubjectId(String sourceSystem, String subjectId);

  /** How many records are held (the demo data command runs only on an empty database). */
  long count();
}
