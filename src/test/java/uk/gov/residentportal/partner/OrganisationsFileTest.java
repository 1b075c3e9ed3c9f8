package uk.gov.residentportal.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.gov.residentportal.partner.AdminOrganisationsTest.auditEvents;
import static uk.gov.residentportal.partner.AdminOrganisationsTest.newOds;
import static uk.gov.residentportal.partner.AdminOrganisationsTest.organisationRows;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.Sql;

/**
 * PORTAL_ORGANISATIONS_FILE: its organisations are registered at start-up (the test file's RX1 and
 * RX2 exist), upserts are idempotent and audited only when they change something, a restart never
 * changes an existing organisation's active flag, the whole file applies in one transaction, and a
 * bad file stops the start with a message naming the entry.
 */
@MicronautTest(transactional = false)
class OrganisationsFileTest {
  @Inject OrganisationBootstrap bootstrap;
  @Inject Organisations organisations;

  @TempDir Path dir;

  private Path file(String json) throws IOException {
    Path file = Files.createTempFile(dir, "organisations", ".json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }

  private static String entry(String ods, String name, String type, Boolean active) {
    return "{\"odsCode\":\""
        + ods
        + "\",\"name\":\""
        + name
        + "\",\"type\":\""
        + type
        + "\""
        + (active == null ? "" : ",\"active\":" + active)
        + "}";
  }

  private static Map<String, Object> row(String ods) {
    return Map.of(
        "name",
        Sql.string("SELECT name FROM partner_organisations WHERE ods_code = ?", ods),
        "type",
        Sql.string("SELECT org_type FROM partner_organisations WHERE ods_code = ?", ods),
        "active",
        Sql.count("SELECT COUNT(*) FROM partner_organisations WHERE ods_code = ? AND active", ods)
            == 1);
  }

  @Test
  void theTestFileIsRegisteredAtStartUp_beforeTheClientsThatNameIt() {
    assertThat(organisations.isActive("RX1")).isTrue();
    assertThat(organisations.isActive("RX2")).isTrue();
    assertThat(organisations.names(List.of("RX1", "RX2")))
        .containsEntry("RX1", "Leicester Royal Infirmary")
        .containsEntry("RX2", "Test Partner Two");
    // test-clients.json registers partner-rx1 for RX1: accepted only because RX1 came first.
    assertThat(Sql.string("SELECT organisation_ods FROM clients WHERE client_id = 'partner-rx1'"))
        .isEqualTo("RX1");
  }

  @Test
  void registersNewOrganisations_auditedAsTheSystem_andAgainChangesNothing() throws IOException {
    String trust = newOds();
    String practice = newOds();
    Path file =
        file(
            "["
                + entry(trust, "A Trust", "NHS_TRUST", null)
                + ","
                + entry(practice, "A Practice", "GP_PRACTICE", false)
                + "]");

    bootstrap.registerFrom(file);
    bootstrap.registerFrom(file);

    assertThat(row(trust)).containsEntry("name", "A Trust").containsEntry("active", true);
    assertThat(row(practice)).containsEntry("type", "GP_PRACTICE").containsEntry("active", false);
    assertThat(
            Sql.count(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'ADMIN_ORGANISATION_REGISTERED'"
                    + " AND actor_type = 'SYSTEM' AND actor_id IS NULL AND organisation_ods = ?",
                trust))
        .isEqualTo(1);
    assertThat(auditEvents("ADMIN_ORGANISATION_CHANGED", trust)).isZero();
  }

  @Test
  void updatesNameAndType_andNeverChangesAnExistingOrganisationsActiveFlag() throws IOException {
    String ods = newOds();
    bootstrap.registerFrom(file("[" + entry(ods, "Old name", "NHS_TRUST", null) + "]"));
    // An administrator deactivates it.
    Sql.update("UPDATE partner_organisations SET active = FALSE WHERE ods_code = ?", ods);

    bootstrap.registerFrom(file("[" + entry(ods, "New name", "ICB", null) + "]"));

    assertThat(row(ods))
        .containsEntry("name", "New name")
        .containsEntry("type", "ICB")
        .containsEntry("active", false);
    assertThat(auditEvents("ADMIN_ORGANISATION_CHANGED", ods)).isEqualTo(1);

    // The file says active: the deactivation survives the restart all the same, and nothing
    // changed, so nothing is audited.
    bootstrap.registerFrom(file("[" + entry(ods, "New name", "ICB", true) + "]"));

    assertThat(organisations.isActive(ods)).isFalse();
    assertThat(auditEvents("ADMIN_ORGANISATION_CHANGED", ods)).isEqualTo(1);
  }

  @Test
  void keepsAReactivationTooWhenTheFileSaysInactive() throws IOException {
    String ods = newOds();
    bootstrap.registerFrom(file("[" + entry(ods, "A Practice", "GP_PRACTICE", false) + "]"));
    assertThat(organisations.isActive(ods)).isFalse();
    Sql.update("UPDATE partner_organisations SET active = TRUE WHERE ods_code = ?", ods);

    bootstrap.registerFrom(file("[" + entry(ods, "A Practice", "GP_PRACTICE", false) + "]"));

    assertThat(organisations.isActive(ods)).isTrue();
    assertThat(auditEvents("ADMIN_ORGANISATION_CHANGED", ods)).isZero();
  }

  @Test
  void appliesTheWholeFileInOneTransaction_anEntryRefusedWhileWritingUndoesTheOnesBefore()
      throws IOException {
    String first = newOds();
    String renamed = newOds();
    bootstrap.registerFrom(file("[" + entry(renamed, "Before", "ICB", null) + "]"));
    String bad = newOds();
    // The third entry is refused only when it is written (its name), after the first two were.
    Path file =
        file(
            "["
                + entry(first, "Good", "NHS_TRUST", null)
                + ","
                + entry(renamed, "After", "ICB", null)
                + ","
                + entry(bad, "Evil\\u202Ename", "ICB", null)
                + "]");

    assertThatThrownBy(() -> bootstrap.registerFrom(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("PORTAL_ORGANISATIONS_FILE entry 2 (" + bad + ")")
        .hasMessageContaining("name must not contain");

    assertThat(Sql.count("SELECT COUNT(*) FROM partner_organisations WHERE ods_code = ?", first))
        .isZero();
    assertThat(row(renamed)).containsEntry("name", "Before");
    assertThat(auditEvents("ADMIN_ORGANISATION_REGISTERED", first)).isZero();
    assertThat(auditEvents("ADMIN_ORGANISATION_CHANGED", renamed)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\u202E", "\\u0085", "\\u2028", "\\u2029", "\\u200F"})
  void refusesANameWithBidiOverridesControlsOrLineSeparators(String character) throws IOException {
    String ods = newOds();
    Path file = file("[" + entry(ods, "A" + character + "Trust", "NHS_TRUST", null) + "]");

    assertThatThrownBy(() -> bootstrap.registerFrom(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("entry 0 (" + ods + "): [name must not contain");
    assertThat(Sql.count("SELECT COUNT(*) FROM partner_organisations WHERE ods_code = ?", ods))
        .isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"odsCode\":\"rx9\",\"name\":\"N\",\"type\":\"ICB\"}|entry 1: odsCode must be an ODS code",
        "{\"odsCode\":\"@\",\"type\":\"ICB\"}|entry 1: name is required",
        "{\"odsCode\":\"@\",\"name\":\"N\"}|entry 1: type is required",
        "{\"odsCode\":\"@\",\"name\":\"N\",\"type\":\"TRUST\"}|entry 1: [type must be one of",
        "{\"odsCode\":\"@\",\"name\":\"N\",\"type\":\"ICB\",\"active\":\"no\"}|entry 1: [active",
        "{\"odsCode\":\"#\",\"name\":\"N\",\"type\":\"ICB\"}|entry 1: odsCode # is repeated",
        "42|entry 1: [body must be a JSON object]",
      })
  void refusesABadEntryNamingIt_andRegistersNothingFromTheFile(String badAndMessage)
      throws IOException {
    String first = newOds();
    String second = newOds();
    String bad =
        badAndMessage
            .substring(0, badAndMessage.lastIndexOf('|'))
            .replace("@", second)
            .replace("#", first);
    String message =
        badAndMessage.substring(badAndMessage.lastIndexOf('|') + 1).replace("#", first);
    Path file = file("[" + entry(first, "Good", "NHS_TRUST", null) + "," + bad + "]");
    long before = organisationRows();

    assertThatThrownBy(() -> bootstrap.registerFrom(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("PORTAL_ORGANISATIONS_FILE ")
        .hasMessageContaining(message);
    assertThat(organisationRows()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "[{]"})
  void refusesAFileThatIsNotJson(String content) throws IOException {
    Path file = file(content);

    assertThatThrownBy(() -> bootstrap.registerFrom(file))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("PORTAL_ORGANISATIONS_FILE");
  }

  @Test
  void refusesAFileThatIsNotAnArray() throws IOException {
    Path file = file(entry(newOds(), "N", "ICB", null));

    assertThatThrownBy(() -> bootstrap.registerFrom(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must hold a JSON array");
  }

  @Test
  void refusesAMissingFile() {
    assertThatThrownBy(() -> bootstrap.registerFrom(dir.resolve("absent.json")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("PORTAL_ORGANISATIONS_FILE")
        .hasMessageContaining("absent.json");
  }
}
