package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import uk.gov.residentportal.shared.Postcodes;

/**
 * Reads the two files the council loads for the uptake reports, strictly: the postcode → area table
 * ({@code PORTAL_AREAS_FILE}, header {@code postcode,area_code}; the shape of the ONS National
 * Statistics Postcode Lookup reduced to two columns) and the areas with their population ({@code
 * PORTAL_POPULATION_FILE}, header {@code area_code,name,population,source,year}, e.g. ONS mid-year
 * estimates by ward). RFC 4180 CSV in UTF-8 (a byte order mark is allowed); blank lines and lines
 * starting with {@code #} are skipped, cells are trimmed. Any bad line fails the whole load with a
 * message naming the file and line, never the file's content beyond the bad value.
 */
final class UptakeAreaFiles {
  static final String AREAS_SETTING = "PORTAL_AREAS_FILE";
  static final String POPULATION_SETTING = "PORTAL_POPULATION_FILE";

  static final List<String> AREAS_HEADER = List.of("postcode", "area_code");
  static final List<String> POPULATION_HEADER =
      List.of("area_code", "name", "population", "source", "year");

  private static final Pattern AREA_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,15}");
  private static final Pattern SECTOR = Pattern.compile("[A-Z]{1,2}[0-9][A-Z0-9]? [0-9]");
  private static final Pattern DISTRICT = Pattern.compile("[A-Z]{1,2}[0-9][A-Z0-9]?");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,10}");

  /** As {@code OrganisationRegistry}: controls, format (bidi, zero-width), line separators. */
  private static final Pattern UNSAFE_TEXT = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

  static final int MAX_NAME = 100;
  static final int MAX_SOURCE = 200;
  static final int FIRST_YEAR = 1900;
  static final int LAST_YEAR = 2100;

  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180
          .builder()
          .setCommentMarker('#')
          .setIgnoreEmptyLines(true)
          .setIgnoreSurroundingSpaces(true)
          .get();

  private UptakeAreaFiles() {}

  /** An area and its population (null: unknown), with where the figure comes from. */
  record Area(
      String code,
      String name,
      @Nullable Integer population,
      @Nullable String source,
      @Nullable Integer year) {}

  /** What the two files hold: postcode keys to area codes, and the areas by code. */
  record Tables(Map<String, String> postcodeAreas, Map<String, Area> areas) {
    Tables {
      postcodeAreas = Map.copyOf(postcodeAreas);
      areas = Map.copyOf(areas);
    }
  }

  /** A bad file: the message names the setting, the file and the line. */
  static final class BadFile extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    BadFile(String message) {
      super(message);
    }

    BadFile(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Reads both files and checks them against each other.
   *
   * @throws BadFile at the first bad line (the message names the file and line)
   */
  static Tables read(Path areasFile, Path populationFile) {
    Map<String, Area> areas = readPopulation(populationFile);
    Map<String, String> postcodes = readAreas(areasFile, areas);
    return new Tables(postcodes, areas);
  }

  /** The postcode table; every area it names must be in {@code areas}. */
  static Map<String, String> readAreas(Path file, Map<String, Area> areas) {
    Map<String, String> postcodes = new LinkedHashMap<>();
    Map<String, Integer> lineOfKey = new HashMap<>();
    Source source = new Source(AREAS_SETTING, file);
    for (Line line : source.lines(AREAS_HEADER)) {
      String key = postcodeKey(line.cell(0));
      if (key == null) {
        throw line.bad(
            "postcode", "must be a full postcode (LE1 6ZG), a sector (LE1 6) or a district (LE1)");
      }
      String code = areaCode(line, line.cell(1));
      Integer earlier = lineOfKey.putIfAbsent(key, line.number());
      if (earlier != null) {
        throw line.bad("postcode", key + " is already on line " + earlier);
      }
      if (!areas.containsKey(code)) {
        throw line.bad("area_code", code + " is not in " + POPULATION_SETTING);
      }
      postcodes.put(key, code);
    }
    return postcodes;
  }

  /** The areas with their population, by code. */
  static Map<String, Area> readPopulation(Path file) {
    Map<String, Area> areas = new LinkedHashMap<>();
    Map<String, Integer> lineOfCode = new HashMap<>();
    Source source = new Source(POPULATION_SETTING, file);
    for (Line line : source.lines(POPULATION_HEADER)) {
      String code = areaCode(line, line.cell(0));
      // The database compares codes without regard to case: so does this check.
      Integer earlier = lineOfCode.putIfAbsent(code.toUpperCase(Locale.ROOT), line.number());
      if (earlier != null) {
        throw line.bad("area_code", code + " is already on line " + earlier);
      }
      String name = text(line, "name", line.cell(1), MAX_NAME);
      if (name == null) {
        throw line.bad("name", "must not be empty");
      }
      Integer population = population(line, line.cell(2));
      String from = text(line, "source", line.cell(3), MAX_SOURCE);
      Integer year = year(line, line.cell(4));
      if (population != null && (from == null || year == null)) {
        throw line.bad(
            from == null ? "source" : "year", "must be given with a population (where it is from)");
      }
      areas.put(code, new Area(code, name, population, from, year));
    }
    return areas;
  }

  /**
   * A key of the postcode table in canonical form: a full postcode as {@link Postcodes#normalise}
   * gives it, a sector ("LE1 6") or a district ("LE1"), upper case with one space; null for any
   * other shape.
   */
  @Nullable
  static String postcodeKey(String text) {
    String full = Postcodes.normalise(text);
    if (full != null) {
      return full;
    }
    String squeezed = text.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    if (SECTOR.matcher(squeezed).matches() || DISTRICT.matcher(squeezed).matches()) {
      return squeezed;
    }
    return null;
  }

  private static String areaCode(Line line, String code) {
    if (!AREA_CODE.matcher(code).matches()) {
      throw line.bad(
          "area_code",
          "must be 1 to 16 letters, digits, '-' or '_' starting with a letter or digit"
              + " (such as E05010001)");
    }
    // Stored upper case, as reports look them up (UptakeQuery): one form on every database.
    return code.toUpperCase(Locale.ROOT);
  }

  /** Null when empty. */
  @Nullable
  private static String text(Line line, String column, String value, int max) {
    if (value.isEmpty()) {
      return null;
    }
    if (UNSAFE_TEXT.matcher(value).find()) {
      throw line.bad(
          column, "must not contain control, format (bidi) or line separator characters");
    }
    if (value.codePointCount(0, value.length()) > max) {
      throw line.bad(column, "must be at most " + max + " characters");
    }
    return value;
  }

  @Nullable
  private static Integer population(Line line, String value) {
    if (value.isEmpty()) {
      return null;
    }
    if (value.startsWith("-") && WHOLE_NUMBER.matcher(value.substring(1)).matches()) {
      throw line.bad("population", "must not be negative");
    }
    if (!WHOLE_NUMBER.matcher(value).matches() || Long.parseLong(value) > Integer.MAX_VALUE) {
      throw line.bad("population", "must be a whole number of people (digits only) or empty");
    }
    return Integer.valueOf(value);
  }

  @Nullable
  private static Integer year(Line line, String value) {
    if (value.isEmpty()) {
      return null;
    }
    if (!WHOLE_NUMBER.matcher(value).matches()
        || Long.parseLong(value) < FIRST_YEAR
        || Long.parseLong(value) > LAST_YEAR) {
      throw line.bad("year", "must be a year from " + FIRST_YEAR + " to " + LAST_YEAR);
    }
    return Integer.valueOf(value);
  }

  /** One file: its text, and where each line starts (for line numbers). */
  private static final class Source {
    private final String setting;
    private final Path file;
    private final String text;
    private final int[] lineStarts;

    Source(String setting, Path file) {
      this.setting = setting;
      this.file = file;
      this.text = utf8(setting, file);
      List<Integer> starts = new ArrayList<>();
      starts.add(0);
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          starts.add(i + 1);
        }
      }
      this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The records after the header (which must be exactly {@code header}, in that order). */
    List<Line> lines(List<String> header) {
      List<Line> lines = new ArrayList<>();
      boolean first = true;
      try (CSVParser parser = CSVParser.parse(text, FORMAT)) {
        for (CSVRecord record : parser) {
          Line line =
              new Line(this, lineOf(record.getCharacterPosition()), List.of(record.values()));
          if (first) {
            first = false;
            List<String> found =
                Arrays.stream(record.values()).map(v -> v.toLowerCase(Locale.ROOT)).toList();
            if (!found.equals(header)) {
              throw new BadFile(
                  where(line.number()) + ": the header must be " + String.join(",", header));
            }
            continue;
          }
          if (record.size() != header.size()) {
            throw new BadFile(
                where(line.number())
                    + ": has "
                    + record.size()
                    + " values where the header has "
                    + header.size());
          }
          lines.add(line);
        }
      } catch (IOException | UncheckedIOException e) {
        // Commons CSV names the line of a malformed quote in its message: pass that on, not the
        // content.
        throw new BadFile(setting + " " + file + ": not valid CSV (" + e.getMessage() + ")", e);
      }
      if (first) {
        throw new BadFile(
            setting
                + " "
                + file
                + ": is empty (the header must be "
                + String.join(",", header)
                + ")");
      }
      return lines;
    }

    String where(int line) {
      return setting + " " + file + " line " + line;
    }

    /**
     * The line a record starts on. Its character position may be that of the blank or comment lines
     * the parser skipped before it: those are skipped here too.
     */
    private int lineOf(long position) {
      int at = (int) position;
      while (at < text.length()) {
        char c = text.charAt(at);
        boolean lineStart = at == 0 || text.charAt(at - 1) == '\n' || text.charAt(at - 1) == '\r';
        if (c == '\n' || c == '\r' || (lineStart && c == ' ') || (lineStart && c == '\t')) {
          at++;
        } else if (lineStart && c == '#') {
          while (at < text.length() && text.charAt(at) != '\n' && text.charAt(at) != '\r') {
            at++;
          }
        } else {
          break;
        }
      }
      int found = Arrays.binarySearch(lineStarts, at);
      return (found >= 0 ? found : -found - 2) + 1;
    }

    private static String utf8(String setting, Path file) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new BadFile(setting + " " + file + " cannot be read", e);
      }
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
      } catch (CharacterCodingException e) {
        throw new BadFile(setting + " " + file + ": is not UTF-8 text", e);
      }
      // A byte order mark (spreadsheets write one) is not part of the header.
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
  }

  /** One record of a file, with its line number. */
  private record Line(Source source, int number, List<String> values) {
    String cell(int index) {
      return values.get(index);
    }

    BadFile bad(String column, String message) {
      return new BadFile(source.where(number) + ": " + column + " " + message);
    }
  }
}
