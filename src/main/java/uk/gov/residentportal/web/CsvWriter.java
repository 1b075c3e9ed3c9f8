package uk.gov.residentportal.web;

import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * One CSV table (a header row, then rows) as RFC 4180 text for spreadsheets: CRLF line ends, a
 * field quoted when it holds a comma, a quote, CR or LF (quotes doubled), UTF-8. Apache Commons CSV
 * does the quoting.
 *
 * <p>Spreadsheet-safe (OWASP "CSV injection"): a text cell that begins with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return is written with a leading {@code '}, so a
 * spreadsheet shows it as text instead of running it as a formula. Only text goes through that
 * rule: numbers ({@link Long}, {@link Integer}, {@link BigDecimal}, finite {@link Double}) and
 * dates are cells we make ourselves from typed values, written as plain decimals (never exponent
 * notation, never a % sign), so a negative number stays {@code -2} and a percentage stays {@code
 * 12.5}. Null is an empty cell. Any other type is refused, so text cannot reach a spreadsheet
 * unescaped by being passed as something else.
 */
public final class CsvWriter {
  /** The media type of the result. */
  public static final String CONTENT_TYPE = "text/csv; charset=utf-8";

  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180
          .builder()
          .setRecordSeparator("\r\n")
          .setQuoteMode(QuoteMode.MINIMAL)
          .setNullString("")
          .get();

  private final int columns;
  private final StringBuilder out = new StringBuilder();
  private final CSVPrinter printer;

  private CsvWriter(List<String> header) {
    this.columns = header.size();
    try {
      this.printer = new CSVPrinter(out, FORMAT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    row(header.toArray());
  }

  /** A table with these column names (text cells). */
  public static CsvWriter withHeader(String... columns) {
    return new CsvWriter(Arrays.asList(columns));
  }

  /**
   * Adds a row of exactly as many cells as the header has: text ({@link String}), numbers, dates or
   * null (empty).
   */
  public CsvWriter row(@Nullable Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + columns + " columns");
    }
    List<String> values = new ArrayList<>(cells.length);
    for (Object cell : cells) {
      values.add(cell(cell));
    }
    try {
      printer.printRecord(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringBuilder does not throw
    }
    return this;
  }

  /** The table as text. */
  @Override
  public String toString() {
    return out.toString();
  }

  /** The table as UTF-8 bytes (no byte order mark). */
  public byte[] toBytes() {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The cell's value before quoting: escaped text, or a number or date as we write them. */
  static @Nullable String cell(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      return text(text);
    }
    if (value instanceof Long || value instanceof Integer) {
      return value.toString();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof Double number) {
      if (number.isNaN() || number.isInfinite()) {
        throw new IllegalArgumentException("not a finite number");
      }
      return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }
    if (value instanceof LocalDate date) {
      return date.toString();
    }
    throw new IllegalArgumentException("no CSV form for " + value.getClass().getSimpleName());
  }

  /**
   * A text cell made safe for spreadsheets: a leading {@code '} before a first character that a
   * spreadsheet would read as the start of a formula ({@code = + - @}, tab, carriage return).
   */
  public static String text(String value) {
    if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
      return "'" + value;
    }
    return value;
  }
}
