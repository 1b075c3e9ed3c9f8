package uk.gov.residentportal.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.gov.residentportal.web.ProblemException;

/**
 * Where a page of the access log ended: the last event's {@code (occurred_at, id)}, the keyset the
 * next page continues below. Sent as base64url of {@code "<micros>:<id>"}; parsed strictly (only
 * the exact text {@link #encode()} makes), so a garbled or edited cursor is a 400. Harmless if a
 * client builds one: the query is always limited to the caller's own events.
 */
record AccessLogCursor(long micros, String id) {
  /** Before every event: the first page. */
  static final AccessLogCursor START = new AccessLogCursor(Long.MAX_VALUE, "");

  private static final Pattern TEXT =
      Pattern.compile(
          "^(0|-?[1-9][0-9]{0,18}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$");
  // base64url of the longest valid text (20 + 1 + 36 characters), with room to spare.
  static final int MAX_LENGTH = 100;

  String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The cursor {@link #encode()} wrote.
   *
   * @throws ProblemException.InvalidField naming {@code cursor} for anything else
   */
  static AccessLogCursor parse(String cursor) {
    if (cursor != null && cursor.length() <= MAX_LENGTH) {
      try {
        String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        Matcher m = TEXT.matcher(text);
        if (m.matches()) {
          AccessLogCursor parsed = new AccessLogCursor(Long.parseLong(m.group(1)), m.group(2));
          // Base64 has more than one spelling of some texts (padding, unused bits): only ours.
          if (parsed.encode().equals(cursor)) {
            return parsed;
          }
        }
      } catch (IllegalArgumentException notOurs) {
        // Not base64url, or a number out of range: the same answer as any other bad cursor.
      }
    }
    throw new ProblemException.InvalidField("cursor", "is not a cursor from a previous page");
  }
}
