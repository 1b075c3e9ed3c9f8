package uk.gov.residentportal.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.Portal;

/** The council services catalogue (administrators) and SSO coverage (managers). */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceCatalogueTest implements TestPropertyProvider {
  private static final String ADMIN = Portal.newEmail();
  private static final String PROBLEM = "application/problem+json";
  // Registered by src/test/resources/test-clients.json: a public sign-in client.
  private static final String SIGN_IN_CLIENT = Portal.CLIENT;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("portal.bootstrap-admin-email", ADMIN);
  }

  @Inject EmbeddedServer server;

  private Portal portal;
  private String adminToken;
  private String department;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    if (adminToken == null) {
      portal.signUpAndVerify(ADMIN);
    }
    adminToken = portal.signIn(ADMIN).accessToken();
    // Each test works in a department of its own, so counts are exact whatever else ran.
    department = "Dept " + UUID.randomUUID();
  }

  private static String service(String name, String department, boolean online, String clientId) {
    return "{\"name\":\""
        + name
        + "\",\"department\":\""
        + department
        + "\",\"online\":"
        + online
        + (clientId == null ? "" : ",\"clientId\":\"" + clientId + "\"")
        + "}";
  }

  private Portal.Response add(String name, boolean online, String clientId) {
    return portal.json(
        "POST", "/api/v1/admin/services", service(name, department, online, clientId), adminToken);
  }

  private static void assertProblem(Portal.Response response, int status, String type) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith(PROBLEM);
    assertThat(response.json()).containsEntry("type", "urn:resident-portal:problem:" + type);
  }

  private static void assertInvalidField(Portal.Response response, String field) {
    assertProblem(response, 400, "validation");
    assertThat(response.body()).contains("\"field\":\"" + field + "\"");
  }

  private String adminClient(String type) {
    String clientId = "svc-" + UUID.randomUUID().toString().substring(0, 8);
    Portal.Response created =
        portal.json(
            "POST",
            "/api/v1/admin/clients",
            "{\"clientId\":\""
                + clientId
                + "\",\"name\":\"Some service\",\"type\":\""
                + type
                + "\",\"redirectUris\":[\"https://svc.example.gov.uk/cb\"],\"scopes\":[\"openid\"]}",
            adminToken);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return clientId;
  }

  @Nested
  class Register {
    @Test
    void addsAServiceAndShowsWhetherItUsesOurSignIn() {
      Portal.Response created = add("Council tax", true, SIGN_IN_CLIENT);

      assertThat(created.status()).isEqualTo(201);
      Map<String, Object> body = created.json();
      String id = (String) body.get("id");
      assertThat(id).hasSize(36);
      assertThat(created.header("location")).isEqualTo("/api/v1/admin/services/" + id);
      assertThat(body)
          .containsEntry("name", "Council tax")
          .containsEntry("department", department)
          .containsEntry("online", true)
          .containsEntry("clientId", SIGN_IN_CLIENT)
          .containsEntry("ssoEnabled", true);
      assertThat(portal.get("/api/v1/admin/services/" + id, adminToken).json())
          .containsEntry("name", "Council tax");
    }

    @Test
    void addsAServiceWithoutAClient() {
      Portal.Response created = add("Library loans", false, null);

      assertThat(created.status()).isEqualTo(201);
      assertThat(created.json()).doesNotContainKey("clientId").containsEntry("ssoEnabled", false);
    }

    @Test
    void refusesADuplicateNameInTheSameDepartment_butNotInAnother() {
      assertThat(add("Parking permits", true, null).status()).isEqualTo(201);

      assertProblem(add("Parking permits", true, null), 409, "conflict");
      assertThat(
              portal
                  .json(
                      "POST",
                      "/api/v1/admin/services",
                      service("Parking permits", department + " 2", true, null),
                      adminToken)
                  .status())
          .isEqualTo(201);
    }

    @Test
    void refusesAnUnknownClient_andWritesNothing() {
      assertInvalidField(add("Planning", true, "no-such-client"), "clientId");
      assertThat(portal.get("/api/v1/reports/sso-coverage", adminToken).body())
          .doesNotContain(department);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "{\"department\":\"D\",\"online\":true}",
          "{\"name\":\" \",\"department\":\"D\",\"online\":true}",
          "{\"name\":\"N\",\"online\":true}",
          "{\"name\":\"N\",\"department\":\"D\"}",
          "{\"name\":\"N\\u0007\",\"department\":\"D\",\"online\":true}",
        })
    void refusesMissingOrBadFields(String body) {
      Portal.Response response = portal.json("POST", "/api/v1/admin/services", body, adminToken);

      assertProblem(response, 400, "validation");
    }

    @Test
    void refusesANameOver200Characters() {
      assertInvalidField(add("x".repeat(201), true, null), "name");
    }

    @Test
    void refusesABodyThatIsNotJson() {
      Portal.Response response =
          portal.post(
              "/api/v1/admin/services",
              "text/plain",
              "name=x",
              "Authorization",
              "Bearer " + adminToken);

      assertThat(response.status()).isEqualTo(415);
      assertThat(response.contentType()).startsWith(PROBLEM);
    }
  }

  @Nested
  class ChangeAndRemove {
    @Test
    void replacesEveryField_andUnlinksTheClientWhenLeftOut() {
      String id = (String) add("Bins", true, SIGN_IN_CLIENT).json().get("id");

      Portal.Response replaced =
          portal.json(
              "PUT",
              "/api/v1/admin/services/" + id,
              service("Bins and recycling", department, false, null),
              adminToken);

      assertThat(replaced.status()).isEqualTo(200);
      assertThat(replaced.json())
          .containsEntry("name", "Bins and recycling")
          .containsEntry("online", false)
          .doesNotContainKey("clientId")
          .containsEntry("ssoEnabled", false);
    }

    @Test
    void refusesRenamingOntoAnotherServiceOfTheDepartment() {
      add("Housing repairs", true, null);
      String id = (String) add("Housing register", true, null).json().get("id");

      Portal.Response clash =
          portal.json(
              "PUT",
              "/api/v1/admin/services/" + id,
              service("Housing repairs", department, true, null),
              adminToken);

      assertProblem(clash, 409, "conflict");
      assertThat(portal.get("/api/v1/admin/services/" + id, adminToken).json())
          .containsEntry("name", "Housing register");
    }

    @Test
    void removesAService() {
      String id = (String) add("Pest control", true, null).json().get("id");

      assertThat(portal.json("DELETE", "/api/v1/admin/services/" + id, null, adminToken).status())
          .isEqualTo(204);
      assertProblem(portal.get("/api/v1/admin/services/" + id, adminToken), 404, "not-found");
      assertProblem(
          portal.json("DELETE", "/api/v1/admin/services/" + id, null, adminToken),
          404,
          "not-found");
    }

    @Test
    void answers404ForUnknownOrMalformedIds() {
      assertProblem(
          portal.get("/api/v1/admin/services/" + UUID.randomUUID(), adminToken), 404, "not-found");
      assertProblem(portal.get("/api/v1/admin/services/not-an-id", adminToken), 404, "not-found");
      assertProblem(
          portal.json(
              "PUT",
              "/api/v1/admin/services/" + UUID.randomUUID(),
              service("X", department, true, null),
              adminToken),
          404,
          "not-found");
    }
  }

  @Nested
  class List {
    @Test
    void pagesTheWholeCatalogueInNameOrderWithoutRepeats() {
      for (String name : new String[] {"Cemeteries", "Allotments", "Birth registration"}) {
        assertThat(add(name, true, null).status()).isEqualTo(201);
      }

      java.util.List<String> seen = new ArrayList<>();
      java.util.List<String> ours = new ArrayList<>();
      String cursor = null;
      do {
        Portal.Response page =
            portal.get(
                "/api/v1/admin/services?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                adminToken);
        assertThat(page.status()).isEqualTo(200);
        for (Object item : (java.util.List<?>) page.json().get("items")) {
          Map<?, ?> service = (Map<?, ?>) item;
          seen.add((String) service.get("id"));
          if (department.equals(service.get("department"))) {
            ours.add((String) service.get("name"));
          }
        }
        cursor = (String) page.json().get("nextCursor");
      } while (cursor != null);

      assertThat(seen).doesNotHaveDuplicates();
      assertThat(ours).containsExactly("Allotments", "Birth registration", "Cemeteries");
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=101", "limit=x", "cursor=%25%25%25", "cursor=YQ"})
    void refusesBadPagingParameters(String query) {
      Portal.Response response = portal.get("/api/v1/admin/services?" + query, adminToken);

      assertProblem(
          response, 400, query.startsWith("limit=x") ? "malformed-request" : "validation");
    }
  }

  @Nested
  class SsoCoverage {
    @Test
    void countsOnlineServicesWhoseActiveClientUsesOurSignIn() {
      String deactivated = adminClient("PUBLIC");
      add("A: sign-in client", true, SIGN_IN_CLIENT);
      add("B: deactivated client", true, deactivated);
      add("C: no client", true, null);
      add("D: offline, sign-in client", false, SIGN_IN_CLIENT);
      assertThat(
              portal
                  .json("DELETE", "/api/v1/admin/clients/" + deactivated, null, adminToken)
                  .status())
          .isEqualTo(204);

      Map<String, Object> coverage = portal.get("/api/v1/reports/sso-coverage", adminToken).json();

      Map<?, ?> ours =
          ((java.util.List<?>) coverage.get("byDepartment"))
              .stream()
                  .map(Map.class::cast)
                  .filter(d -> department.equals(d.get("department")))
                  .findFirst()
                  .orElseThrow();
      assertThat(((Number) ours.get("services")).intValue()).isEqualTo(3);
      assertThat(((Number) ours.get("ssoEnabled")).intValue()).isEqualTo(1);
      assertThat(((Number) ours.get("percent")).doubleValue()).isEqualTo(33.3);
      int services = ((Number) coverage.get("services")).intValue();
      int enabled = ((Number) coverage.get("ssoEnabled")).intValue();
      assertThat(((Number) coverage.get("percent")).doubleValue())
          .isEqualTo(Math.round(enabled * 1000.0 / services) / 10.0);
    }

    @Test
    void isOpenToManagers_butNotToResidents() {
      String email = Portal.newEmail();
      String id = portal.signUpAndVerify(email);
      String resident = portal.signIn(email).accessToken();
      assertProblem(portal.get("/api/v1/reports/sso-coverage", resident), 403, "forbidden");

      portal.json(
          "POST",
          "/api/v1/admin/accounts/" + id + "/roles",
          "{\"roles\":[\"MANAGER\"]}",
          adminToken);
      String manager = portal.signIn(email).accessToken();

      assertThat(portal.get("/api/v1/reports/sso-coverage", manager).status()).isEqualTo(200);
      // A manager reads the coverage but does not keep the catalogue.
      assertProblem(portal.get("/api/v1/admin/services", manager), 403, "forbidden");
      assertProblem(
          portal.json(
              "POST", "/api/v1/admin/services", service("X", department, true, null), manager),
          403,
          "forbidden");
    }
  }

  @Nested
  class Refusals {
    @Test
    void refusesCallersWithoutAToken() {
      assertProblem(portal.get("/api/v1/admin/services", null), 401, "unauthorized");
      assertProblem(portal.get("/api/v1/reports/sso-coverage", null), 401, "unauthorized");
    }

    @Test
    void refusesResidents() {
      String resident = portal.newResident(Portal.newEmail()).accessToken();

      assertProblem(portal.get("/api/v1/admin/services", resident), 403, "forbidden");
      assertProblem(
          portal.json(
              "POST", "/api/v1/admin/services", service("X", department, true, null), resident),
          403,
          "forbidden");
      assertProblem(
          portal.json("DELETE", "/api/v1/admin/services/" + UUID.randomUUID(), null, resident),
          403,
          "forbidden");
    }
  }
}
