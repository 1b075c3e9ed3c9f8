package uk.gov.residentportal.records;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

/**
 * The content type of a document, detected from its bytes by Apache Tika's magic numbers (the
 * signatures of tika-mimetypes.xml, with a text/plain fallback for bytes that read as text). The
 * request's Content-Type and the file's name are never consulted: a back-office system cannot label
 * an executable as a PDF, and what a resident later downloads is served as what it really is.
 */
@Singleton
final class DocumentTypes {
  /** What residents may be sent: letters, scans and photos (issue 4). */
  static final Set<String> ALLOWED =
      Set.of("application/pdf", "image/png", "image/jpeg", "image/tiff", "text/plain");

  private final MimeTypes detector = MimeTypes.getDefaultMimeTypes();

  /** The detected type when it is allowed; empty for anything else. */
  Optional<String> allowedTypeOf(byte[] content) {
    String detected = detect(content);
    return ALLOWED.contains(detected) ? Optional.of(detected) : Optional.empty();
  }

  /** The detected base type (no parameters), e.g. {@code application/x-msdownload}. */
  String detect(byte[] content) {
    // No resource name in the metadata: detection looks at the bytes alone.
    try (TikaInputStream in = TikaInputStream.get(content)) {
      MediaType type = detector.detect(in, new Metadata());
      return type.getBaseType().toString();
    } catch (IOException e) {
      // Reading a byte array does not fail; keep the compiler content.
      throw new UncheckedIOException(e);
    }
  }
}
