package uk.gov.residentportal.partner;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/**
 * Partner organisations, kept by administrators: registration with a checked ODS code, listing,
 * changes (deactivation stops the organisation at once), each change audited, callers refused.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminOrganisationsTest implements TestPropertyProvider {
  static final String ADMIN = Portal.newEmail();
  static final String PATH = "/api/v1/admin/organisations";
  private static final String PROBLEM = "application/problem+json";
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public Map<String, String> getProperties() {
    return Map.of("portal.bootstrap-admin-email", ADMIN);
  }

  @Inject EmbeddedServer server;
  @Inject Organisations organisations;

  private Portal portal;
  private String adminId;
  private String adminToken;

  @BeforeEach
  void admin() {
    portal = new Portal(server.getURI());
    if (adminId == null) {
      adminId = portal.signUpAndVerify(ADMIN);
    }
    adminToken = portal.signIn(ADMIN).accessToken();
  }

  /** An ODS code no other test uses: Z and eight letters or digits. */
  static String newOds() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder code = new StringBuilder("Z");
    for (int i = 0; i < 8; i++) {
      code.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return code.toString();
  }

  static String organisation(String ods, String name, String type) {
    return "{\"odsCode\":\"" + ods + "\",\"name\":\"" + name + "\",\"type\":\"" + type + "\"}";
  }

  private Portal.Response register(String ods) {
    return portal.json("POST", PATH, organisation(ods, "Test Trust", "NHS_TRUST"), adminToken);
  }

  private Portal.Response patch(String ods, String body) {
    return portal.json("PATCH", PATH + "/" + ods, body, adminToken);
  }

  private Portal.Response withContentType(String method, String path, String contentType) {
    return portal.send(
        HttpRequest.newBuilder(URI.create(portal.base() + path))
            .method(method, HttpRequest.BodyPublishers.ofString("odsCode=RX9"))
            .header("Content-Type", contentType)
            .header("Authorization", "Bearer " + adminToken));
  }

  static void assertProblem(Portal.Response response, int status, String type) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith(PROBLEM);
    assertThat(response.json()).containsEntry("type", "urn:resident-portal:problem:" + type);
  }

  static void assertInvalidField(Portal.Response response, String field) {
    assertProblem(response, 400, "validation");
    assertThat(response.body()).contains("\"field\":\"" + field + "\"");
  }

  static long auditEvents(String action, String ods) {
    return Sql.count(
        "SELECT COUNT(*) FROM audit_events WHERE action = ? AND organisation_ods = ?", action, ods);
  }

  static long organisationRows() {
    return Sql.count("SELECT COUNT(*) FROM partner_organisations");
  }

  @Nested
  class Register {
    @Test
    void registersAnActiveOrganisation_andAuditsItAsTheAdministrator() {
      String ods = newOds();

      Portal.Response created =
          portal.json(
              "POST", PATH, organisation(ods, "  Glenfield Hospital ", "NHS_TRUST"), adminToken);

      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.header("location")).isEqualTo(PATH + "/" + ods);
      assertThat(created.json())
          .containsEntry("odsCode", ods)
          .containsEntry("name", "Glenfield Hospital")
          .containsEntry("type", "NHS_TRUST")
          .containsEntry("active", true)
          .containsKeys("createdAt", "updatedAt");
      assertThat(portal.get(PATH + "/" + ods, adminToken).json()).isEqualTo(created.json());
      assertThat(organisations.isActive(ods)).isTrue();
      assertThat(
              Sql.count(
                  "SELECT COUNT(*) FROM audit_events WHERE action = 'ADMIN_ORGANISATION_REGISTERED'"
                      + " AND outcome = 'SUCCESS' AND actor_type = 'ACCOUNT' AND actor_id = ?"
                      + " AND organisation_ods = ? AND subject IS NULL AND purpose IS NULL",
                  adminId,
                  ods))
          .isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GP_PRACTICE", "ICB", "OTHER_CARE_PROVIDER"})
    void registersEachTypeOfOrganisation(String type) {
      String ods = newOds();

      Portal.Response created =
          portal.json("POST", PATH, organisation(ods, "Somewhere", type), adminToken);

      assertThat(created.status()).isEqualTo(201);
      assertThat(created.json()).containsEntry("type", type);
    }

    @Test
    void registersAnInactiveOrganisationWhenAsked() {
      String ods = newOds();
      String body = organisation(ods, "Not yet live", "ICB").replace("}", ",\"active\":false}");

      Portal.Response created = portal.json("POST", PATH, body, adminToken);

      assertThat(created.json()).containsEntry("active", false);
      assertThat(organisations.isActive(ods)).isFalse();
      assertThat(organisations.isRegistered(ods)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "LLL", // a trust, like RX1
          "LLLLL", // a trust's site, like RX1RA
          "LDDDDD", // a GP practice, like A12345
          "DDD", // digits only
          "LLLLLLLLLL" // ten characters
        })
    void acceptsOdsCodesOfEveryShape(String shape) {
      String ods = codeOfShape(shape);

      Portal.Response created = register(ods);

      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json()).containsEntry("odsCode", ods);
    }

    /** A new code of the shape: L a letter or digit, D a digit (retried if it is taken). */
    private String codeOfShape(String shape) {
      String any = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
      for (int attempt = 0; ; attempt++) {
        StringBuilder code = new StringBuilder();
        for (char c : shape.toCharArray()) {
          String from = c == 'D' ? "0123456789" : any;
          code.append(from.charAt(RANDOM.nextInt(from.length())));
        }
        if (!organisations.isRegistered(code.toString()) || attempt > 20) {
          return code.toString();
        }
      }
    }

    @Test
    void refusesAMissingBody() {
      long before = organisationRows();

      Portal.Response response = portal.json("POST", PATH, null, adminToken);

      assertThat(response.status()).as(response.body()).isEqualTo(400);
      assertThat(response.contentType()).startsWith(PROBLEM);
      assertThat(organisationRows()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "rx1",
          "Rx1",
          "RX",
          "R1",
          "ABCDEFGHIJK",
          "RX1-A",
          "RX 1",
          " RX1",
          "RX_1",
          "ALL_NHS",
          "RX1\\u00c9",
          ""
        })
    void refusesAnythingButThreeToTenUpperCaseLettersOrDigits_andWritesNothing(String ods) {
      long before = organisationRows();

      Portal.Response response = register(ods);

      assertInvalidField(response, "odsCode");
      assertThat(organisationRows()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "{\"name\":\"N\",\"type\":\"ICB\"}|odsCode",
          "{\"odsCode\":null,\"name\":\"N\",\"type\":\"ICB\"}|odsCode",
          "{\"odsCode\":123,\"name\":\"N\",\"type\":\"ICB\"}|odsCode",
          "{\"odsCode\":[\"RX9\"],\"name\":\"N\",\"type\":\"ICB\"}|odsCode",
          "{\"odsCode\":\"@\",\"type\":\"ICB\"}|name",
          "{\"odsCode\":\"@\",\"name\":\"\",\"type\":\"ICB\"}|name",
          "{\"odsCode\":\"@\",\"name\":\"   \",\"type\":\"ICB\"}|name",
          "{\"odsCode\":\"@\",\"name\":42,\"type\":\"ICB\"}|name",
          "{\"odsCode\":\"@\",\"name\":{\"en\":\"N\"},\"type\":\"ICB\"}|name",
          "{\"odsCode\":\"@\",\"name\":\"N\\u0007\",\"type\":\"ICB\"}|name",
          "{\"odsCode\":\"@\",\"name\":\"N\"}|type",
          "{\"odsCode\":\"@\",\"name\":\"N\",\"type\":\"HOSPITAL\"}|type",
          "{\"odsCode\":\"@\",\"name\":\"N\",\"type\":\"nhs_trust\"}|type",
          "{\"odsCode\":\"@\",\"name\":\"N\",\"type\":1}|type",
          "{\"odsCode\":\"@\",\"name\":\"N\",\"type\":\"ICB\",\"active\":\"yes\"}|active",
          "{\"odsCode\":\"@\",\"name\":\"N\",\"type\":\"ICB\",\"active\":\"false\"}|active",
          "{\"odsCode\":\"@\",\"name\":\"N\",\"type\":\"ICB\",\"active\":1}|active",
          "[]|body",
          "\"RX9\"|body",
        })
    void refusesMissingOrBadFieldsNamingThem_andWritesNothing(String bodyAndField) {
      String ods = newOds();
      String body = bodyAndField.substring(0, bodyAndField.lastIndexOf('|')).replace("@", ods);
      String field = bodyAndField.substring(bodyAndField.lastIndexOf('|') + 1);
      long before = organisationRows();

      Portal.Response response = portal.json("POST", PATH, body, adminToken);

      assertInvalidField(response, field);
      assertThat(organisationRows()).isEqualTo(before);
      assertThat(auditEvents("ADMIN_ORGANISATION_REGISTERED", ods)).isZero();
    }

    @Test
    void refusesANameOver200Characters() {
      String ods = newOds();

      assertInvalidField(
          portal.json("POST", PATH, organisation(ods, "x".repeat(201), "ICB"), adminToken), "name");
      assertProblem(portal.get(PATH + "/" + ods, adminToken), 404, "not-found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u202E", "\\u2066", "\\u200B", "\\u0085", "\\u2028", "\\u2029"})
    void refusesANameWithBidiOverridesControlsOrLineSeparators_andWritesNothing(String character) {
      String ods = newOds();

      assertInvalidField(
          portal.json(
              "POST",
              PATH,
              organisation(ods, "Leicester " + character + "Trust", "ICB"),
              adminToken),
          "name");
      assertProblem(portal.get(PATH + "/" + ods, adminToken), 404, "not-found");
      assertThat(auditEvents("ADMIN_ORGANISATION_REGISTERED", ods)).isZero();
    }

    @Test
    void refusesABodyThatIsNotJson() {
      long before = organisationRows();

      assertProblem(
          portal.json("POST", PATH, "{\"odsCode\":", adminToken), 400, "malformed-request");
      assertProblem(withContentType("POST", PATH, "text/plain"), 415, "unsupported-media-type");
      assertProblem(
          withContentType("POST", PATH, "application/x-www-form-urlencoded"),
          415,
          "unsupported-media-type");
      assertThat(organisationRows()).isEqualTo(before);
    }

    @Test
    void refusesARegisteredOdsCodeWith409_andKeepsTheFirst() {
      String ods = newOds();
      assertThat(register(ods).status()).isEqualTo(201);

      Portal.Response again =
          portal.json("POST", PATH, organisation(ods, "Another name", "ICB"), adminToken);

      assertProblem(again, 409, "conflict");
      assertThat(portal.get(PATH + "/" + ods, adminToken).json())
          .containsEntry("name", "Test Trust")
          .containsEntry("type", "NHS_TRUST");
      assertThat(auditEvents("ADMIN_ORGANISATION_REGISTERED", ods)).isEqualTo(1);
    }
  }

  @Nested
  class Read {
    @Test
    void theOrganisationsFileIsRegisteredAtStartUp() {
      assertThat(portal.get(PATH + "/RX1", adminToken).json())
          .containsEntry("odsCode", "RX1")
          .containsEntry("name", "Leicester Royal Infirmary")
          .containsEntry("type", "NHS_TRUST")
          .containsEntry("active", true);
      assertThat(portal.get(PATH + "/RX2", adminToken).json())
          .containsEntry("name", "Test Partner Two")
          .containsEntry("type", "NHS_TRUST");
      assertThat(organisations.names(List.of("RX1", "RX2", "NOPE1")))
          .containsOnlyKeys("RX1", "RX2")
          .containsEntry("RX1", "Leicester Royal Infirmary");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ZZZZZZZZZZ", "rx1", "Rx1", "R", "RX1-A", "ABCDEFGHIJK"})
    void answers404ForAnUnknownOrMalformedCode_matchingExactly(String ods) {
      assertProblem(portal.get(PATH + "/" + ods, adminToken), 404, "not-found");
      assertThat(organisations.isActive(ods)).isFalse();
      assertThat(organisations.names(List.of(ods))).isEmpty();
    }

    @Test
    void listsEveryOrganisationInOdsCodeOrder_pagedWithoutRepeats() {
      List<String> mine = List.of(newOds(), newOds(), newOds());
      mine.forEach(ods -> assertThat(register(ods).status()).isEqualTo(201));

      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        Portal.Response page =
            portal.get(PATH + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), adminToken);
        assertThat(page.status()).isEqualTo(200);
        List<?> items = (List<?>) page.json().get("items");
        assertThat(items).hasSizeLessThanOrEqualTo(2);
        items.forEach(item -> seen.add((String) ((Map<?, ?>) item).get("odsCode")));
        cursor = (String) page.json().get("nextCursor");
      } while (cursor != null);

      assertThat(seen).doesNotHaveDuplicates().isSorted().contains("RX1", "RX2").containsAll(mine);
      assertThat(seen).hasSize((int) organisationRows());
    }

    @Test
    void listsFiftyByDefault() {
      Portal.Response page = portal.get(PATH, adminToken);

      assertThat(page.status()).isEqualTo(200);
      assertThat((List<?>) page.json().get("items"))
          .hasSize((int) Math.min(50, organisationRows()));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"limit=0", "limit=101", "cursor=rx1", "cursor=R-1", "cursor=ABCDEFGHIJK"})
    void refusesBadPagingParameters(String query) {
      assertProblem(portal.get(PATH + "?" + query, adminToken), 400, "validation");
    }

    @Test
    void refusesALimitThatIsNotANumber() {
      assertProblem(portal.get(PATH + "?limit=x", adminToken), 400, "malformed-request");
    }
  }

  @Nested
  class Change {
    @Test
    void changesTheFieldsGiven_keepsTheRest_andAuditsTheChange() {
      String ods = newOds();
      Map<String, Object> created = register(ods).json();

      Portal.Response renamed = patch(ods, "{\"name\":\"Renamed Trust\"}");

      assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
      assertThat(renamed.json())
          .containsEntry("odsCode", ods)
          .containsEntry("name", "Renamed Trust")
          .containsEntry("type", "NHS_TRUST")
          .containsEntry("active", true)
          .containsEntry("createdAt", created.get("createdAt"));
      Portal.Response retyped = patch(ods, "{\"type\":\"OTHER_CARE_PROVIDER\"}");
      assertThat(retyped.json())
          .containsEntry("name", "Renamed Trust")
          .containsEntry("type", "OTHER_CARE_PROVIDER");
      assertThat(portal.get(PATH + "/" + ods, adminToken).json()).isEqualTo(retyped.json());
      assertThat(
              Sql.count(
                  "SELECT COUNT(*) FROM audit_events WHERE action = 'ADMIN_ORGANISATION_CHANGED'"
                      + " AND outcome = 'SUCCESS' AND actor_type = 'ACCOUNT' AND actor_id = ?"
                      + " AND organisation_ods = ?",
                  adminId,
                  ods))
          .isEqualTo(2);
    }

    @Test
    void deactivatingStopsTheOrganisationAtOnce_andReactivatingRestoresIt() {
      String ods = newOds();
      register(ods);
      assertThat(organisations.isActive(ods)).isTrue();

      Portal.Response deactivated = patch(ods, "{\"active\":false}");

      assertThat(deactivated.json()).containsEntry("active", false);
      assertThat(organisations.isActive(ods)).isFalse();
      assertThat(organisations.isRegistered(ods)).isTrue();
      assertThat(organisations.names(List.of(ods))).containsEntry(ods, "Test Trust");
      assertThat(portal.get(PATH + "/" + ods, adminToken).json()).containsEntry("active", false);

      Portal.Response reactivated = patch(ods, "{\"active\":true}");

      assertThat(reactivated.json()).containsEntry("active", true);
      assertThat(organisations.isActive(ods)).isTrue();
      assertThat(auditEvents("ADMIN_ORGANISATION_CHANGED", ods)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "{\"active\":\"no\"}|active",
          "{\"active\":\"false\"}|active",
          "{\"active\":0}|active",
          "{\"active\":{}}|active",
          "{\"type\":\"HOSPITAL\"}|type",
          "{\"type\":\"icb\"}|type",
          "{\"type\":true}|type",
          "{\"name\":\"\"}|name",
          "{\"name\":\"   \"}|name",
          "{\"name\":7}|name",
          "{\"name\":\"N\\u0000\"}|name",
          "[]|body",
          "true|body",
        })
    void refusesBadChangesNamingTheField_andChangesNothing(String bodyAndField) {
      String ods = newOds();
      Map<String, Object> before = register(ods).json();
      String body = bodyAndField.substring(0, bodyAndField.lastIndexOf('|'));
      String field = bodyAndField.substring(bodyAndField.lastIndexOf('|') + 1);

      assertInvalidField(patch(ods, body), field);
      assertThat(portal.get(PATH + "/" + ods, adminToken).json()).isEqualTo(before);
      assertThat(auditEvents("ADMIN_ORGANISATION_CHANGED", ods)).isZero();
    }

    @Test
    void refusesANameOver200Characters() {
      String ods = newOds();
      register(ods);

      assertInvalidField(patch(ods, "{\"name\":\"" + "x".repeat(201) + "\"}"), "name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u202E", "\\u0085", "\\u2028"})
    void refusesANewNameWithBidiOverridesControlsOrLineSeparators(String character) {
      String ods = newOds();
      Map<String, Object> before = register(ods).json();

      assertInvalidField(patch(ods, "{\"name\":\"Evil" + character + "name\"}"), "name");
      assertThat(portal.get(PATH + "/" + ods, adminToken).json()).isEqualTo(before);
    }

    @Test
    void refusesABodyThatIsNotJson() {
      String ods = newOds();
      register(ods);

      assertProblem(patch(ods, "{\"active\":"), 400, "malformed-request");
      assertProblem(
          withContentType("PATCH", PATH + "/" + ods, "text/plain"), 415, "unsupported-media-type");
      assertThat(organisations.isActive(ods)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ZZZZZZZZZZ", "rx1", "R"})
    void answers404ForAnUnknownOrganisation_andChangesNothing(String ods) {
      assertProblem(patch(ods, "{\"active\":false}"), 404, "not-found");
      assertThat(organisations.isActive("RX1")).isTrue();
    }
  }

  @Nested
  class RefusedCallers {
    @Test
    void refusesCallersWithoutAToken() {
      long before = organisationRows();
      String ods = newOds();

      assertProblem(portal.get(PATH, null), 401, "unauthorized");
      assertProblem(portal.get(PATH + "/RX1", null), 401, "unauthorized");
      assertProblem(
          portal.json("POST", PATH, organisation(ods, "N", "ICB"), null), 401, "unauthorized");
      assertProblem(
          portal.json("PATCH", PATH + "/RX1", "{\"active\":false}", null), 401, "unauthorized");

      assertThat(organisationRows()).isEqualTo(before);
      assertThat(organisations.isActive("RX1")).isTrue();
    }

    @Test
    void refusesResidents() {
      assertRefused(portal.newResident(Portal.newEmail()).accessToken());
    }

    @Test
    void refusesAManagerWhoIsNotAnAdministrator() {
      String email = Portal.newEmail();
      String id = portal.signUpAndVerify(email);
      assertThat(
              portal
                  .json(
                      "POST",
                      "/api/v1/admin/accounts/" + id + "/roles",
                      "{\"roles\":[\"MANAGER\"]}",
                      adminToken)
                  .status())
          .isEqualTo(200);

      assertRefused(portal.signIn(email).accessToken());
    }

    @Test
    void refusesAPartnerSystem() {
      assertRefused(MachineTokens.tokenFor(portal, MachineTokens.PARTNER));
    }

    private void assertRefused(String token) {
      long before = organisationRows();
      long changes = auditEvents("ADMIN_ORGANISATION_CHANGED", "RX1");
      String ods = newOds();

      assertProblem(portal.get(PATH, token), 403, "forbidden");
      assertProblem(portal.get(PATH + "/RX1", token), 403, "forbidden");
      assertProblem(
          portal.json("POST", PATH, organisation(ods, "N", "ICB"), token), 403, "forbidden");
      assertProblem(
          portal.json("PATCH", PATH + "/RX1", "{\"active\":false}", token), 403, "forbidden");

      assertThat(organisationRows()).isEqualTo(before);
      assertThat(organisations.isActive("RX1")).isTrue();
      assertThat(auditEvents("ADMIN_ORGANISATION_CHANGED", "RX1")).isEqualTo(changes);
      assertThat(auditEvents("ADMIN_ORGANISATION_REGISTERED", ods)).isZero();
    }
  }
}
