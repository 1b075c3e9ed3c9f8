package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.Portal;

/** Client registration and staff roles, for administrators only. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiTest implements TestPropertyProvider {
  // A new address each run: the bootstrap administrator is whoever holds it.
  static final String ADMIN = Portal.newEmail();
  private static boolean adminSignedUp;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("portal.bootstrap-admin-email", ADMIN);
  }

  @Inject EmbeddedServer server;

  private Portal portal;
  private String adminToken;

  @BeforeEach
  void admin() {
    portal = new Portal(server.getURI());
    if (!adminSignedUp) {
      portal.signUpAndVerify(ADMIN);
      adminSignedUp = true;
    }
    adminToken = portal.signIn(ADMIN).accessToken();
  }

  private static String publicClient(String clientId, String redirect) {
    return "{"
        + (clientId == null ? "" : "\"clientId\":\"" + clientId + "\",")
        + "\"name\":\"Bin collections\",\"type\":\"PUBLIC\",\"redirectUris\":[\""
        + redirect
        + "\"],\"scopes\":[\"openid\",\"email\"]}";
  }

  @Nested
  class Clients {
    @Test
    void registersAClientThatResidentsCanThenSignInTo() {
      Portal.Response created =
          portal.json(
              "POST",
              "/api/v1/admin/clients",
              publicClient("bins-" + System.nanoTime(), "https://bins.example.gov.uk/cb"),
              adminToken);

      assertThat(created.status()).isEqualTo(201);
      String clientId = (String) created.json().get("clientId");
      assertThat(created.header("location")).isEqualTo("/api/v1/admin/clients/" + clientId);
      assertThat(created.json()).containsEntry("active", true).containsEntry("type", "PUBLIC");
      assertThat(portal.get("/api/v1/admin/clients/" + clientId, adminToken).json())
          .containsEntry("name", "Bin collections");

      Map<String, String> params =
          new java.util.LinkedHashMap<>(portal.authorizeParams(new CodeVerifier(), "s", "n"));
      params.put("client_id", clientId);
      params.put("redirect_uri", "https://bins.example.gov.uk/cb");
      params.put("scope", "openid email");
      assertThat(portal.authorize(params).status()).isEqualTo(200);

      Portal.Response changed =
          portal.json(
              "PATCH",
              "/api/v1/admin/clients/" + clientId,
              "{\"name\":\"Bins and recycling\"}",
              adminToken);
      assertThat(changed.json())
          .containsEntry("name", "Bins and recycling")
          .containsEntry("redirectUris", List.of("https://bins.example.gov.uk/cb"));

      assertThat(
              portal.json("DELETE", "/api/v1/admin/clients/" + clientId, null, adminToken).status())
          .isEqualTo(204);
      assertThat(portal.authorize(params).status()).isEqualTo(400);
      assertThat(portal.get("/api/v1/admin/clients/" + clientId, adminToken).json())
          .containsEntry("active", false);
    }

    @Test
    void generatesAClientIdWhenLeftOut_andListsClientsByCursor() {
      Portal.Response created =
          portal.json(
              "POST",
              "/api/v1/admin/clients",
              publicClient(null, "https://x.example.gov.uk/cb"),
              adminToken);
      assertThat(created.status()).isEqualTo(201);
      assertThat((String) created.json().get("clientId")).startsWith("c-").hasSize(26);

      Portal.Response first = portal.get("/api/v1/admin/clients?limit=1", adminToken);
      assertThat(first.status()).isEqualTo(200);
      List<?> items = (List<?>) first.json().get("items");
      assertThat(items).hasSize(1);
      String cursor = (String) first.json().get("nextCursor");
      Portal.Response next =
          portal.get("/api/v1/admin/clients?limit=1&cursor=" + cursor, adminToken);
      assertThat(((Map<?, ?>) ((List<?>) next.json().get("items")).get(0)).get("clientId"))
          .isNotEqualTo(cursor);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://bins.example.gov.uk/cb",
          "https://*.example.gov.uk/cb",
          "https://bins.example.gov.uk/cb#top",
          "not a uri"
        })
    void refusesUnsafeRedirectUris(String redirect) {
      Portal.Response response =
          portal.json("POST", "/api/v1/admin/clients", publicClient(null, redirect), adminToken);

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.json()).containsEntry("type", "urn:resident-portal:problem:validation");
      assertThat(response.body()).contains("\"field\":\"redirectUris\"");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://bins.example.gov.uk/logout",
          "https://bins.example.gov.uk/logout#top",
          "not a uri"
        })
    void refusesUnsafeBackchannelLogoutUris(String uri) {
      String body =
          publicClient(null, "https://bins.example.gov.uk/cb")
              .replace("\"type\"", "\"backchannelLogoutUri\":\"" + uri + "\",\"type\"");

      Portal.Response response = portal.json("POST", "/api/v1/admin/clients", body, adminToken);

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.json()).containsEntry("type", "urn:resident-portal:problem:validation");
      assertThat(response.body()).contains("\"field\":\"backchannelLogoutUri\"");
    }

    @Test
    void acceptsAnHttpsBackchannelLogoutUri() {
      String body =
          publicClient(null, "https://bins.example.gov.uk/cb")
              .replace(
                  "\"type\"",
                  "\"backchannelLogoutUri\":\"https://bins.example.gov.uk/logout\",\"type\"");

      assertThat(portal.json("POST", "/api/v1/admin/clients", body, adminToken).status())
          .isEqualTo(201);
    }

    @Test
    void refusesATakenClientIdAndAMissingName() {
      assertThat(
              portal
                  .json(
                      "POST",
                      "/api/v1/admin/clients",
                      publicClient(Portal.CLIENT, "https://a.example.gov.uk/cb"),
                      adminToken)
                  .json())
          .containsEntry("status", 409L);
      Portal.Response noName =
          portal.json(
              "POST",
              "/api/v1/admin/clients",
              "{\"type\":\"PUBLIC\",\"redirectUris\":[\"https://a.example.gov.uk/cb\"]}",
              adminToken);
      assertThat(noName.status()).isEqualTo(400);
      assertThat(noName.body()).contains("\"field\":\"name\"");
    }

    @Test
    void answers404ForAnUnknownClient() {
      assertThat(portal.get("/api/v1/admin/clients/no-such-client", adminToken).status())
          .isEqualTo(404);
      assertThat(
              portal
                  .json(
                      "PATCH",
                      "/api/v1/admin/clients/no-such-client",
                      "{\"name\":\"x\"}",
                      adminToken)
                  .status())
          .isEqualTo(404);
      assertThat(
              portal
                  .json("DELETE", "/api/v1/admin/clients/no-such-client", null, adminToken)
                  .status())
          .isEqualTo(404);
    }
  }

  @Nested
  class Roles {
    @Test
    void grantsAResidentTheManagerRole_seenInTheirNextToken() {
      String email = Portal.newEmail();
      String id = portal.signUpAndVerify(email);

      Portal.Response granted =
          portal.json(
              "POST",
              "/api/v1/admin/accounts/" + id + "/roles",
              "{\"roles\":[\"MANAGER\"]}",
              adminToken);

      assertThat(granted.status()).isEqualTo(200);
      assertThat(granted.json()).containsEntry("roles", List.of("MANAGER"));
      String token = portal.signIn(email).accessToken();
      assertThat(portal.get("/api/v1/me", token).json()).containsEntry("roles", List.of("MANAGER"));
      // A manager is not an administrator.
      assertThat(portal.get("/api/v1/admin/clients", token).status()).isEqualTo(403);
    }

    @Test
    void refusesUnknownRolesAndAccounts() {
      assertThat(
              portal
                  .json(
                      "POST",
                      "/api/v1/admin/accounts/00000000-0000-0000-0000-000000000000/roles",
                      "{\"roles\":[\"MANAGER\"]}",
                      adminToken)
                  .status())
          .isEqualTo(404);
      String id = portal.signUpAndVerify(Portal.newEmail());
      assertThat(
              portal
                  .json(
                      "POST",
                      "/api/v1/admin/accounts/" + id + "/roles",
                      "{\"roles\":[\"ROOT\"]}",
                      adminToken)
                  .status())
          .isEqualTo(400);
      assertThat(
              portal
                  .json("POST", "/api/v1/admin/accounts/" + id + "/roles", "{}", adminToken)
                  .body())
          .contains("\"field\":\"roles\"");
    }
  }

  @Nested
  class RefusedCallers {
    @Test
    void refusesResidentsAndAnonymousCallers() {
      String resident = portal.signIn(emailOfNewResident()).accessToken();

      for (String path :
          List.of("/api/v1/admin/clients", "/api/v1/admin/clients/" + Portal.CLIENT)) {
        assertThat(portal.get(path, resident).status()).isEqualTo(403);
        assertThat(portal.get(path, null).status()).isEqualTo(401);
      }
      Portal.Response post =
          portal.json(
              "POST",
              "/api/v1/admin/clients",
              publicClient(null, "https://a.example.gov.uk/cb"),
              resident);
      assertThat(post.status()).isEqualTo(403);
      assertThat(post.json()).containsEntry("type", "urn:resident-portal:problem:forbidden");
      assertThat(
              portal
                  .json(
                      "POST", "/api/v1/admin/accounts/x/roles", "{\"roles\":[\"ADMIN\"]}", resident)
                  .status())
          .isEqualTo(403);
    }

    private String emailOfNewResident() {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      return email;
    }
  }
}
