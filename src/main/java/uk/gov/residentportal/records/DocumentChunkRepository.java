package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Optional;

/**
 * The chunks of the default document store. Each method is one short statement on the primary key
 * (storage_key, seq): a download reads chunk by chunk, each in its own query, and holds no
 * connection in between.
 */
@JdbcRepository(dialect = Dialect.MYSQL)
interface DocumentChunkRepository extends GenericRepository<DocumentChunk, DocumentChunk.Key> {

  @Query(
      "INSERT INTO document_chunks (storage_key, seq, content) VALUES (:storageKey, :seq,"
          + " :content)")
  void insert(String storageKey, int seq, byte[] content);

  @Query("SELECT COUNT(*) FROM document_chunks WHERE storage_key = :storageKey")
  long countChunks(String storageKey);

  @Query("SELECT content FROM document_chunks WHERE storage_key = :storageKey AND seq = :seq")
  Optional<Content> findContent(String storageKey, int seq);

  @Query("DELETE FROM document_chunks WHERE storage_key = :storageKey")
  void deleteChunks(String storageKey);

  /** The bytes of one chunk (a projection: Micronaut Data maps no bare byte[] result). */
  @Introspected
  record Content(byte[] content) {
    @Override
    public String toString() {
      return "Content[size=" + content.length + "]";
    }
  }
}
