package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.account.ProblemAssertions.FORBIDDEN;
import static uk.gov.residentportal.account.ProblemAssertions.UNAUTHORIZED;
import static uk.gov.residentportal.account.ProblemAssertions.assertInvalidField;
import static uk.gov.residentportal.account.ProblemAssertions.assertProblem;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/** A resident sets up, uses and removes an authenticator app (TOTP, RFC 6238). */
@MicronautTest(transactional = false)
class SecondFactorApiTest {
  private static final String CONFLICT = "urn:resident-portal:problem:conflict";
  private static final String NOT_FOUND = "urn:resident-portal:problem:not-found";

  @Inject EmbeddedServer server;
  @Inject SecondFactor secondFactor;

  private Portal portal;
  private String accountId;
  private String email;
  private String token;

  @BeforeEach
  void resident() {
    portal = new Portal(server.getURI());
    email = Portal.newEmail();
    accountId = portal.signUpAndVerify(email);
    token = portal.signIn(email).accessToken();
  }

  private Map<String, Object> begin() {
    Portal.Response response =
        portal.json("POST", "/api/v1/me/totp", "{\"password\":\"" + Portal.PASSWORD + "\"}", token);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json();
  }

  /** Sets the app up; returns {secret, recovery codes}. */
  private Enrolled enrol() {
    String secret = (String) begin().get("secret");
    Portal.Response confirmed =
        portal.json(
            "POST",
            "/api/v1/me/totp/confirm",
            "{\"code\":\"" + TotpTestCodes.now(secret) + "\"}",
            token);
    assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
    return new Enrolled(secret, Portal.list(confirmed.json().get("recoveryCodes")));
  }

  private record Enrolled(String secret, List<String> recoveryCodes) {}

  private Portal.Response delete(String password) {
    return portal.json("DELETE", "/api/v1/me/totp", "{\"password\":\"" + password + "\"}", token);
  }

  @Nested
  class SettingUp {
    @Test
    void givesASecretForTheApp_asBase32_anOtpauthUri_andAQrCode() {
      Map<String, Object> enrolment = begin();

      String secret = (String) enrolment.get("secret");
      assertThat(secret).matches("[A-Z2-7]{32}");
      assertThat((String) enrolment.get("otpauthUri"))
          .startsWith("otpauth://totp/Council%20account:")
          .contains("secret=" + secret)
          .contains("issuer=Council%20account")
          .contains("digits=6")
          .contains("period=30");
      assertThat((String) enrolment.get("qrCodeSvg"))
          .startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
          .contains("aria-label=")
          .doesNotContain("<script");
      // Nothing changes at sign-in until the app confirms it.
      assertThat(portal.get("/api/v1/me/totp", token).json()).containsEntry("enrolled", false);
    }

    @Test
    void turnsOnWithTheAppsCurrentCode_andGivesTenRecoveryCodes() {
      Enrolled enrolled = enrol();

      assertThat(enrolled.recoveryCodes())
          .hasSize(10)
          .doesNotHaveDuplicates()
          .allMatch(c -> c.matches("[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}"));
      Map<String, Object> status = portal.get("/api/v1/me/totp", token).json();
      assertThat(status).containsEntry("enrolled", true).containsKey("enrolledAt");
      assertThat(((Number) status.get("recoveryCodesLeft")).intValue()).isEqualTo(10);
      assertThat(secondFactor.enrolled(accountId)).isTrue();
    }

    @Test
    void needsTheCurrentPassword() {
      assertProblem(
          portal.json(
              "POST", "/api/v1/me/totp", "{\"password\":\"not my password at all\"}", token),
          403,
          FORBIDDEN);
      assertInvalidField(portal.json("POST", "/api/v1/me/totp", "{}", token), "password");
      assertThat(TestSql.count("SELECT COUNT(*) FROM account_totp WHERE account_id = ?", accountId))
          .isZero();
    }

    @Test
    void tellsTheOwnerByEmail_whenAnAppIsAddedOrRemoved() {
      int before = portal.outbox().to(email).size();
      enrol();
      assertThat(portal.outbox().to(email)).hasSize(before + 1);
      assertThat(portal.outbox().latest(email).body()).contains("An authenticator app was added");

      assertThat(delete(Portal.PASSWORD).status()).isEqualTo(204);
      assertThat(portal.outbox().latest(email).body())
          .contains("The authenticator app was removed");
    }

