package uk.gov.residentportal.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * The cross-cutting HTTP conventions of DESIGN.md section 5 and 6, over real HTTP: request ids,
 * problem+json for framework errors, security headers, and the operations endpoints.
 */
@MicronautTest(transactional = false)
class WebConventionsTest {
  private static final String UUID_PATTERN =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final String PROBLEM = "urn:resident-portal:problem:";

  @Inject EmbeddedServer server;

  Portal portal;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
  }

  static void assertProblem(Response response, int status, String type) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(((Number) response.json().get("status")).intValue()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json())
        .containsEntry("type", PROBLEM + type)
        .containsKey("title")
        .containsEntry("requestId", response.header("x-request-id"));
  }

  @Nested
  class RequestIds {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "3f1e2d4c-5b6a-4789-8abc-def012345678",
          "trace.42:span-7_x",
          "a",
        })
    void echoesASafeRequestIdAsGiven(String id) {
      Response response = portal.get("/health/liveness", null, "X-Request-ID", id);

      assertThat(response.header("x-request-id")).isEqualTo(id);
    }

    @Test
    void echoesARequestIdOf128Characters() {
      String id = "r".repeat(128);

      assertThat(portal.get("/health/liveness", null, "X-Request-ID", id).header("x-request-id"))
          .isEqualTo(id);
    }

    @Test
    void makesAUuid_whenNoneIsGiven() {
      Response first = portal.get("/health/liveness", null);
      Response second = portal.get("/health/liveness", null);

      assertThat(first.header("x-request-id")).matches(UUID_PATTERN);
      assertThat(second.header("x-request-id"))
          .matches(UUID_PATTERN)
          .isNotEqualTo(first.header("x-request-id"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "with spaces",
          "tab\tinside",
          "abc%0D%0ASet-Cookie:%20x=1",
          "<script>alert(1)</script>",
          "quote\"s",
          "",
        })
    void replacesAnUnsafeRequestId_withAUuid(String unsafe) {
      Response response = portal.get("/health/liveness", null, "X-Request-ID", unsafe);

      assertThat(response.header("x-request-id")).matches(UUID_PATTERN);
    }

    @ParameterizedTest
    @ValueSource(ints = {129, 200, 4000})
    void replacesAnOverlongRequestId_withAUuid(int length) {
      Response response = portal.get("/health/liveness", null, "X-Request-ID", "x".repeat(length));

      assertThat(response.header("x-request-id")).matches(UUID_PATTERN);
    }

    @Test
    void namesTheRequestIdInProblems() {
      Response response =
          portal.get("/api/v1/no-such-thing", null, "X-Request-ID", "req-for-problem-1");

      assertThat(response.header("x-request-id")).isEqualTo("req-for-problem-1");
      assertThat(response.json()).containsEntry("requestId", "req-for-problem-1");
    }
  }

  @Nested
  class FrameworkErrors {

    @ParameterizedTest
    @ValueSource(strings = {"/no-such-page", "/api/v1/no-such-thing", "/oauth2/no-such-endpoint"})
    void answersUnknownRoute_with404NotFoundProblem(String path) {
      assertProblem(portal.get(path, null), 404, "not-found");
    }

    @Test
    void answersWrongMethod_with405MethodNotAllowedProblem() {
      Response response = portal.json("DELETE", "/oauth2/jwks", null, null);

      assertProblem(response, 405, "method-not-allowed");
      assertThat(response.header("allow")).contains("GET");
    }

    @Test
    void answersWrongContentType_with415UnsupportedMediaTypeProblem() {
      Response response = portal.json("POST", "/oauth2/authorize", "{}", null);

      assertProblem(response, 415, "unsupported-media-type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\"b", "caf\u00e9", "back\\slash"})
    void neverShowsAnExceptionMessageOrClass(String awkward) {
      // Inputs that have reached an unexpected exception: whatever the status, the answer
      // holds no exception text.
      Response response =
          portal.form(
              "/oauth2/token", Map.of("grant_type", awkward, "client_id", "council-tax-web"));

      assertThat(response.body())
          .doesNotContain("Exception")
          .doesNotContain("Illegal char")
          .doesNotContain("java.")
          .doesNotContain("com.nimbusds")
          .doesNotContain("\tat ");
    }

    @Test
    void neverShowsAnExceptionMessage_forUndecodableForms() {
      Response response =
          portal.post("/oauth2/authorize", "application/x-www-form-urlencoded", "client_id=%zz");

      assertThat(response.body())
          .doesNotContain("Exception")
          .doesNotContain("Invalid hex")
          .doesNotContain("%zz")
          .doesNotContain("netty");
    }
  }

  @Nested
  class SecurityHeaders {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "/.well-known/openid-configuration",
          "/oauth2/jwks",
          "/api/v1/no-such-thing",
          "/health/liveness",
          "/oauth2/authorize"
        })
    void areOnEveryResponse(String path) {
      Response response = portal.get(path, null);

      assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
      assertThat(response.header("referrer-policy")).isEqualTo("same-origin");
      assertThat(response.header("x-frame-options")).isEqualTo("DENY");
      assertThat(response.header("content-security-policy"))
          .contains("default-src 'none'")
          .contains("frame-ancestors 'none'");
    }

    @Test
    void letBrowsersKeepGovukFrontendsFonts_whoseNamesChangeWithTheirContent() {
      String css = portal.get("/assets/govuk-frontend.min.css", null).body();
      Matcher font = Pattern.compile("url\\((/assets/fonts/[^)]+\\.woff2)\\)").matcher(css);
      assertThat(font.find()).as("a woff2 font in GOV.UK Frontend's CSS").isTrue();

      Response response = portal.get(font.group(1), null);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.contentType()).isEqualTo("font/woff2");
      assertThat(response.header("cache-control")).isEqualTo("public, max-age=31536000, immutable");
      assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
    }

    @Test
    void neverLetAMissingAssetBeCachedForAYear() {
      assertThat(portal.get("/assets/fonts/no-such-font.woff2", null).header("cache-control"))
          .isNotEqualTo("public, max-age=31536000, immutable");
    }

    @Test
    void areOnTheTokenEndpointsErrors_whichAreNeverCached() {
      Response response = portal.form("/oauth2/token", Map.of("client_id", "council-tax-web"));

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
      assertThat(response.header("cache-control")).isEqualTo("no-store");
    }

    @Test
    void areOnAnswersThatRefuseAMissingToken() {
      // The security filter answers this one before the route: the headers must still be set.
      Response response = portal.get("/oauth2/userinfo", null);

      assertThat(response.status()).isEqualTo(401);
      assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
      assertThat(response.header("content-security-policy")).contains("default-src 'none'");
      assertThat(response.header("cache-control")).isEqualTo("no-store");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/no-such-thing", "/oauth2/no-such-endpoint"})
    void forbidCachingOfApiAndOAuthAnswers(String path) {
      assertThat(portal.get(path, null).header("cache-control")).isEqualTo("no-store");
    }
  }

  @Nested
  class Operations {

    @ParameterizedTest
    @ValueSource(strings = {"/health/liveness", "/health/readiness"})
    void reportsHealthUp_withoutAToken(String path) {
      Response response = portal.get(path, null);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.contentType()).startsWith("application/json");
      assertThat(response.json()).containsEntry("status", "UP");
    }

    @Test
    void reportsHealthWithoutDetails() {
      assertThat(portal.get("/health", null).json()).doesNotContainKey("details");
    }

    @Test
    void exposesPrometheusMetrics_withoutAToken() {
      Response response = portal.get("/prometheus", null);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.contentType()).startsWith("text/plain");
      assertThat(response.body()).contains("# TYPE jvm_").containsPattern("(?m)^jvm_\\w+");
    }
  }
}
