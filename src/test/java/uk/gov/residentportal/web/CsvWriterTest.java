package uk.gov.residentportal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 4180 CSV that spreadsheets open safely. */
class CsvWriterTest {
  private static String one(Object cell) {
    String csv = CsvWriter.withHeader("h").row(cell).toString();
    assertThat(csv).startsWith("h\r\n").endsWith("\r\n");
    return csv.substring(3, csv.length() - 2);
  }

  @Test
  void writesAHeaderAndRowsWithCrlfLineEnds() {
    String csv =
        CsvWriter.withHeader("period", "start", "new_accounts")
            .row("2024-02", LocalDate.of(2024, 2, 1), 12L)
            .row("2024-03", LocalDate.of(2024, 3, 1), 0)
            .toString();

    assertThat(csv)
        .isEqualTo(
            "period,start,new_accounts\r\n2024-02,2024-02-01,12\r\n2024-03,2024-03-01,0\r\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "plain|plain",
        "a,b|\"a,b\"",
        "say \"hi\"|\"say \"\"hi\"\"\"",
        "=HYPERLINK(\"http://x\",\"y\")|\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
        "=1+2|'=1+2",
        "+1|'+1",
        "-2|'-2",
        "@x|'@x",
        "a=b|a=b",
        "Saint-Helier|Saint-Helier",
        "'quoted|'quoted",
        "Ynys Môn – Anglesey|Ynys Môn – Anglesey"
      })
  void escapesAndQuotesText(String text, String written) {
    assertThat(one(text)).isEqualTo(written);
  }

  @Test
  void escapesTabCarriageReturnAndQuotesLineBreaks() {
    assertThat(one("\tx")).isEqualTo("'\tx");
    assertThat(one("\r=x")).isEqualTo("\"'\r=x\"");
    assertThat(one("line\nbreak")).isEqualTo("\"line\nbreak\"");
    assertThat(one("a\r\nb")).isEqualTo("\"a\r\nb\"");
  }

  @Test
  void writesNumbersAsPlainDecimals_neverEscaped() {
    assertThat(one(-2L)).isEqualTo("-2");
    assertThat(one(-2)).isEqualTo("-2");
    assertThat(one(12.5)).isEqualTo("12.5");
    assertThat(one(-0.25)).isEqualTo("-0.25");
    assertThat(one(100.0)).isEqualTo("100");
    assertThat(one(0.0)).isEqualTo("0");
    assertThat(one(1.0e7)).isEqualTo("10000000");
    assertThat(one(0.0001)).isEqualTo("0.0001");
    assertThat(one(new BigDecimal("-1E+3"))).isEqualTo("-1000");
    assertThat(one(Long.MAX_VALUE)).isEqualTo("9223372036854775807");
  }

  @Test
  void writesNullAsAnEmptyCell() {
    String csv = CsvWriter.withHeader("a", "b", "c").row(null, "x", null).toString();

    assertThat(csv).isEqualTo("a,b,c\r\n,x,\r\n");
    List<CSVRecord> records = parse(csv);
    assertThat(records.get(1).toList()).containsExactly("", "x", "");
  }

  @Test
  void refusesRowsOfTheWrongWidthAndCellsWithNoCsvForm() {
    CsvWriter csv = CsvWriter.withHeader("a", "b");

    assertThatThrownBy(() -> csv.row("x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> csv.row("x", new Object()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> csv.row("x", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> csv.row("x", Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roundTripsThroughAnRfc4180Parser_asUtf8() {
    List<String> hard =
        List.of("=cmd|' /C calc'!A0", "a,b", "say \"hi\"", "two\r\nlines", "Côte", "", " x ");
    CsvWriter writer = CsvWriter.withHeader("text", "n");
    for (String text : hard) {
      writer.row(text, -1L);
    }
    String csv = new String(writer.toBytes(), StandardCharsets.UTF_8);

    List<CSVRecord> records = parse(csv);
    assertThat(records).hasSize(hard.size() + 1);
    for (int i = 0; i < hard.size(); i++) {
      assertThat(records.get(i + 1).get(0)).isEqualTo(CsvWriter.text(hard.get(i)));
      assertThat(records.get(i + 1).get(1)).isEqualTo("-1");
    }
    assertThat(records.get(1).get(0)).isEqualTo("'=cmd|' /C calc'!A0");
  }

  private static List<CSVRecord> parse(String csv) {
    try {
      return CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
