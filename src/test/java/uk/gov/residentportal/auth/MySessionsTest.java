package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * GET and DELETE /api/v1/me/sessions: a resident's signed-in devices, and signing one out; only
 * with a token issued with scope account, only their own sessions. A password reset signs every
 * device out.
 */
@MicronautTest(transactional = false)
class MySessionsTest {
  static final String FIREFOX =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
  static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15"
          + " (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1";
  static final String NOT_FOUND = "urn:resident-portal:problem:not-found";

  @Inject EmbeddedServer server;
  @Inject Housekeeping housekeeping;

  Portal portal;
  String email;
  Browser laptop;
  Browser phone;
  Map<String, Object> laptopTokens;
  Map<String, Object> phoneTokens;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    email = Portal.newEmail();
    portal.signUpAndVerify(email);
    laptop = new Browser(portal).userAgent(FIREFOX);
    phone = new Browser(portal).userAgent(IPHONE);
    laptopTokens = laptop.signInToCouncilTax(email);
    phoneTokens = phone.signInToCouncilTax(email);
  }

  static String sid(Map<String, Object> tokens) {
    return AuthSteps.claims(tokens.get("id_token")).getClaims().get("sid").toString();
  }

  static String access(Map<String, Object> tokens) {
    return (String) tokens.get("access_token");
  }

  Response list(String token) {
    return portal.get("/api/v1/me/sessions", token);
  }

  Response revoke(String id, String token) {
    return portal.json("DELETE", "/api/v1/me/sessions/" + id, null, token);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> sessions(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return (List<Map<String, Object>>) response.json().get("sessions");
  }

  static Map<String, Object> byId(List<Map<String, Object>> sessions, String id) {
    return sessions.stream()
        .filter(s -> id.equals(s.get("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no session " + id + " in " + sessions));
  }

  static void assertProblem(Response response, int status, String type) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json()).containsEntry("type", type);
  }

  boolean signedIn(Browser browser) {
    Map<String, String> params =
        new LinkedHashMap<>(AuthSteps.parkingParams(portal, new CodeVerifier(), "s", "n"));
    params.put("prompt", "none");
    return Portal.redirectParams(browser.authorize(params)).containsKey("code");
  }

  @Nested
  class Listing {
    @Test
    void showsEachSignedInDevice_markingTheOneTheTokenCameFrom() {
      List<Map<String, Object>> sessions = sessions(list(access(laptopTokens)));

      assertThat(sessions).hasSize(2);
      Map<String, Object> laptopSession = byId(sessions, sid(laptopTokens));
      assertThat(laptopSession)
          .containsEntry("device", "Firefox on Windows")
          .containsEntry("current", true)
          .containsEntry("services", List.of("Council Tax online"))
          .containsKeys("signedInAt", "lastSeenAt", "idleExpiresAt", "expiresAt")
          .doesNotContainKeys("secretHash", "accountId");
      assertThat(byId(sessions, sid(phoneTokens)))
          .containsEntry("device", "Safari on iPhone")
          .containsEntry("current", false);
      // Newest first.
      assertThat(sessions.get(0).get("id")).isEqualTo(sid(phoneTokens));
    }

    @Test
    void namesEveryServiceSignedInToInTheSession() {
      CodeVerifier verifier = new CodeVerifier();
      Browser.code(laptop.authorize(AuthSteps.parkingParams(portal, verifier, "s", "n")));

      assertThat(byId(sessions(list(access(laptopTokens))), sid(laptopTokens)).get("services"))
          .asList()
          .containsExactlyInAnyOrder("Council Tax online", "Parking permits");
    }

    @Test
    void leavesOutEndedAndExpiredSessions() {
      AuthSteps.update(
          "UPDATE browser_sessions SET idle_expires_at = ? WHERE id = ?",
          Timestamp.from(Instant.now().minusSeconds(1)),
          sid(phoneTokens));

      assertThat(sessions(list(access(laptopTokens))))
          .extracting(s -> s.get("id"))
          .containsExactly(sid(laptopTokens));
    }

    @Test
    void showsOnlyTheResidentsOwnSessions() {
      String otherEmail = Portal.newEmail();
      portal.signUpAndVerify(otherEmail);
      Map<String, Object> other = new Browser(portal).signInToCouncilTax(otherEmail);

      assertThat(sessions(list(access(other))))
          .extracting(s -> s.get("id"))
          .containsExactly(sid(other));
    }
  }

  @Nested
  class Revoke {
    @Test
    void signsTheDeviceOutAndEndsWhatWasIssuedThere() {
      Response response = revoke(sid(phoneTokens), access(laptopTokens));

      assertThat(response.status()).isEqualTo(204);
      assertThat(signedIn(phone)).isFalse();
      assertThat(
              AuthSteps.refresh(
                      portal, Portal.CLIENT, (String) phoneTokens.get("refresh_token"), null)
                  .json())
          .containsEntry("error", "invalid_grant");
      assertThat(portal.get("/api/v1/me", access(phoneTokens)).status()).isEqualTo(401);
      // The laptop is untouched.
      assertThat(signedIn(laptop)).isTrue();
      assertThat(sessions(list(access(laptopTokens))))
          .extracting(s -> s.get("id"))
          .containsExactly(sid(laptopTokens));
    }

    @Test
    void ofTheCurrentSession_endsTheCallingTokenToo() {
      assertThat(revoke(sid(laptopTokens), access(laptopTokens)).status()).isEqualTo(204);

      assertThat(list(access(laptopTokens)).status()).isEqualTo(401);
    }

    @Test
    void answers404_forAnotherResidentsSession_andLeavesItAlone() {
      String otherEmail = Portal.newEmail();
      portal.signUpAndVerify(otherEmail);
      Browser otherBrowser = new Browser(portal);
      Map<String, Object> other = otherBrowser.signInToCouncilTax(otherEmail);

      assertProblem(revoke(sid(other), access(laptopTokens)), 404, NOT_FOUND);

      assertThat(signedIn(otherBrowser)).isTrue();
    }

    @Test
    void answers404_forAnUnknownOrMalformedId() {
      assertProblem(revoke(UUID.randomUUID().toString(), access(laptopTokens)), 404, NOT_FOUND);
      assertProblem(revoke("not-a-session", access(laptopTokens)), 404, NOT_FOUND);
    }

    @Test
    void answers404_forASessionAlreadyEnded() {
      assertThat(revoke(sid(phoneTokens), access(laptopTokens)).status()).isEqualTo(204);

      assertProblem(revoke(sid(phoneTokens), access(laptopTokens)), 404, NOT_FOUND);
    }
  }

  @Nested
  class Refused {
    @Test
    void withoutAToken() {
      assertProblem(list(null), 401, "urn:resident-portal:problem:unauthorized");
      assertProblem(
          revoke(sid(phoneTokens), null), 401, "urn:resident-portal:problem:unauthorized");
      assertThat(signedIn(phone)).isTrue();
    }

    @Test
    void withATokenWithoutTheAccountScope() {
      CodeVerifier verifier = new CodeVerifier();
      Response redirect = laptop.authorize(AuthSteps.parkingParams(portal, verifier, "s", "n"));
      String parkingToken =
          (String)
              AuthSteps.tokens(
                      AuthSteps.exchange(
                          portal,
                          AuthSteps.PARKING,
                          AuthSteps.PARKING_REDIRECT,
                          Browser.code(redirect),
                          verifier))
                  .get("access_token");

      assertProblem(list(parkingToken), 403, "urn:resident-portal:problem:forbidden");
      assertProblem(
          revoke(sid(phoneTokens), parkingToken), 403, "urn:resident-portal:problem:forbidden");
      assertThat(signedIn(phone)).isTrue();
    }
  }

  @Nested
  class EndedElsewhere {
    @Test
    void aPasswordResetSignsEveryDeviceOut() {
      portal.json("POST", "/api/v1/accounts/password-reset", "{\"email\":\"" + email + "\"}", null);
      String token = portal.outbox().latest(email).token();

      Response reset =
          portal.json(
              "POST",
              "/api/v1/accounts/password-reset/confirm",
              "{\"token\":\"" + token + "\",\"newPassword\":\"violet tractor summer lantern\"}",
              null);

      assertThat(reset.status()).isEqualTo(204);
      assertThat(signedIn(laptop)).isFalse();
      assertThat(signedIn(phone)).isFalse();
      assertThat(
              AuthSteps.count(
                  "SELECT COUNT(*) FROM browser_sessions WHERE id IN (?, ?) AND ended_at IS NULL",
                  sid(laptopTokens),
                  sid(phoneTokens)))
          .isZero();
    }

    @Test
    void erasingTheAccountSignsEveryDeviceOut() {
      Response erased =
          portal.json(
              "DELETE",
              "/api/v1/me",
              "{\"password\":\"" + Portal.PASSWORD + "\"}",
              access(laptopTokens));

      assertThat(erased.status()).isEqualTo(204);
      assertThat(signedIn(laptop)).isFalse();
      assertThat(signedIn(phone)).isFalse();
    }

    @Test
    void housekeepingDeletesSessionsEndedAWeekAgo() {
      assertThat(revoke(sid(phoneTokens), access(laptopTokens)).status()).isEqualTo(204);
      AuthSteps.update(
          "UPDATE browser_sessions SET ended_at = ? WHERE id = ?",
          Timestamp.from(Instant.now().minus(java.time.Duration.ofDays(8))),
          sid(phoneTokens));

      housekeeping.deleteExpired();

      assertThat(
              AuthSteps.count(
                  "SELECT COUNT(*) FROM browser_sessions WHERE id = ?", sid(phoneTokens)))
          .isZero();
      assertThat(
              AuthSteps.count(
                  "SELECT COUNT(*) FROM browser_session_clients WHERE session_id = ?",
                  sid(phoneTokens)))
          .isZero();
      // The live one stays.
      assertThat(
              AuthSteps.count(
                  "SELECT COUNT(*) FROM browser_sessions WHERE id = ?", sid(laptopTokens)))
          .isEqualTo(1);
    }

    @Test
    void theExportListsTheSessionsWithoutSecrets() {
      Response export = portal.get("/api/v1/me/export", access(laptopTokens));

      assertThat(export.status()).isEqualTo(200);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rows =
          (List<Map<String, Object>>) export.json().get("browserSessions");
      assertThat(rows)
          .extracting(r -> r.get("id"))
          .containsExactlyInAnyOrder(sid(laptopTokens), sid(phoneTokens));
      assertThat(rows.get(0)).containsKeys("device", "signedInAt", "services");
      assertThat(export.body()).doesNotContain("secret").doesNotContain("Hash");
    }
  }
}
