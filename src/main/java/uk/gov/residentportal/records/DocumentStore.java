package uk.gov.residentportal.records;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Where document bytes live. The default keeps them in the database in chunks ({@link
 * DatabaseDocumentStore}); an object store (S3, Azure Blob) can replace it by providing another
 * bean of this type, which switches the default off.
 *
 * <p>The contract an implementation keeps:
 *
 * <ul>
 *   <li>Keys are opaque strings of at most 100 characters (the {@code record_documents.storage_key}
 *       column), made by the store and never reused: a replaced document gets a new key, and the
 *       old bytes are deleted after the metadata points at the new ones. An S3 store would use a
 *       random UUID as the object key under a configured prefix.
 *   <li>{@link #put} and {@link #delete} are called inside the caller's database transaction. The
 *       database store joins it, so a rolled-back upload leaves no bytes; a store outside the
 *       database cannot, and may leave an unreferenced object after a rollback (harmless, never
 *       served; a sweep can remove objects no {@code storage_key} names).
 *   <li>{@link #open} is called at the start of a download, after every access check, and the
 *       stream it returns is read later by the HTTP layer on a blocking (never an event-loop)
 *       thread, outside any transaction. It must not hold a database connection or other pooled
 *       resource between reads longer than a read takes (an S3 {@code GetObject} response stream is
 *       fine: it is an HTTP body). If the bytes disappear while the stream is read (the document
 *       was replaced), a read throws {@link java.io.IOException}; it never blocks forever and never
 *       returns fewer bytes as if they were all. Callers check the length against the metadata.
 *   <li>The store keeps bytes only: content type, size and SHA-256 are in {@code record_documents}.
 * </ul>
 */
public interface DocumentStore {
  /**
   * Stores everything {@code content} yields (until end of stream) under a new key and returns the
   * key. The caller closes {@code content}.
   *
   * @throws UncheckedIOException when reading {@code content} fails; nothing is kept then
   */
  String put(InputStream content);

  /** Stores {@code content} under a new key and returns the key. */
  default String put(byte[] content) {
    return put(new ByteArrayInputStream(content));
  }

  /**
   * A stream over the bytes stored under {@code key}, or empty when nothing is stored under it. The
   * caller closes the stream.
   */
  Optional<InputStream> open(String key);

  /** Forgets {@code key}; nothing happens when it is unknown. */
  void delete(String key);
}
