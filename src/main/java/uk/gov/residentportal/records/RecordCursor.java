package uk.gov.residentportal.records;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.gov.residentportal.web.ProblemException;

/**
 * Where a page of a resident's records ended: the last record's {@code (source_updated_at, id)},
 * the keyset the next page continues below. Sent to the client as base64url of {@code
 * "<micros>:<id>"}: opaque to clients that should not build it, and harmless if one does, because
 * the list query is always limited to the caller's own records. Parsing is strict (only the exact
 * text {@link #encode()} makes), so a garbled or edited cursor is a 400, never a 500.
 *
 * @param micros the last record's {@code source_updated_at}, microseconds since the epoch
 * @param id the last record's id
 */
record RecordCursor(long micros, String id) {
  /** Before every record: the first page. */
  static final RecordCursor START = new RecordCursor(Long.MAX_VALUE, "");

  // "<micros>:<uuid>" in the canonical form encode() writes; micros may be negative (before 1970).
  private static final Pattern TEXT =
      Pattern.compile(
          "^(0|-?[1-9][0-9]{0,18}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$");
  // base64url of the longest valid text (20 + 1 + 36 characters), with room to spare.
  private static final int MAX_LENGTH = 100;

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
  static RecordCursor parse(String cursor) {
    if (cursor != null && cursor.length() <= MAX_LENGTH) {
      try {
        String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        Matcher m = TEXT.matcher(text);
        if (m.matches()) {
          RecordCursor parsed = new RecordCursor(Long.parseLong(m.group(1)), m.group(2));
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
