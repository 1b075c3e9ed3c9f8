package uk.gov.residentportal.records;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code document_contents}: the bytes of one document in the default store. */
@MappedEntity("document_contents")
record DocumentContent(@Id String storageKey, byte[] content, Instant createdAt) {

  @Override
  public String toString() {
    return "DocumentContent[key=" + storageKey + ", size=" + content.length + "]";
  }
}
