package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.auth.AuthSteps.OTHER_REDIRECT;
import static uk.gov.residentportal.auth.AuthSteps.PARKING;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.shared.SecretTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * The token endpoint as council services call it: the authorization_code and refresh_token grants,
 * public-client identification, and RFC 6749 section 5.2 errors (JSON, never cached).
 */
@MicronautTest(transactional = false)
class TokenEndpointTest {
  @Inject EmbeddedServer server;

  Portal portal;
  String email;
  String accountId;

  @BeforeEach
  void aVerifiedResident() {
    portal = new Portal(server.getURI());
    email = Portal.newEmail();
    accountId = portal.signUpAndVerify(email);
  }

  /** RFC 6749 section 5.2: the error code, as JSON, not to be cached. */
  static Map<String, Object> assertOAuthError(Response response, int status, String error) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.header("cache-control")).isEqualTo("no-store");
    Map<String, Object> json = response.json();
    assertThat(json).containsEntry("error", error).doesNotContainKey("access_token");
    if (status == 401) {
      // RFC 6749 section 5.2: invalid_client with 401 carries WWW-Authenticate.
      assertThat(response.header("www-authenticate")).isNotBlank();
    }
    return json;
  }

  Map<String, String> codeRequest(String code, CodeVerifier verifier) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", Portal.REDIRECT);
    form.put("client_id", Portal.CLIENT);
    form.put("code_verifier", verifier.getValue());
    return form;
  }

  /** The same request sent by several callers at once; the answers in any order. */
  static List<Response> concurrently(int callers, Supplier<Response> request) {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Response>> answers = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return request.get();
                }));
      }
      start.countDown();
      List<Response> responses = new ArrayList<>();
      for (Future<Response> answer : answers) {
        responses.add(answer.get(60, TimeUnit.SECONDS));
      }
      return responses;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError(e);
    } finally {
      pool.shutdownNow();
    }
  }

  Response token(Map<String, String> form, String... headers) {
    return portal.form("/oauth2/token", form, headers);
  }

  @Nested
  class AuthorizationCodeGrant {
    CodeVerifier verifier;
    String code;

    @BeforeEach
    void aFreshCode() {
      verifier = new CodeVerifier();
      code = portal.code(email, verifier);
    }

    @Test
    void exchangesTheCodeForAccessIdAndRefreshTokens() {
      Response response = portal.exchange(code, verifier);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.contentType()).startsWith("application/json");
      assertThat(response.header("cache-control")).isEqualTo("no-store");
      Map<String, Object> json = response.json();
      assertThat(json)
          .containsEntry("token_type", "Bearer")
          .containsEntry("scope", "openid profile email account")
          .containsKeys("access_token", "id_token", "refresh_token");
      assertThat(((Number) json.get("expires_in")).longValue()).isEqualTo(600L);
      assertThat((String) json.get("refresh_token")).matches("[A-Za-z0-9_-]{43}");
      assertThat(AuthSteps.claims(json.get("access_token")).getSubject()).isEqualTo(accountId);
    }

    @Test
    void refusesReusedCode_andRevokesTheRefreshTokenTheFirstExchangeIssued() {
      Map<String, Object> first = AuthSteps.tokens(portal.exchange(code, verifier));

      Response replay = portal.exchange(code, verifier);

      assertOAuthError(replay, 400, "invalid_grant");
      // RFC 6749 section 4.1.2: tokens issued from a replayed code should be revoked.
      assertOAuthError(portal.refresh((String) first.get("refresh_token")), 400, "invalid_grant");
    }

    @Test
    void redeemsTheCodeOnlyOnce_whenRequestsRace() {
      List<Response> responses = concurrently(5, () -> portal.exchange(code, verifier));

      assertThat(responses).extracting(Response::status).containsOnlyOnce(200);
      responses.stream()
          .filter(r -> r.status() != 200)
          .forEach(r -> assertOAuthError(r, 400, "invalid_grant"));
      // The losers were replays: what the winner got is revoked.
      Response winner = responses.stream().filter(r -> r.status() == 200).findFirst().get();
      assertOAuthError(
          portal.refresh((String) winner.json().get("refresh_token")), 400, "invalid_grant");
    }

    @Test
    void refusesWrongCodeVerifier() {
      Response response = portal.exchange(code, new CodeVerifier());

      assertThat(assertOAuthError(response, 400, "invalid_grant"))
          .containsEntry("error_description", "code_verifier does not match the code challenge");
    }

    @Test
    void refusesMalformedCodeVerifier() {
      Map<String, String> form = codeRequest(code, verifier);
      form.put("code_verifier", "too-short");

      assertOAuthError(token(form), 400, "invalid_grant");
    }

    @Test
    void refusesMissingCodeVerifier_asInvalidRequest() {
      Map<String, String> form = codeRequest(code, verifier);
      form.remove("code_verifier");

      assertThat(assertOAuthError(token(form), 400, "invalid_request"))
          .containsEntry("error_description", "code_verifier is required");
    }

    @Test
    void refusesRedirectUriOtherThanTheAuthorizationRequests() {
      // Also registered for the client, but not the one the code was issued for.
      Map<String, String> form = codeRequest(code, verifier);
      form.put("redirect_uri", OTHER_REDIRECT);

      assertThat(assertOAuthError(token(form), 400, "invalid_grant"))
          .containsEntry(
              "error_description", "redirect_uri does not match the authorization request");
    }

    @Test
    void refusesMissingRedirectUri_asInvalidRequest() {
      Map<String, String> form = codeRequest(code, verifier);
      form.remove("redirect_uri");

      assertOAuthError(token(form), 400, "invalid_request");
    }

    @Test
    void refusesCodeIssuedToAnotherClient_andLeavesItToItsOwnClient() {
      Map<String, String> form = codeRequest(code, verifier);
      form.put("client_id", PARKING);
      form.put("redirect_uri", AuthSteps.PARKING_REDIRECT);

      assertThat(assertOAuthError(token(form), 400, "invalid_grant"))
          .containsEntry(
              "error_description", "The authorization code was not issued to this client");
      assertThat(portal.exchange(code, verifier).status()).isEqualTo(200);
    }

    @Test
    void refusesExpiredCode() {
      int expired =
          AuthSteps.update(
              "UPDATE authorization_codes SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND"
                  + " WHERE code_hash = ?",
              SecretTokens.hash(code));
      assertThat(expired).isEqualTo(1);

      assertThat(assertOAuthError(portal.exchange(code, verifier), 400, "invalid_grant"))
          .containsEntry("error_description", "The authorization code has expired");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not-a-code", "x'; --"})
    void refusesUnknownCode(String unknown) {
      assertOAuthError(portal.exchange(unknown, verifier), 400, "invalid_grant");
    }

    @Test
    void refusesMissingCode_asInvalidRequest() {
      Map<String, String> form = codeRequest(code, verifier);
      form.remove("code");

      assertThat(assertOAuthError(token(form), 400, "invalid_request"))
          .containsEntry("error_description", "code is required");
    }
  }

  @Nested
  class RefreshTokenGrant {
    Map<String, Object> first;

    @BeforeEach
    void signedIn() {
      CodeVerifier verifier = new CodeVerifier();
      first = AuthSteps.tokens(portal.exchange(portal.code(email, verifier), verifier));
    }

    String refreshToken() {
      return (String) first.get("refresh_token");
    }

    @Test
    void rotatesTheRefreshToken_andRefusesTheOldOne_thenRevokesTheFamily() {
      Response refreshed = portal.refresh(refreshToken());

      assertThat(refreshed.status()).isEqualTo(200);
      assertThat(refreshed.header("cache-control")).isEqualTo("no-store");
      Map<String, Object> second = refreshed.json();
      assertThat(second)
          .containsEntry("token_type", "Bearer")
          .containsEntry("scope", "openid profile email account")
          .containsKeys("access_token", "refresh_token");
      String secondRefresh = (String) second.get("refresh_token");
      assertThat(secondRefresh).isNotEqualTo(refreshToken()).matches("[A-Za-z0-9_-]{43}");
      assertThat(second.get("access_token")).isNotEqualTo(first.get("access_token"));

      // The old token is refused, and presenting it revoked the whole family.
      assertThat(assertOAuthError(portal.refresh(refreshToken()), 400, "invalid_grant"))
          .containsEntry("error_description", "The grant was already used and is now revoked");
      assertOAuthError(portal.refresh(secondRefresh), 400, "invalid_grant");
    }

    @Test
    void rotatesTheRefreshTokenOnlyOnce_whenRequestsRace() {
      List<Response> responses = concurrently(5, () -> portal.refresh(refreshToken()));

      assertThat(responses).extracting(Response::status).containsOnlyOnce(200);
      responses.stream()
          .filter(r -> r.status() != 200)
          .forEach(r -> assertOAuthError(r, 400, "invalid_grant"));
      // The losers were replays: the family, the winner's new token included, is revoked.
      Response winner = responses.stream().filter(r -> r.status() == 200).findFirst().get();
      assertOAuthError(
          portal.refresh((String) winner.json().get("refresh_token")), 400, "invalid_grant");
    }

    @Test
    void refusesRefreshTokenOfAnotherClient_andLeavesItToItsOwnClient() {
      Response stolen = AuthSteps.refresh(portal, PARKING, refreshToken(), null);

      assertThat(assertOAuthError(stolen, 400, "invalid_grant"))
          .containsEntry("error_description", "The refresh token was not issued to this client");
      assertThat(portal.refresh(refreshToken()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"garbage", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "' OR 1=1 --"})
    void refusesUnknownRefreshToken(String unknown) {
      assertThat(assertOAuthError(portal.refresh(unknown), 400, "invalid_grant"))
          .containsEntry("error_description", "The refresh token is not valid");
    }

    @Test
    void refusesAccessTokenPresentedAsRefreshToken() {
      assertOAuthError(portal.refresh((String) first.get("access_token")), 400, "invalid_grant");
    }

    @Test
    void refusesMissingRefreshToken_asInvalidRequest() {
      Response response = token(Map.of("grant_type", "refresh_token", "client_id", Portal.CLIENT));

      assertThat(assertOAuthError(response, 400, "invalid_request"))
          .containsEntry("error_description", "refresh_token is required");
    }

    @Test
    void grantsANarrowerScope_andSaysSoInTheAccessToken() throws Exception {
      Response response = AuthSteps.refresh(portal, Portal.CLIENT, refreshToken(), "openid");

      assertThat(response.status()).isEqualTo(200);
      Map<String, Object> json = response.json();
      assertThat(json).containsEntry("scope", "openid");
      assertThat(AuthSteps.claims(json.get("access_token")).getStringClaim("scope"))
          .isEqualTo("openid");
      JWTClaimsSet idToken = AuthSteps.claims(json.get("id_token"));
      assertThat(idToken.getClaims())
          .doesNotContainKeys("email", "email_verified", "given_name", "family_name");
    }

    @Test
    void keepsTheRefreshTokensOwnScope_afterANarrowerRefresh() {
      // RFC 6749 section 6: a new refresh token's scope MUST be identical to the one presented;
      // only the access token is narrowed.
      Response narrowed = AuthSteps.refresh(portal, Portal.CLIENT, refreshToken(), "openid");
      String next = (String) AuthSteps.tokens(narrowed).get("refresh_token");

      Response again = portal.refresh(next);

      assertThat(AuthSteps.tokens(again).get("scope")).isEqualTo("openid profile email account");
    }

    @Test
    void refusesAWiderScope_asInvalidScope() {
      CodeVerifier verifier = new CodeVerifier();
      Map<String, String> params = portal.authorizeParams(verifier, "s", "n");
      Map<String, String> narrow = new LinkedHashMap<>(params);
      narrow.put("scope", "openid email");
      String code = AuthSteps.code(portal, narrow, verifier, email);
      String refresh =
          (String) AuthSteps.tokens(portal.exchange(code, verifier)).get("refresh_token");

      Response response = AuthSteps.refresh(portal, Portal.CLIENT, refresh, "openid email profile");

      assertThat(assertOAuthError(response, 400, "invalid_scope"))
          .containsEntry("error_description", "scope is wider than the grant");
    }

    @Test
    void leavesTheRefreshTokenUsable_afterRefusingAWiderScope() {
      // A refused request must not use the token up: the client could never refresh again, and
      // its retry would look like a replay and revoke the sign-in.
      Response wider =
          AuthSteps.refresh(portal, Portal.CLIENT, refreshToken(), "openid records:write");
      assertOAuthError(wider, 400, "invalid_scope");

      Response retry = portal.refresh(refreshToken());

      assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    }

    @Test
    void issuesAnIdTokenForTheSameResidentAndSignIn() throws Exception {
      JWTClaimsSet original = AuthSteps.claims(first.get("id_token"));

      Map<String, Object> refreshed = AuthSteps.tokens(portal.refresh(refreshToken()));

      JWTClaimsSet idToken = AuthSteps.claims(refreshed.get("id_token"));
      JWTClaimsSet accessToken = AuthSteps.claims(refreshed.get("access_token"));
      assertThat(idToken.getSubject()).isEqualTo(accountId).isEqualTo(original.getSubject());
      assertThat(accessToken.getSubject()).isEqualTo(accountId);
      assertThat(idToken.getIssuer()).isEqualTo(original.getIssuer());
      assertThat(idToken.getAudience()).isEqualTo(original.getAudience());
      assertThat(idToken.getStringClaim("azp")).isEqualTo(Portal.CLIENT);
      // OIDC Core section 12.2: auth_time is still the time of the original sign-in.
      assertThat(idToken.getLongClaim("auth_time")).isEqualTo(original.getLongClaim("auth_time"));
      assertThat(accessToken.getLongClaim("auth_time"))
          .isEqualTo(original.getLongClaim("auth_time"));
    }
  }

  @Nested
  class ClientIdentification {
    CodeVerifier verifier;
    String code;

    @BeforeEach
    void aFreshCode() {
      verifier = new CodeVerifier();
      code = portal.code(email, verifier);
    }

    @Test
    void refusesUnknownClient_with401InvalidClient() {
      Map<String, String> form = codeRequest(code, verifier);
      form.put("client_id", "no-such-client");

      assertOAuthError(token(form), 401, "invalid_client");
    }

    @Test
    void refusesMissingClientId_with401InvalidClient() {
      Map<String, String> form = codeRequest(code, verifier);
      form.remove("client_id");

      assertThat(assertOAuthError(token(form), 401, "invalid_client"))
          .containsEntry("error_description", "client_id is required");
    }

    @Test
    void refusesBasicAuthentication_with401InvalidClient() {
      // Our clients are public: a client secret is not a method we support.
      String basic =
          java.util.Base64.getEncoder()
              .encodeToString(
                  (Portal.CLIENT + ":secret").getBytes(java.nio.charset.StandardCharsets.UTF_8));

      Response response = token(codeRequest(code, verifier), "Authorization", "Basic " + basic);

      assertOAuthError(response, 401, "invalid_client");
      // The code was not spent on a refused client.
      assertThat(portal.exchange(code, verifier).status()).isEqualTo(200);
    }
  }

  @Nested
  class RequestFormat {

    @ParameterizedTest
    @ValueSource(strings = {"password", "implicit", "urn:x:unknown"})
    void refusesUnsupportedGrantType(String grantType) {
      Response response = token(Map.of("grant_type", grantType, "client_id", Portal.CLIENT));

      assertOAuthError(response, 400, "unsupported_grant_type");
    }

    @Test
    void refusesMissingGrantType_asInvalidRequest() {
      Response response = token(Map.of("client_id", Portal.CLIENT));

      assertThat(assertOAuthError(response, 400, "invalid_request"))
          .containsEntry("error_description", "grant_type is required");
    }

    @Test
    void refusesRepeatedParameter_asInvalidRequest() {
      CodeVerifier verifier = new CodeVerifier();
      String code = portal.code(email, verifier);

      Response response =
          portal.post(
              "/oauth2/token",
              "application/x-www-form-urlencoded",
              Portal.encode(codeRequest(code, verifier)) + "&code=" + code);

      assertThat(assertOAuthError(response, 400, "invalid_request"))
          .containsEntry("error_description", "code is repeated");
    }

    @Test
    void acceptsTheFormContentTypeWithACharset() {
      CodeVerifier verifier = new CodeVerifier();
      String code = portal.code(email, verifier);

      Response response =
          portal.post(
              "/oauth2/token",
              "application/x-www-form-urlencoded; charset=UTF-8",
              Portal.encode(codeRequest(code, verifier)));

      assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void refusesAJsonBody_with415() {
      // The framework answers before the endpoint: problem+json, not RFC 6749 JSON.
      Response response =
          portal.json(
              "POST",
              "/oauth2/token",
              "{\"grant_type\":\"refresh_token\",\"client_id\":\"council-tax-web\"}",
              null);

      assertThat(response.status()).isEqualTo(415);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json())
          .containsEntry("type", "urn:resident-portal:problem:unsupported-media-type")
          .doesNotContainKey("access_token");
      assertThat(response.header("cache-control")).isEqualTo("no-store");
    }

    @Test
    void refusesGetRequests_with405() {
      Response response = portal.get("/oauth2/token?grant_type=refresh_token", null);

      assertThat(response.status()).isEqualTo(405);
      assertThat(response.header("allow")).isEqualTo("POST");
      assertThat(response.json())
          .containsEntry("type", "urn:resident-portal:problem:method-not-allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\"b", "caf\u00e9", "tab\there", "back\\slash"})
    void answersGrantTypeWithUnusualCharacters_asUnsupportedGrantType_not500(String grantType) {
      // RFC 6749 section 5.2 limits error_description to printable ASCII without " and \ :
      // a description that quotes the caller's input must not break the answer.
      Response response = token(Map.of("grant_type", grantType, "client_id", Portal.CLIENT));

      assertOAuthError(response, 400, "unsupported_grant_type");
    }

    @Test
    void answersRepeatedParameterWithAnUnusualName_asInvalidRequest_not500() {
      Response response =
          portal.post(
              "/oauth2/token",
              "application/x-www-form-urlencoded",
              "client_id=council-tax-web&grant_type=refresh_token&x%22=1&x%22=2");

      assertOAuthError(response, 400, "invalid_request");
    }
  }
}
