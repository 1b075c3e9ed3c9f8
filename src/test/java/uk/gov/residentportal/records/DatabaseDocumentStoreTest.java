package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.gov.residentportal.records.DatabaseDocumentStore.CHUNK_SIZE;
import static uk.gov.residentportal.records.IngestionSteps.count;
import static uk.gov.residentportal.records.StoredDocuments.chunksOf;
import static uk.gov.residentportal.records.StoredDocuments.deleteChunk;
import static uk.gov.residentportal.records.StoredDocuments.storedBytes;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The default DocumentStore on MariaDB: bytes in chunks of 256 KiB, read back one chunk per query
 * as the stream is consumed.
 */
@MicronautTest(transactional = false)
class DatabaseDocumentStoreTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject DocumentStore store;

  /** Random bytes, so that chunks out of order or repeated cannot compare equal. */
  static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void isTheDatabaseStoreByDefault() {
    assertThat(store).isInstanceOf(DatabaseDocumentStore.class);
  }

  @Nested
  class PutAndOpen {
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(
        ints = {
          1,
          CHUNK_SIZE - 1,
          CHUNK_SIZE,
          CHUNK_SIZE + 1,
          2 * CHUNK_SIZE,
          3 * CHUNK_SIZE + 5,
        })
    void storesBytesInChunksAndReadsThemBackInOrder(int size) throws IOException {
      byte[] content = randomBytes(size);

      String key = store.put(content);

      assertThat(chunksOf(key)).isEqualTo((size + CHUNK_SIZE - 1) / CHUNK_SIZE);
      assertThat(storedBytes(key)).isEqualTo(content);
      assertThat(readAll(store.open(key).orElseThrow())).isEqualTo(content);
    }

    @Test
    void readsTheSameBytesWhateverTheReadSizes() throws IOException {
      byte[] content = randomBytes(2 * CHUNK_SIZE + 3);
      String key = store.put(content);
      ByteArrayOutputStream read = new ByteArrayOutputStream();

      try (InputStream in = store.open(key).orElseThrow()) {
        // A single byte, then reads that straddle chunk boundaries, then the rest byte by byte.
        read.write(in.read());
        byte[] buffer = new byte[CHUNK_SIZE + 7];
        int n;
        while (read.size() < CHUNK_SIZE * 2 && (n = in.read(buffer, 3, buffer.length - 3)) > 0) {
          read.write(buffer, 3, n);
        }
        int b;
        while ((b = in.read()) >= 0) {
          read.write(b);
        }
        assertThat(in.read(buffer, 0, buffer.length)).isEqualTo(-1);
      }

      assertThat(read.toByteArray()).isEqualTo(content);
    }

    @Test
    void takesAStreamAndStoresAnEmptyDocumentAsEmpty() throws IOException {
      String key = store.put(InputStream.nullInputStream());

      assertThat(chunksOf(key)).isEqualTo(1);
      assertThat(readAll(store.open(key).orElseThrow())).isEmpty();
    }

    @Test
    void givesANewKeyEveryTime() {
      byte[] content = randomBytes(10);

      assertThat(store.put(content)).isNotEqualTo(store.put(content));
    }

    @Test
    void keepsNothingWhenReadingTheContentFails() {
      byte[] firstChunk = randomBytes(CHUNK_SIZE);
      InputStream failing =
          new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
              if (position == firstChunk.length) {
                throw new IOException("connection reset by the client");
              }
              return firstChunk[position++] & 0xff;
            }
          };

      assertThatThrownBy(() -> store.put(failing)).isInstanceOf(UncheckedIOException.class);

      // The first chunk was written before the failure; the transaction took it back.
      assertThat(
              count("SELECT COUNT(*) FROM document_chunks WHERE content = ?", (Object) firstChunk))
          .isZero();
    }

    @Test
    void opensNothingForAnUnknownKey() {
      assertThat(store.open(UUID.randomUUID().toString())).isEmpty();
    }
  }

  @Nested
  class Delete {
    @Test
    void deletesEveryChunk() {
      String key = store.put(randomBytes(2 * CHUNK_SIZE + 1));

      store.delete(key);

      assertThat(chunksOf(key)).isZero();
      assertThat(store.open(key)).isEmpty();
    }

    @Test
    void ignoresAnUnknownKey() {
      String key = store.put(randomBytes(5));

      store.delete(UUID.randomUUID().toString());

      assertThat(chunksOf(key)).isEqualTo(1);
    }
  }

  @Nested
  class ReadingLazily {
    @Test
    void failsTheReadThatReachesAChunkDeletedAfterOpening() throws IOException {
      byte[] content = randomBytes(3 * CHUNK_SIZE);
      String key = store.put(content);
      try (InputStream in = store.open(key).orElseThrow()) {
        byte[] first = in.readNBytes(CHUNK_SIZE);
        assertThat(first).isEqualTo(Arrays.copyOf(content, CHUNK_SIZE));

        store.delete(key);

        assertThatThrownBy(in::read)
            .isInstanceOf(IOException.class)
            .hasMessageContaining("chunk 1");
      }
    }

    @Test
    void failsAtAMissingChunkInTheMiddle() throws IOException {
      String key = store.put(randomBytes(3 * CHUNK_SIZE));
      deleteChunk(key, 1);

      try (InputStream in = store.open(key).orElseThrow()) {
        assertThat(in.readNBytes(CHUNK_SIZE)).hasSize(CHUNK_SIZE);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
      }
    }

    @Test
    void holdsNoConnectionBetweenChunks() throws IOException {
      // More open streams than the pool has connections (16, with a 2 second wait for one): a
      // stream holding a connection between chunks would starve the later ones.
      List<byte[]> contents = new ArrayList<>();
      List<InputStream> streams = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        byte[] content = randomBytes(CHUNK_SIZE + 100);
        contents.add(content);
        streams.add(store.open(store.put(content)).orElseThrow());
      }
      List<byte[]> heads = new ArrayList<>();
      for (InputStream in : streams) {
        heads.add(in.readNBytes(CHUNK_SIZE));
      }

      for (int i = 0; i < streams.size(); i++) {
        byte[] tail = readAll(streams.get(i));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(heads.get(i));
        whole.writeBytes(tail);
        assertThat(whole.toByteArray()).isEqualTo(contents.get(i));
      }
    }
  }
}