    @Test
    void keepsRecoveryCodesAsKeyedHashes() {
      Enrolled enrolled = enrol();

      String stored =
          TestSql.string(
              "SELECT code_hash FROM account_recovery_codes WHERE account_id = ? LIMIT 1",
              accountId);
      for (String code : enrolled.recoveryCodes()) {
        assertThat(stored)
            .isNotEqualTo(uk.gov.residentportal.shared.SecretTokens.hash(code.replace("-", "")));
      }
    }

    @Test
    void refusesAWrongCode_andStaysOff() {
      String secret = (String) begin().get("secret");

      Portal.Response response =
          portal.json(
              "POST",
              "/api/v1/me/totp/confirm",
              "{\"code\":\"" + TotpTestCodes.wrong(secret) + "\"}",
              token);

      assertInvalidField(response, "code");
      assertThat(secondFactor.enrolled(accountId)).isFalse();
    }

    @Test
    void refusesAMissingOrMalformedCode() {
      begin();

      assertInvalidField(portal.json("POST", "/api/v1/me/totp/confirm", "{}", token), "code");
      assertInvalidField(
          portal.json("POST", "/api/v1/me/totp/confirm", "{\"code\":\"abcdef\"}", token), "code");
      assertInvalidField(
          portal.json(
              "POST", "/api/v1/me/totp/confirm", "{\"code\":\"" + "1".repeat(21) + "\"}", token),
          "code");
    }

    @Test
    void startingAgainReplacesAPendingSecret() {
      String first = (String) begin().get("secret");
      String second = (String) begin().get("secret");

      assertThat(second).isNotEqualTo(first);
      assertInvalidField(
          portal.json(
              "POST",
              "/api/v1/me/totp/confirm",
              "{\"code\":\"" + TotpTestCodes.now(first) + "\"}",
              token),
          "code");
    }

    @Test
    void refusesASecondAppWhileOneIsSetUp_andAConfirmationWithNothingPending() {
      enrol();

      assertProblem(
          portal.json(
              "POST", "/api/v1/me/totp", "{\"password\":\"" + Portal.PASSWORD + "\"}", token),
          409,
          CONFLICT);
      assertProblem(
          portal.json("POST", "/api/v1/me/totp/confirm", "{\"code\":\"123456\"}", token),
          409,
          CONFLICT);
    }

    @Test
    void keepsTheSecretEncrypted() {
      String secret = (String) begin().get("secret");

      String stored =
          TestSql.string("SELECT secret_sealed FROM account_totp WHERE account_id = ?", accountId);
      assertThat(stored).doesNotContain(secret);
      assertThat(java.util.Base64.getDecoder().decode(stored)).hasSize(12 + 20 + 16);
    }
  }

  @Nested
  class Codes {
    @Test
    void acceptsEachCodeOnce() {
      Enrolled enrolled = enrol();
      // The code that confirmed the app was spent: the same step is never accepted again.
      assertThat(secondFactor.verify(accountId, TotpTestCodes.now(enrolled.secret()))).isEmpty();

      String next = TotpTestCodes.at(enrolled.secret(), Instant.now().plusSeconds(30));
      assertThat(secondFactor.verify(accountId, next)).contains(SecondFactor.Method.TOTP);
      assertThat(secondFactor.verify(accountId, next)).isEmpty();
    }

    @Test
    void acceptsEachRecoveryCodeOnce_inAnyCaseAndSpacing() {
      Enrolled enrolled = enrol();
      String code = enrolled.recoveryCodes().get(3);

      assertThat(secondFactor.verify(accountId, " " + code.toLowerCase() + " "))
          .contains(SecondFactor.Method.RECOVERY_CODE);
      assertThat(secondFactor.verify(accountId, code)).isEmpty();
      assertThat(
              ((Number) portal.get("/api/v1/me/totp", token).json().get("recoveryCodesLeft"))
                  .intValue())
          .isEqualTo(9);
    }

    @Test
    void refusesWrongCodes_andEveryCodeWhenNothingIsSetUp() {
      assertThat(secondFactor.verify(accountId, "123456")).isEmpty();
      Enrolled enrolled = enrol();

      assertThat(secondFactor.verify(accountId, TotpTestCodes.wrong(enrolled.secret()))).isEmpty();
      assertThat(secondFactor.verify(accountId, "ABCDE-FGHJK")).isEmpty();
      assertThat(secondFactor.verify(accountId, "")).isEmpty();
    }

