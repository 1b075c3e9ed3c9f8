package uk.gov.residentportal.records;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface DocumentContentRepository extends GenericRepository<DocumentContent, String> {
  DocumentContent save(DocumentContent content);

  Optional<DocumentContent> findById(String storageKey);

  void deleteById(String storageKey);
}
