package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/**
 * Steps and data of the ingestion tests: upsert bodies (a builder over a map, so that a test can
 * put any JSON in any field), the back-office API over HTTP, small real files, the problem
 * assertions, and direct looks at the test schema for what HTTP cannot show.
 */
final class IngestionSteps {
  static final String VALIDATION = "urn:resident-portal:problem:validation";
  static final String MALFORMED = "urn:resident-portal:problem:malformed-request";
  static final String UNAUTHORIZED = "urn:resident-portal:problem:unauthorized";
  static final String FORBIDDEN = "urn:resident-portal:problem:forbidden";
  static final String NOT_FOUND = "urn:resident-portal:problem:not-found";
  static final String CONFLICT = "urn:resident-portal:problem:conflict";
  static final String PAYLOAD_TOO_LARGE = "urn:resident-portal:problem:payload-too-large";
  static final String UNSUPPORTED_MEDIA_TYPE = "urn:resident-portal:problem:unsupported-media-type";

  static final String RECORDS = "/api/v1/systems/records";
  static final String BATCH = "/api/v1/systems/records:batch";

  private IngestionSteps() {}

  // ---- data ----

  static String newRef() {
    return "CT-" + UUID.randomUUID();
  }

  /** A council tax account reference nobody else's test uses. */
  static String newAccountRef() {
    return "4" + ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L);
  }

  /** A time of the source system's change, {@code minutes} ago, as the API takes it. */
  static String minutesAgo(long minutes) {
    return Instant.now()
        .truncatedTo(ChronoUnit.MILLIS)
        .minus(minutes, ChronoUnit.MINUTES)
        .toString();
  }

  /** A complete, valid upsert body about a new council tax account; change it as a map. */
  static Map<String, Object> anUpsert() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subjectType", "COUNCIL_TAX_ACCOUNT");
    body.put("subjectRef", newAccountRef());
    body.put("subjectPostcode", "le1 6zg");
    body.put("category", "COUNCIL_TAX");
    body.put("title", "Council tax bill 2026/27");
    body.put("status", "Issued");
    body.put("summary", "Band C, 10 monthly instalments");
    body.put("residentVisible", true);
    body.put("partnerShareable", false);
    body.put("minAssurance", "P1");
    body.put("updatedAt", minutesAgo(60));
    return body;
  }

  /** {@code body} with one field set (or removed, for a null value). */
  static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(body);
    if (value == null) {
      copy.remove(field);
    } else {
      copy.put(field, value);
    }
    return copy;
  }

  /** A batch item: the upsert with its key. */
  static Map<String, Object> anItem(String sourceSystem, String externalRef) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("sourceSystem", sourceSystem);
    item.put("externalRef", externalRef);
    item.putAll(anUpsert());
    return item;
  }

  static String json(Map<String, ?> body) {
    return JSONObjectUtils.toJSONString(body);
  }

  static String batch(List<?> items) {
    return json(Map.of("records", items));
  }

  // ---- HTTP ----

  static Portal.Response put(
      Portal portal, String token, String sourceSystem, String ref, Map<String, ?> body) {
    return portal.json("PUT", RECORDS + "/" + sourceSystem + "/" + ref, json(body), token);
  }

  static Portal.Response postBatch(Portal portal, String token, String body) {
    return portal.json("POST", BATCH, body, token);
  }

  /** {"records":[]} padded with spaces to {@code size} bytes: a valid body of any size. */
  static byte[] paddedBatch(int size) {
    byte[] body = new byte[size];
    java.util.Arrays.fill(body, (byte) ' ');
    byte[] start = "{\"records\":[]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    System.arraycopy(start, 0, body, 0, start.length);
    body[size - 1] = '}';
    return body;
  }

  /** Posts raw batch bytes with a Content-Length, or chunked (no length known in advance). */
  static Portal.Response postRawBatch(Portal portal, String token, byte[] body, boolean chunked) {
    return portal.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(portal.base() + BATCH))
            .POST(
                chunked
                    ? java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body))
                    : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token));
  }

  static Portal.Response putDocument(
      Portal portal,
      String token,
      String sourceSystem,
      String ref,
      String rawName,
      String contentType,
      byte[] content) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    portal.base()
                        + RECORDS
                        + "/"
                        + sourceSystem
                        + "/"
                        + ref
                        + "/documents/"
                        + rawName))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
            .header("Content-Type", contentType);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return portal.send(request);
  }

  // ---- problems ----

  /** Asserts the answer is a problem of that status and type; returns the problem document. */
  static Map<String, Object> assertProblem(Portal.Response response, int status, String type) {
    assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    Map<String, Object> problem = response.json();
    assertThat(problem).containsEntry("type", type).containsKey("title");
    assertThat(((Number) problem.get("status")).intValue()).isEqualTo(status);
    return problem;
  }

  /** A 400 validation problem naming {@code field}. */
  static void assertInvalidField(Portal.Response response, String field) {
    assertInvalidField(assertProblem(response, 400, VALIDATION), field);
  }

  /** A problem document (of a response or of a batch item) naming {@code field} as invalid. */
  static void assertInvalidField(Map<String, Object> problem, String field) {
    assertThat(problem).containsEntry("type", VALIDATION);
    assertThat(errors(problem)).extracting(e -> e.get("field")).as("fields named").contains(field);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> errors(Map<String, Object> problem) {
    Object errors = problem.get("errors");
    assertThat(errors).as("errors[] of %s", problem).isInstanceOf(List.class);
    return (List<Map<String, Object>>) errors;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> results(Portal.Response response) {
    assertThat(response.status()).as("status of %s", response.body()).isEqualTo(200);
    return (List<Map<String, Object>>) response.json().get("results");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> problemOf(Map<String, Object> result) {
    assertThat(result).containsEntry("status", "FAILED").containsKey("problem");
    return (Map<String, Object>) result.get("problem");
  }

  // ---- files: real, minimal ones ----

  static byte[] pdf() {
    return ("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
            + "trailer\n<< /Root 1 0 R >>\n%%EOF\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A 1x1 PNG: the signature, an IHDR chunk with its CRC, and IEND. */
  static byte[] png() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    out.writeBytes(
        chunk(
            "IHDR",
            ByteBuffer.allocate(13).putInt(1).putInt(1).put(new byte[] {8, 6, 0, 0, 0}).array()));
    out.writeBytes(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  private static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length)
        .putInt(data.length)
        .put(typeBytes)
        .put(data)
        .putInt((int) crc.getValue())
        .array();
  }

  /** A JPEG's start: SOI and a JFIF APP0 segment, then EOI. */
  static byte[] jpeg() {
    return new byte[] {
      (byte) 0xFF,
      (byte) 0xD8,
      (byte) 0xFF,
      (byte) 0xE0,
      0x00,
      0x10,
      'J',
      'F',
      'I',
      'F',
      0x00,
      0x01,
      0x01,
      0x00,
      0x00,
      0x01,
      0x00,
      0x01,
      0x00,
      0x00,
      (byte) 0xFF,
      (byte) 0xD9
    };
  }

  /** A little-endian TIFF header ("II*\0") pointing at an empty directory. */
  static byte[] tiff() {
    return new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  }

  static byte[] text() {
    return "Dear resident,\nYour council tax bill for 2026/27 is enclosed.\n"
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The start of a Windows executable: the DOS header's "MZ" and its stub. */
  static byte[] executable() {
    byte[] exe = new byte[256];
    exe[0] = 'M';
    exe[1] = 'Z';
    exe[2] = (byte) 0x90;
    exe[4] = 0x03;
    exe[8] = 0x04;
    exe[12] = (byte) 0xFF;
    exe[13] = (byte) 0xFF;
    exe[0x3C] = (byte) 0x80;
    exe[0x80] = 'P';
    exe[0x81] = 'E';
    return exe;
  }

  /** A PDF of exactly {@code size} bytes: a real header, then padding in a comment. */
  static byte[] pdfOfSize(int size) {
    byte[] bytes = new byte[size];
    byte[] header = "%PDF-1.4\n%".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(header, 0, bytes, 0, header.length);
    for (int i = header.length; i < size; i++) {
      bytes[i] = 'x';
    }
    return bytes;
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- the test schema ----

  static long count(String sql, Object... parameters) {
    return Sql.count(sql, parameters);
  }

  static String string(String sql, Object... parameters) {
    return Sql.stringOrNull(sql, parameters);
  }

  static byte[] bytes(String sql, Object... parameters) {
    return Sql.bytesOrNull(sql, parameters);
  }
}
