package uk.gov.residentportal.uptake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The areas and population files: strict, all or nothing, errors naming the file and line. */
class UptakeAreaFilesTest {
  private static final String POPULATION_HEADER = "area_code,name,population,source,year\n";
  private static final String AREAS_HEADER = "postcode,area_code\n";
  private static final String GOOD_POPULATION =
      POPULATION_HEADER
          + "E05010001,Abbey,12345,ONS mid-2022 ward estimates,2022\n"
          + "E05010002,Castle,,,\n";
  private static final String GOOD_AREAS =
      AREAS_HEADER + "LE1,E05010002\nLE1 6,E05010001\nLE1 6ZG,E05010002\n";

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private UptakeAreaFiles.Tables read(String areas, String population) throws IOException {
    return UptakeAreaFiles.read(write("areas.csv", areas), write("population.csv", population));
  }

  @Nested
  class GoodFiles {
    @Test
    void readsEveryKeyAndAreaInCanonicalForm() throws IOException {
      UptakeAreaFiles.Tables tables =
          read(
              "\uFEFF# a comment line\n"
                  + AREAS_HEADER
                  + "le1,E05010002\r\n"
                  + "\n"
                  + "  LE1   6 ,E05010001\n"
                  + "le16zg,E05010002\n"
                  + "\"B1 1AA\",E05010001",
              GOOD_POPULATION);

      assertThat(tables.postcodeAreas())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "LE1", "E05010002",
                  "LE1 6", "E05010001",
                  "LE1 6ZG", "E05010002",
                  "B1 1AA", "E05010001"));
      assertThat(tables.areas())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "E05010001",
                  new UptakeAreaFiles.Area(
                      "E05010001", "Abbey", 12345, "ONS mid-2022 ward estimates", 2022),
                  "E05010002",
                  new UptakeAreaFiles.Area("E05010002", "Castle", null, null, null)));
    }

    @Test
    void acceptsAnAreaWithPopulationButNoPostcodes() throws IOException {
      UptakeAreaFiles.Tables tables = read(AREAS_HEADER, GOOD_POPULATION);
      assertThat(tables.postcodeAreas()).isEmpty();
      assertThat(tables.areas()).hasSize(2);
    }

    @Test
    void readsTheShippedSamples() {
      UptakeAreaFiles.Tables tables =
          UptakeAreaFiles.read(
              Path.of("config/uptake/sample-areas.csv"),
              Path.of("config/uptake/sample-population.csv"));
      assertThat(tables.areas()).hasSize(8);
      assertThat(tables.postcodeAreas()).containsEntry("LE1 6ZG", "E05999908");
    }

    @Test
    void keepsNamesWithQuotesCommasAndAccents() throws IOException {
      UptakeAreaFiles.Tables tables =
          read(
              AREAS_HEADER,
              POPULATION_HEADER + "W05000001,\"Ynys Môn, \"\"North\"\"\",70000,ONS,2022\n");
      assertThat(tables.areas().get("W05000001").name()).isEqualTo("Ynys Môn, \"North\"");
    }
  }

  static Stream<Arguments> badPopulationFiles() {
    return Stream.of(
        Arguments.of("E05010003,Abbey,-5,ONS,2022", "population must not be negative"),
        Arguments.of("E05010003,Abbey,twelve,ONS,2022", "population must be a whole number"),
        Arguments.of("E05010003,Abbey,12.5,ONS,2022", "population must be a whole number"),
        Arguments.of("E05010003,Abbey,99999999999,ONS,2022", "population must be a whole number"),
        Arguments.of("E05010003,Abbey,100,ONS,1899", "year must be a year from 1900 to 2100"),
        Arguments.of("E05010003,Abbey,100,ONS,2101", "year must be a year from 1900 to 2100"),
        Arguments.of("E05010003,Abbey,100,ONS,last year", "year must be a year"),
        Arguments.of("E05010003,Abbey,100,,2022", "source must be given with a population"),
        Arguments.of("E05010003,Abbey,100,ONS,", "year must be given with a population"),
        Arguments.of("E05010003,,100,ONS,2022", "name must not be empty"),
        Arguments.of("E05010003,   ,100,ONS,2022", "name must not be empty"),
        Arguments.of("E05010003," + "a".repeat(101) + ",100,ONS,2022", "name must be at most 100"),
        Arguments.of("E05010003,Abbey\u202Eyebba,100,ONS,2022", "name must not contain control"),
        Arguments.of("E05010003,\"Ab\nbey\",100,ONS,2022", "name must not contain control"),
        Arguments.of("E05010003,Ab\u0007bey,100,ONS,2022", "name must not contain control"),
        Arguments.of("E05 010001,Abbey,100,ONS,2022", "area_code must be 1 to 16"),
        Arguments.of("-E05010001,Abbey,100,ONS,2022", "area_code must be 1 to 16"),
        Arguments.of("E05010001E05010001,Abbey,100,ONS,2022", "area_code must be 1 to 16"),
        Arguments.of("E05010003,Abbey,100,ONS", "has 4 values where the header has 5"),
        Arguments.of("E05010003,Abbey,100,ONS,2022,extra", "has 6 values where the header has 5"),
        Arguments.of("E05010002,Again,100,ONS,2022", "area_code E05010002 is already on line 3"),
        Arguments.of("e05010002,Again,100,ONS,2022", "area_code E05010002 is already on line 3"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badPopulationFiles")
  void refusesABadPopulationLineNamingFileAndLine(String line, String message) throws IOException {
    // Line 1 header, 2 and 3 good areas, 4 the bad one.
    String population = GOOD_POPULATION + line + "\n";
    assertThatThrownBy(() -> read(AREAS_HEADER, population))
        .isInstanceOf(UptakeAreaFiles.BadFile.class)
        .hasMessageStartingWith("PORTAL_POPULATION_FILE " + dir.resolve("population.csv"))
        .hasMessageContaining(" line 4: " + message);
  }

  static Stream<Arguments> badAreasFiles() {
    return Stream.of(
        Arguments.of("LE1 6Z,E05010001", "postcode must be a full postcode"),
        Arguments.of("LE1 6ZZZ,E05010001", "postcode must be a full postcode"),
        Arguments.of("1LE,E05010001", "postcode must be a full postcode"),
        Arguments.of(",E05010001", "postcode must be a full postcode"),
        Arguments.of("LE1 6AB,E05010001;DROP", "area_code must be 1 to 16"),
        Arguments.of("LE1 6AB,", "area_code must be 1 to 16"),
        Arguments.of("le1 6zg,E05010001", "postcode LE1 6ZG is already on line 4"),
        Arguments.of("le1,E05010001", "postcode LE1 is already on line 2"),
        Arguments.of("LE2,E05099999", "area_code E05099999 is not in PORTAL_POPULATION_FILE"),
        Arguments.of("LE2", "has 1 values where the header has 2"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badAreasFiles")
  void refusesABadAreasLineNamingFileAndLine(String line, String message) throws IOException {
    String areas = GOOD_AREAS + line + "\n";
    assertThatThrownBy(() -> read(areas, GOOD_POPULATION))
        .isInstanceOf(UptakeAreaFiles.BadFile.class)
        .hasMessageStartingWith("PORTAL_AREAS_FILE " + dir.resolve("areas.csv"))
        .hasMessageContaining(" line 5: " + message);
  }

  @Test
  void countsLinesAfterCommentsBlankLinesAndQuotedLineBreaks() throws IOException {
    String population =
        "# source: a comment\n"
            + POPULATION_HEADER
            + "\n"
            + "E05010001,\"Abbey\",1,\"ONS\nmid-2022\",2022\n"
            + "E05010002,Castle,-1,ONS,2022\n";
    assertThatThrownBy(() -> read(AREAS_HEADER, population))
        .hasMessageContaining(" line 4: source must not contain control");
    String second =
        "# source: a comment\n"
            + POPULATION_HEADER
            + "\n"
            + "E05010001,\"Abbey\",1,\"ONS\",2022\n"
            + "E05010002,Castle,-1,ONS,2022\n";
    assertThatThrownBy(() -> read(AREAS_HEADER, second))
        .hasMessageContaining(" line 5: population must not be negative");
  }

  @Test
  void refusesAWrongHeader() throws IOException {
    assertThatThrownBy(() -> read("postcode,ward\nLE1,E05010001\n", GOOD_POPULATION))
        .isInstanceOf(UptakeAreaFiles.BadFile.class)
        .hasMessageContaining("PORTAL_AREAS_FILE")
        .hasMessageContaining(" line 1: the header must be postcode,area_code");
    assertThatThrownBy(() -> read(GOOD_AREAS, "area_code,name,population,year,source\n"))
        .hasMessageContaining(" line 1: the header must be area_code,name,population,source,year");
  }

  @Test
  void refusesAnEmptyFile() throws IOException {
    assertThatThrownBy(() -> read("", GOOD_POPULATION))
        .isInstanceOf(UptakeAreaFiles.BadFile.class)
        .hasMessageContaining("PORTAL_AREAS_FILE")
        .hasMessageContaining("is empty");
  }

  @Test
  void refusesMalformedCsvWithoutQuotingTheContent() throws IOException {
    assertThatThrownBy(
            () -> read(GOOD_AREAS, POPULATION_HEADER + "E05010001,\"Abbey\"x,1,ONS,2022\n"))
        .isInstanceOf(UptakeAreaFiles.BadFile.class)
        .hasMessageContaining("PORTAL_POPULATION_FILE")
        .hasMessageContaining("not valid CSV");
  }

  @Test
  void refusesTextThatIsNotUtf8() throws IOException {
    Path areas = write("areas.csv", GOOD_AREAS);
    Path population = dir.resolve("population.csv");
    Files.write(
        population,
        (POPULATION_HEADER + "E05010001,Caf\u00e9,1,ONS,2022\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> UptakeAreaFiles.read(areas, population))
        .isInstanceOf(UptakeAreaFiles.BadFile.class)
        .hasMessageContaining("PORTAL_POPULATION_FILE")
        .hasMessageContaining("is not UTF-8");
  }

  @Test
  void refusesAMissingFile() {
    assertThatThrownBy(
            () -> UptakeAreaFiles.read(dir.resolve("none.csv"), dir.resolve("none-either.csv")))
        .isInstanceOf(UptakeAreaFiles.BadFile.class)
        .hasMessageContaining("PORTAL_POPULATION_FILE")
        .hasMessageContaining("cannot be read");
  }

  @Test
  void neverPutsTheWholeLineInTheMessage() throws IOException {
    String secret = "Very Long Name That Is Not Shown";
    assertThatThrownBy(
            () -> read(AREAS_HEADER, POPULATION_HEADER + "E05010001," + secret + ",-1,ONS,2022\n"))
        .hasMessageNotContaining(secret);
  }
}
