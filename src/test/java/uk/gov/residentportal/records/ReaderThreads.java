package uk.gov.residentportal.records;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.netty.util.internal.ThreadExecutorMap;
import jakarta.inject.Singleton;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test only, when {@code portal.test.reader-threads} is true: wraps the DocumentStore so that every
 * read of a download's stream records the thread it ran on, and whether that thread is a Netty
 * event loop (which must never run JDBC).
 */
@Singleton
@Requires(property = "portal.test.reader-threads", value = "true")
class ReaderThreads implements BeanCreatedEventListener<DocumentStore> {
  /** A thread that read from a stream, and whether it was an event loop. */
  record Reader(String name, boolean eventLoop) {}

  final Set<Reader> readers = ConcurrentHashMap.newKeySet();

  @Override
  public DocumentStore onCreated(BeanCreatedEvent<DocumentStore> event) {
    DocumentStore store = event.getBean();
    return new DocumentStore() {
      @Override
      public String put(InputStream content) {
        return store.put(content);
      }

      @Override
      public Optional<InputStream> open(String key) {
        return store.open(key).map(Recording::new);
      }

      @Override
      public void delete(String key) {
        store.delete(key);
      }
    };
  }

  private final class Recording extends FilterInputStream {
    Recording(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      record();
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      record();
      return super.read(b, off, len);
    }

    private void record() {
      readers.add(
          new Reader(
              Thread.currentThread().getName(), ThreadExecutorMap.currentExecutor() != null));
    }
  }
}
