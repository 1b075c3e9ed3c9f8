package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface RecordLinkRepository extends GenericRepository<RecordLink, String> {
  RecordLink save(RecordLink link);

  Optional<RecordLink> findByAccountIdAndSubjectId(String accountId, String subjectId);

  /** The accounts linked to a subject. */
  List<String> findAccountIdBySubjectId(String subjectId);

  /**
   * The ids of the account's links, locked until the transaction ends (and the gap after them, so
   * that no link of the account can be added meanwhile): whether a removal takes the last link is
   * then decided on current rows.
   */
  @Query("SELECT id FROM record_links WHERE account_id = :accountId FOR UPDATE")
  List<String> lockIdsByAccountId(String accountId);

  void deleteById(String id);

  int deleteByAccountId(String accountId);

  /** The account's links, newest first; one indexed query (uq_record_links_account_subject). */
  @Query(
      "SELECT l.id AS id, l.method AS method, l.linked_at AS linked_at,"
          + " s.subject_type AS subject_type, s.subject_ref AS subject_ref"
          + " FROM record_links l JOIN record_subjects s ON s.id = l.subject_id"
          + " WHERE l.account_id = :accountId ORDER BY l.linked_at DESC, l.id DESC")
  List<LinkedSubject> findLinkedSubjects(String accountId);
}
