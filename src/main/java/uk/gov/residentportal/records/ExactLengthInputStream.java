package uk.gov.residentportal.records;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A stream that must yield exactly {@code length} bytes: ending early or going on longer fails the
 * read with an IOException. A download promises {@code Content-Length} from the metadata before its
 * first byte; if the store's bytes disagree, the connection is then aborted (the client sees a
 * failed download) instead of a short body the client would wait on, or a long one that would spill
 * into the next response on the connection.
 */
final class ExactLengthInputStream extends FilterInputStream {
  private final long length;
  private long remaining;

  ExactLengthInputStream(InputStream in, long length) {
    super(in);
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative");
    }
    this.length = length;
    this.remaining = length;
  }

  @Override
  public int read() throws IOException {
    if (remaining == 0) {
      expectEnd();
      return -1;
    }
    int b = in.read();
    if (b < 0) {
      throw endedEarly();
    }
    remaining--;
    return b;
  }

  @Override
  public int read(byte[] target, int offset, int count) throws IOException {
    Objects.checkFromIndexSize(offset, count, target.length);
    if (count == 0) {
      return 0;
    }
    if (remaining == 0) {
      expectEnd();
      return -1;
    }
    int n = in.read(target, offset, (int) Math.min(count, remaining));
    if (n < 0) {
      throw endedEarly();
    }
    remaining -= n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Never past the promised length; whether the bytes end there is checked by the next read.
    long skipped = in.skip(Math.min(n, remaining));
    remaining -= skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), remaining);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
    // Not supported (markSupported is false).
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void expectEnd() throws IOException {
    if (in.read() >= 0) {
      throw new IOException("the stored bytes are longer than the recorded " + length);
    }
  }

  private IOException endedEarly() {
    return new IOException(
        "the stored bytes ended after " + (length - remaining) + " of " + length + " bytes");
  }
}
