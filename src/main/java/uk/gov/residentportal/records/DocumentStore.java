package uk.gov.residentportal.records;

import java.util.Optional;

/**
 * Where document bytes live. The default keeps them in the database ({@link
 * DatabaseDocumentStore}); an object store (S3, Azure Blob) can replace it by providing another
 * bean. Keys are opaque and never reused: a replaced document gets a new key, and the old bytes are
 * deleted after the metadata points at the new ones.
 */
public interface DocumentStore {
  /** Stores {@code content} under a new key and returns the key. */
  String put(byte[] content);

  /** The bytes stored under {@code key}, if any. */
  Optional<byte[]> get(String key);

  /** Forgets {@code key}; nothing happens when it is unknown. */
  void delete(String key);
}
