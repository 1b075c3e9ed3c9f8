package uk.gov.residentportal.records;

import io.micronaut.context.annotation.Requires;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The default {@link DocumentStore}: bytes in {@code document_contents}, in the same database and
 * so in the same transaction as the metadata. Fine for a council's letters and notices (10 MB by
 * default); an object store can replace it without touching the records feature.
 */
@Singleton
@Requires(missingBeans = DocumentStore.class, bean = DocumentContentRepository.class)
class DatabaseDocumentStore implements DocumentStore {
  private final DocumentContentRepository contents;
  private final Clock clock;

  DatabaseDocumentStore(DocumentContentRepository contents, Clock clock) {
    this.contents = contents;
    this.clock = clock;
  }

  @Override
  @Transactional
  public String put(byte[] content) {
    String key = UUID.randomUUID().toString();
    contents.save(new DocumentContent(key, content, clock.instant()));
    return key;
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<byte[]> get(String key) {
    return contents.findById(key).map(DocumentContent::content);
  }

  @Override
  @Transactional
  public void delete(String key) {
    contents.deleteById(key);
  }
}
