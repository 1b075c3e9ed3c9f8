package uk.gov.residentportal.records;

import io.micronaut.context.annotation.Requires;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link DocumentStore}: bytes in {@code document_chunks}, in the same database and so
 * in the same transaction as the metadata, cut into chunks of {@value #CHUNK_SIZE} bytes.
 *
 * <p>Why chunks: one statement carrying a whole 10 MB document is about 20 MB on the wire
 * (Connector/J sends bytes hex-encoded), over MariaDB's default {@code max_allowed_packet} of 16
 * MB; a chunk is about 512 KB. And a download reads one chunk per query as the client consumes the
 * stream, so a download holds one chunk in memory and no connection between chunks.
 */
@Singleton
@Requires(missingBeans = DocumentStore.class, bean = DocumentChunkRepository.class)
class DatabaseDocumentStore implements DocumentStore {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseDocumentStore.class);

  /** 256 KiB: far below any max_allowed_packet, few rows for a 10 MB document (40). */
  static final int CHUNK_SIZE = 256 * 1024;

  private static final byte[] NOTHING = new byte[0];

  private final DocumentChunkRepository chunks;

  DatabaseDocumentStore(DocumentChunkRepository chunks) {
    this.chunks = chunks;
  }

  @Override
  @Transactional
  public String put(InputStream content) {
    String key = UUID.randomUUID().toString();
    byte[] buffer = new byte[CHUNK_SIZE];
    int seq = 0;
    try {
      int read = content.readNBytes(buffer, 0, CHUNK_SIZE);
      // An empty document is one empty chunk, so that open() tells it from an unknown key.
      do {
        chunks.insert(key, seq++, read == CHUNK_SIZE ? buffer : Arrays.copyOf(buffer, read));
        read = content.readNBytes(buffer, 0, CHUNK_SIZE);
      } while (read > 0);
    } catch (IOException e) {
      // Thrown out of the transaction, which rolls back the chunks written so far.
      throw new UncheckedIOException("reading the document to store failed", e);
    }
    return key;
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<InputStream> open(String key) {
    long count = chunks.countChunks(key);
    return count == 0 ? Optional.empty() : Optional.of(new ChunkStream(key, count));
  }

  @Override
  @Transactional
  public void delete(String key) {
    chunks.deleteChunks(key);
  }

  /**
   * Reads the chunks {@code 0 .. count-1} of one document, each by its own query when the previous
   * one is used up. Not transactional on purpose: the HTTP layer reads it on a blocking thread
   * after the request's transaction ended, and each query borrows a pooled connection only for
   * itself. A chunk that is gone by the time it is wanted (the document was replaced or deleted
   * meanwhile) fails the read with an IOException rather than ending the stream early.
   */
  private final class ChunkStream extends InputStream {
    private final String key;
    private final long count;
    private int next;
    private byte[] chunk = NOTHING;
    private int position;
    private boolean closed;

    ChunkStream(String key, long count) {
      this.key = key;
      this.count = count;
    }

    @Override
    public int read() throws IOException {
      if (!fill()) {
        return -1;
      }
      return chunk[position++] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, target.length);
      if (length == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(length, chunk.length - position);
      System.arraycopy(chunk, position, target, offset, n);
      position += n;
      return n;
    }

    /** What is in memory already: reading that much needs no query. */
    @Override
    public int available() {
      return chunk.length - position;
    }

    @Override
    public void close() {
      closed = true;
      chunk = NOTHING;
      position = 0;
    }

    /** Makes the current chunk hold unread bytes; false at the end of the document. */
    private boolean fill() throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      // A loop, not an if: a chunk may be empty (the empty document).
      while (position == chunk.length) {
        if (next >= count) {
          return false;
        }
        int seq = next;
        Optional<DocumentChunkRepository.Content> found;
        try {
          found = chunks.findContent(key, seq);
        } catch (RuntimeException e) {
          throw new IOException("reading chunk " + seq + " of document " + key + " failed", e);
        }
        if (found.isEmpty()) {
          LOG.warn("document chunk missing key={} seq={} of {}", key, seq, count);
          throw new IOException("chunk " + seq + " of document " + key + " is missing");
        }
        chunk = found.get().content();
        position = 0;
        next++;
      }
      return true;
    }
  }
}
