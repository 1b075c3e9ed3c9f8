package uk.gov.residentportal.records;

import static uk.gov.residentportal.records.IngestionSteps.bytes;
import static uk.gov.residentportal.records.IngestionSteps.count;
import static uk.gov.residentportal.records.IngestionSteps.string;
import static uk.gov.residentportal.support.Sql.update;

import java.io.ByteArrayOutputStream;

/** What the default document store holds, read with SQL straight from document_chunks. */
final class StoredDocuments {
  private StoredDocuments() {}

  static String storageKeyOf(String documentId) {
    return string("SELECT storage_key FROM record_documents WHERE id = ?", documentId);
  }

  static long chunksOf(String storageKey) {
    return count("SELECT COUNT(*) FROM document_chunks WHERE storage_key = ?", storageKey);
  }

  /** The chunks of {@code storageKey} joined in order; empty when there are none. */
  static byte[] storedBytes(String storageKey) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    long chunks = chunksOf(storageKey);
    for (int seq = 0; seq < chunks; seq++) {
      joined.writeBytes(
          bytes(
              "SELECT content FROM document_chunks WHERE storage_key = ? AND seq = ?",
              storageKey,
              seq));
    }
    return joined.toByteArray();
  }

  /** Loses one chunk, as a store that lost bytes would. */
  static void deleteChunk(String storageKey, int seq) {
    update("DELETE FROM document_chunks WHERE storage_key = ? AND seq = ?", storageKey, seq);
  }

  /** Loses every chunk of a document. */
  static void deleteChunks(String storageKey) {
    update("DELETE FROM document_chunks WHERE storage_key = ?", storageKey);
  }
}
