package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface RecordSubjectRepository extends GenericRepository<RecordSubject, String> {
  Optional<RecordSubject> findById(String id);

  Optional<RecordSubject> findBySubjectTypeAndSubjectRef(
      SubjectType subjectType, String subjectRef);

  /** Creates the subject unless another request (on any replica) just did. */
  @Query(
      "INSERT IGNORE INTO record_subjects (id, subject_type, subject_ref, postcode, created_at,"
          + " updated_at) VALUES (:id, :subjectType, :subjectRef, NULL, :now, :now)")
  void createIfAbsent(String id, String subjectType, String subjectRef, Instant now);

  @Query("UPDATE record_subjects SET postcode = :postcode, updated_at = :now WHERE id = :id")
  void updatePostcode(String id, String postcode, Instant now);
}
