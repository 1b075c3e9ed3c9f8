package uk.gov.residentportal.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/** RFC 6750 section 3: 401s from bearer-protected resources carry a challenge. */
@MicronautTest(transactional = false)
class BearerChallengeTest {
  @Inject EmbeddedServer server;

  @Test
  void challengesACallerWithoutAToken() {
    Portal.Response response = new Portal(server.getURI()).get("/api/v1/me", null);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json()).containsEntry("type", ProblemType.UNAUTHORIZED.uri());
    assertThat(response.header("www-authenticate")).isEqualTo("Bearer realm=\"portal\"");
  }

  @Test
  void saysTheTokenIsInvalidWhenOneWasSent() {
    Portal.Response response = new Portal(server.getURI()).get("/oauth2/userinfo", "not-a-jwt");

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("www-authenticate")).contains("error=\"invalid_token\"");
  }
}
