package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;

/**
 * Linking's reads of {@code record_subjects}, next to the ingestion's {@link
 * RecordSubjectRepository}. Both lock the subject: every link decision about one subject (is it
 * linked already, and by whom?) is taken by one request at a time, on any replica.
 */
@JdbcRepository(dialect = Dialect.MYSQL)
interface LinkSubjectRepository extends GenericRepository<RecordSubject, String> {

  @Query(
      "SELECT * FROM record_subjects WHERE subject_type = :subjectType"
          + " AND subject_ref = :subjectRef FOR UPDATE")
  Optional<RecordSubject> findByRefForUpdate(String subjectType, String subjectRef);

  @Query("SELECT * FROM record_subjects WHERE id = :id FOR UPDATE")
  Optional<RecordSubject> findByIdForUpdate(String id);
}