    @Test
    void newRecoveryCodesReplaceTheOldOnes_withThePassword() {
      Enrolled enrolled = enrol();

      assertProblem(
          portal.json(
              "POST",
              "/api/v1/me/totp/recovery-codes",
              "{\"password\":\"not my password at all\"}",
              token),
          403,
          FORBIDDEN);
      Portal.Response fresh =
          portal.json(
              "POST",
              "/api/v1/me/totp/recovery-codes",
              "{\"password\":\"" + Portal.PASSWORD + "\"}",
              token);

      assertThat(fresh.status()).isEqualTo(200);
      List<String> codes = Portal.list(fresh.json().get("recoveryCodes"));
      assertThat(codes).hasSize(10).doesNotContainAnyElementsOf(enrolled.recoveryCodes());
      assertThat(secondFactor.verify(accountId, enrolled.recoveryCodes().get(0))).isEmpty();
      assertThat(secondFactor.verify(accountId, codes.get(0)))
          .contains(SecondFactor.Method.RECOVERY_CODE);
    }
  }

  @Nested
  class Removing {
    @Test
    void removesTheAppWithThePassword() {
      enrol();

      assertThat(delete(Portal.PASSWORD).status()).isEqualTo(204);

      assertThat(secondFactor.enrolled(accountId)).isFalse();
      assertThat(portal.get("/api/v1/me/totp", token).json()).containsEntry("enrolled", false);
      assertThat(
              TestSql.count(
                  "SELECT COUNT(*) FROM account_recovery_codes WHERE account_id = ?", accountId))
          .isZero();
      assertProblem(delete(Portal.PASSWORD), 404, NOT_FOUND);
    }

    @Test
    void refusesAWrongPassword_andKeepsTheApp() {
      enrol();

      assertProblem(delete("not my password at all"), 403, FORBIDDEN);
      assertThat(secondFactor.enrolled(accountId)).isTrue();
    }

    @Test
    void erasingTheAccountRemovesIt() {
      enrol();

      assertThat(
              portal
                  .json("DELETE", "/api/v1/me", "{\"password\":\"" + Portal.PASSWORD + "\"}", token)
                  .status())
          .isEqualTo(204);

      assertThat(TestSql.count("SELECT COUNT(*) FROM account_totp WHERE account_id = ?", accountId))
          .isZero();
      assertThat(
              TestSql.count(
                  "SELECT COUNT(*) FROM account_recovery_codes WHERE account_id = ?", accountId))
          .isZero();
    }

    @Test
    void theExportSaysWhetherAnAppIsSetUp_withoutSecrets() {
      Enrolled enrolled = enrol();

      Portal.Response export = portal.get("/api/v1/me/export", token);

      assertThat(export.json()).containsKey("secondFactor");
      assertThat(export.json().get("secondFactor").toString())
          .contains("\"authenticatorApp\":true");
      assertThat(export.body())
          .doesNotContain(enrolled.secret())
          .doesNotContain(enrolled.recoveryCodes().get(0));
    }
  }

  @Nested
  class Refusals {
    @Test
    void refusesCallersWithoutAToken() {
      assertProblem(portal.get("/api/v1/me/totp", null), 401, UNAUTHORIZED);
      assertProblem(
          portal.json(
              "POST", "/api/v1/me/totp", "{\"password\":\"" + Portal.PASSWORD + "\"}", null),
          401,
          UNAUTHORIZED);
    }

    @Test
    void refusesASignInTokenWithoutTheAccountScope() {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      com.nimbusds.oauth2.sdk.pkce.CodeVerifier verifier =
          new com.nimbusds.oauth2.sdk.pkce.CodeVerifier();
      Map<String, String> params =
          new java.util.LinkedHashMap<>(portal.authorizeParams(verifier, "s", "n"));
      params.put("client_id", "parking-app");
      params.put("redirect_uri", "http://localhost/parking/callback");
      params.put("scope", "openid");
      String code =
          Portal.redirectParams(
                  portal.submitSignIn(portal.openSignIn(params, verifier), email, Portal.PASSWORD))
              .get("code");
      String parkingToken =
          (String)
              portal
                  .form(
                      "/oauth2/token",
                      Map.of(
                          "grant_type", "authorization_code",
                          "code", code,
                          "redirect_uri", "http://localhost/parking/callback",
                          "client_id", "parking-app",
                          "code_verifier", verifier.getValue()))
                  .json()
                  .get("access_token");

      assertProblem(
          portal.json(
              "POST",
              "/api/v1/me/totp",
              "{\"password\":\"" + Portal.PASSWORD + "\"}",
              parkingToken),
          403,
          FORBIDDEN);
    }
  }
}
