package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;

/**
 * A row of {@code document_chunks}: one piece of a document's bytes in the default store ({@link
 * DatabaseDocumentStore}). The repository reads and writes it with explicit SQL; the entity names
 * the table and its key.
 */
@MappedEntity("document_chunks")
record DocumentChunk(@EmbeddedId Key id, byte[] content) {

  /** The document's storage key and the chunk's place in it, from 0. */
  @Embeddable
  record Key(@MappedProperty("storage_key") String storageKey, @MappedProperty("seq") int seq) {}

  @Override
  public String toString() {
    return "DocumentChunk[key=" + id.storageKey() + ", seq=" + id.seq() + "]";
  }
}
