package uk.gov.residentportal.uptake;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The areas the council loads for the uptake reports: at start-up the postcode table and the areas'
 * population become exactly what {@code PORTAL_AREAS_FILE} and {@code PORTAL_POPULATION_FILE} hold
 * (both or neither; neither leaves the tables as they are). The replacement is one transaction
 * under the uptake writer lock, so replicas starting together load in turn, and a file the tables
 * already hold changes nothing. Accounts keep the area they were counted in: a new postcode table
 * applies to sign-ups and postcode changes from then on.
 */
@Singleton
public class UptakeAreas {
  private static final Logger LOG = LoggerFactory.getLogger(UptakeAreas.class);
  private static final int BATCH = 1000;

  private final UptakeLedger ledger;
  private final JdbcOperations jdbc;
  private final String areasFile;
  private final String populationFile;

  UptakeAreas(
      UptakeLedger ledger,
      JdbcOperations jdbc,
      @Value("${portal.uptake.areas-file:}") String areasFile,
      @Value("${portal.uptake.population-file:}") String populationFile) {
    this.ledger = ledger;
    this.jdbc = jdbc;
    this.areasFile = areasFile;
    this.populationFile = populationFile;
  }

  /**
   * Loads the configured files, if any.
   *
   * @throws UptakeAreaFiles.BadFile when only one file is configured, or a line is bad (nothing is
   *     written then)
   */
  public void loadFromFiles() {
    boolean areas = areasFile != null && !areasFile.isBlank();
    boolean population = populationFile != null && !populationFile.isBlank();
    if (!areas && !population) {
      return;
    }
    if (areas != population) {
      throw new UptakeAreaFiles.BadFile(
          UptakeAreaFiles.AREAS_SETTING
              + " and "
              + UptakeAreaFiles.POPULATION_SETTING
              + " go together: set both or neither");
    }
    UptakeAreaFiles.Tables tables =
        UptakeAreaFiles.read(Path.of(areasFile), Path.of(populationFile));
    boolean changed = replace(tables);
    LOG.info(
        "{} postcode key(s) in {} areas from {} and {}: {}",
        tables.postcodeAreas().size(),
        tables.areas().size(),
        UptakeAreaFiles.AREAS_SETTING,
        UptakeAreaFiles.POPULATION_SETTING,
        changed ? "loaded" : "unchanged");
  }

  /**
   * Makes the tables hold exactly {@code tables}, in one transaction under the writer lock.
   *
   * @return false when they held it already (nothing was written)
   */
  @Transactional
  boolean replace(UptakeAreaFiles.Tables tables) {
    ledger.lockWriter();
    if (tables.equals(stored())) {
      return false;
    }
    jdbc.prepareStatement(
        "DELETE FROM uptake_postcode_areas", statement -> statement.executeUpdate());
    jdbc.prepareStatement("DELETE FROM uptake_areas", statement -> statement.executeUpdate());
    List<UptakeAreaFiles.Area> areas = new ArrayList<>(tables.areas().values());
    for (int from = 0; from < areas.size(); from += BATCH) {
      List<UptakeAreaFiles.Area> chunk = areas.subList(from, Math.min(areas.size(), from + BATCH));
      jdbc.prepareStatement(
          "INSERT INTO uptake_areas (area_code, name, population, population_source,"
              + " population_year) VALUES (?, ?, ?, ?, ?)",
          statement -> {
            for (UptakeAreaFiles.Area area : chunk) {
              statement.setString(1, area.code());
              statement.setString(2, area.name());
              if (area.population() == null) {
                statement.setNull(3, Types.INTEGER);
              } else {
                statement.setInt(3, area.population());
              }
              statement.setString(4, area.source());
              if (area.year() == null) {
                statement.setNull(5, Types.SMALLINT);
              } else {
                statement.setInt(5, area.year());
              }
              statement.addBatch();
            }
            return statement.executeBatch();
          });
    }
    List<Map.Entry<String, String>> keys = new ArrayList<>(tables.postcodeAreas().entrySet());
    for (int from = 0; from < keys.size(); from += BATCH) {
      List<Map.Entry<String, String>> chunk =
          keys.subList(from, Math.min(keys.size(), from + BATCH));
      jdbc.prepareStatement(
          "INSERT INTO uptake_postcode_areas (postcode_key, area_code) VALUES (?, ?)",
          statement -> {
            for (Map.Entry<String, String> key : chunk) {
              statement.setString(1, key.getKey());
              statement.setString(2, key.getValue());
              statement.addBatch();
            }
            return statement.executeBatch();
          });
    }
    return true;
  }

  /** What the tables hold now. */
  private UptakeAreaFiles.Tables stored() {
    Map<String, String> postcodes =
        jdbc.prepareStatement(
            "SELECT postcode_key, area_code FROM uptake_postcode_areas",
            statement -> {
              Map<String, String> rows = new HashMap<>();
              try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                  rows.put(result.getString(1), result.getString(2));
                }
              }
              return rows;
            });
    Map<String, UptakeAreaFiles.Area> areas =
        jdbc.prepareStatement(
            "SELECT area_code, name, population, population_source, population_year"
                + " FROM uptake_areas",
            statement -> {
              Map<String, UptakeAreaFiles.Area> rows = new HashMap<>();
              try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                  int population = result.getInt(3);
                  Integer knownPopulation = result.wasNull() ? null : population;
                  int year = result.getInt(5);
                  Integer knownYear = result.wasNull() ? null : year;
                  rows.put(
                      result.getString(1),
                      new UptakeAreaFiles.Area(
                          result.getString(1),
                          result.getString(2),
                          knownPopulation,
                          result.getString(4),
                          knownYear));
                }
              }
              return rows;
            });
    return new UptakeAreaFiles.Tables(postcodes, areas);
  }
}
