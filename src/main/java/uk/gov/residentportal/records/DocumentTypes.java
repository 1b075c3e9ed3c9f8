package uk.gov.residentportal.records;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
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
  private static final Map<String, Set<String>> EXTENSIONS =
      Map.of(
          "application/pdf", Set.of("pdf"),
          "image/png", Set.of("png"),
          "image/jpeg", Set.of("jpg", "jpeg"),
          "image/tiff", Set.of("tif", "tiff"),
          "text/plain", Set.of("txt"));

  static final Set<String> ALLOWED =
      Set.of("application/pdf", "image/png", "image/jpeg", "image/tiff", "text/plain");

  private final MimeTypes detector = MimeTypes.getDefaultMimeTypes();

  /** The detected type when it is allowed; empty for anything else. */
  Optional<String> allowedTypeOf(byte[] content) {
    String detected = detect(content);
    if (!ALLOWED.contains(detected) || endsLikeAZipArchive(content)) {
      return Optional.empty();
    }
    if (detected.equals("text/plain") && !strictText(content)) {
      return Optional.empty();
    }
    return Optional.of(detected);
  }

  /**
   * Whether {@code name}'s extension is one of {@code type}'s, so the file a resident saves opens
   * as what it was checked to be (an HTML or script file can never be saved under its own name).
   */
  static boolean nameFits(String name, String type) {
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return EXTENSIONS.getOrDefault(type, Set.of()).contains(extension);
  }

  /** The extensions a name may carry for each allowed type. */
  static String extensionsOf(String type) {
    return String.join(", ", EXTENSIONS.getOrDefault(type, Set.of()).stream().sorted().toList());
  }

  /**
   * A ZIP end-of-central-directory record in the last 64 KiB: what unzip tools (and Java for a JAR)
   * look for, so a polyglot "PDF + ZIP" or "PNG + JAR" is refused whatever its first bytes.
   */
  private static boolean endsLikeAZipArchive(byte[] content) {
    int from = Math.max(0, content.length - (65_535 + 22));
    for (int i = content.length - 22; i >= from; i--) {
      if (content[i] == 'P'
          && content[i + 1] == 'K'
          && content[i + 2] == 5
          && content[i + 3] == 6) {
        return true;
      }
    }
    return false;
  }

  /**
   * Plain text is taken only as UTF-8 with no control characters but tab, line feed, form feed and
   * carriage return: Tika calls many binary files text when their first bytes are printable.
   */
  private static boolean strictText(byte[] content) {
    CharBuffer text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content));
    } catch (CharacterCodingException e) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r') || c == 0x7f) {
        return false;
      }
    }
    return true;
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
