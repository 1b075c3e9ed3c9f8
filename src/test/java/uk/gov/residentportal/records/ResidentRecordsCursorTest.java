package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.web.ProblemException;

/** The list's cursor reads back exactly what it wrote, and nothing else. */
class ResidentRecordsCursorTest {
  private static final String ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

  private static String base64(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, -1, 1_767_225_600_000_000L, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1})
  void readsBackWhatItWrote(long micros) {
    RecordCursor cursor = new RecordCursor(micros, ID);

    assertThat(RecordCursor.parse(cursor.encode())).isEqualTo(cursor);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "12:" + ID + " ",
        "012:" + ID,
        "-0:" + ID,
        "+12:" + ID,
        "12:" + "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D",
        "12:not-a-uuid",
        "12;" + ID,
        "12:" + ID + ":extra",
        "99999999999999999999:" + ID,
        ":" + ID,
        "12:"
      })
  void refusesAnythingItWouldNotWrite(String text) {
    assertThatThrownBy(() -> RecordCursor.parse(base64(text)))
        .isInstanceOfSatisfying(
            ProblemException.InvalidField.class,
            e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("cursor"));
  }

  @Test
  void refusesAnotherSpellingOfItsOwnCursor() {
    String padded =
        Base64.getUrlEncoder().encodeToString(("1:" + ID).getBytes(StandardCharsets.US_ASCII));

    assertThat(padded).endsWith("=");
    assertThatThrownBy(() -> RecordCursor.parse(padded))
        .isInstanceOf(ProblemException.InvalidField.class);
    assertThatThrownBy(() -> RecordCursor.parse(null))
        .isInstanceOf(ProblemException.InvalidField.class);
    assertThatThrownBy(() -> RecordCursor.parse("A".repeat(101)))
        .isInstanceOf(ProblemException.InvalidField.class);
  }
}
