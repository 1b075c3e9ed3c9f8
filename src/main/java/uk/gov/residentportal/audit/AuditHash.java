package uk.gov.residentportal.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The chain's hash: SHA-256 over the previous event's hash and this event's canonical content.
 * Canonical content is every stored field but the hash itself, in a fixed order, each written as
 * its length in UTF-8 bytes, a colon and the bytes (absent: {@code -}), so no two different events
 * have the same content (no separator can be forged inside a value).
 */
final class AuditHash {
  static final String GENESIS = "0".repeat(64);

  private AuditHash() {}

  static String of(AuditRecord e) {
    StringBuilder content = new StringBuilder(256).append("audit-v1|");
    field(content, e.prevHash());
    field(content, e.id());
    field(content, Integer.toString(e.chainId()));
    field(content, Long.toString(e.seq()));
    field(content, Long.toString(e.occurredAt()));
    field(content, e.action());
    field(content, e.outcome());
    field(content, e.actorType());
    field(content, e.actorId());
    field(content, e.organisationOds());
    field(content, e.purpose());
    field(content, e.subject());
    field(content, e.recordIds());
    field(content, e.requestId());
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(content.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e1) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e1);
    }
  }

  private static void field(StringBuilder content, String value) {
    if (value == null) {
      content.append('-');
    } else {
      content.append(value.getBytes(StandardCharsets.UTF_8).length).append(':').append(value);
    }
    content.append('|');
  }
}
