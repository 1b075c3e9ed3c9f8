package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.account.ProblemAssertions.assertInvalidField;
import static uk.gov.residentportal.account.ProblemAssertions.assertInvalidToken;
import static uk.gov.residentportal.account.SignUpRequest.aSignUp;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.shared.SecretTokens;
import uk.gov.residentportal.support.Portal;

/** {@code POST /api/v1/accounts/email-verification}, and sign-in before and after it. */
@MicronautTest(transactional = false)
class AccountEmailVerificationTest {
  @Inject EmbeddedServer server;

  Portal portal;
  AccountSteps steps;

  @BeforeEach
  void connect() {
    portal = new Portal(server.getURI());
    steps = new AccountSteps(portal);
  }

  /** Signs up a fresh resident and returns the request; the link is in their outbox. */
  private SignUpRequest signedUp() {
    SignUpRequest request = aSignUp();
    assertThat(steps.signUp(request).status()).isEqualTo(201);
    return request;
  }

  private String linkTokenOf(SignUpRequest request) {
    return portal.outbox().latest(request.email()).token();
  }

  @Nested
  class BeforeVerification {
    @Test
    void refusesSignInAndSaysToConfirmTheEmail() {
      SignUpRequest request = signedUp();

      Portal.Response refused = steps.submitSignIn(request.email(), Portal.PASSWORD);

      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.contentType()).startsWith("text/html");
      assertThat(refused.body()).contains("Confirm your email address");
    }

    @Test
    void refusesAWrongPasswordWithoutSayingTheAddressIsRegistered() {
      SignUpRequest request = signedUp();

      Portal.Response refused = steps.submitSignIn(request.email(), AccountSteps.ANOTHER_PASSWORD);

      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.body()).doesNotContain("Confirm your email address");
    }
  }

  @Nested
  class WithTheEmailedToken {
    @Test
    void verifiesTheAddressSoTheResidentCanSignIn() {
      SignUpRequest request = signedUp();

      Portal.Response verified = steps.verifyEmail(linkTokenOf(request));

      assertThat(verified.status()).isEqualTo(204);
      assertThat(verified.body()).isEmpty();
      Portal.Tokens tokens = steps.signIn(request.email(), Portal.PASSWORD);
      assertThat(portal.get("/api/v1/me", tokens.accessToken()).json())
          .containsEntry("email", request.email())
          .containsEntry("emailVerified", true);
    }

    @Test
    void linksToTheVerificationPageWithTheToken() {
      SignUpRequest request = signedUp();

      String body = portal.outbox().latest(request.email()).body();

      assertThat(body).contains(portal.base() + "/account/verify-email?token=");
    }

    @Test
    void refusesTheTokenUsedTwice() {
      SignUpRequest request = signedUp();
      String token = linkTokenOf(request);
      assertThat(steps.verifyEmail(token).status()).isEqualTo(204);

      assertInvalidToken(steps.verifyEmail(token));
    }

    @Test
    void refusesAnExpiredTokenAndLeavesTheAccountUnverified() {
      SignUpRequest request = signedUp();
      String token = linkTokenOf(request);
      TestSql.expire(token);

      assertInvalidToken(steps.verifyEmail(token));
      assertThat(steps.submitSignIn(request.email(), Portal.PASSWORD).status()).isEqualTo(403);
    }

    @Test
    void refusesAPasswordResetTokenForVerification() {
      SignUpRequest request = signedUp();
      assertThat(steps.requestPasswordReset(request.email()).status()).isEqualTo(202);
      String resetToken = portal.outbox().latest(request.email()).token();

      assertInvalidToken(steps.verifyEmail(resetToken));
      assertThat(steps.submitSignIn(request.email(), Portal.PASSWORD).status()).isEqualTo(403);
    }
  }

  @Nested
  class WithoutAValidToken {
    @Test
    void refusesAnUnknownWellFormedToken() {
      String unknown = new SecretTokens(new java.security.SecureRandom()).generate();

      assertInvalidToken(steps.verifyEmail(unknown));
    }

    @ParameterizedTest(name = "refuses the malformed token \"{0}\"")
    @ValueSource(
        strings = {
          "not-a-token",
          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
          "' OR '1'='1",
          "ÄAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        })
    void refusesAMalformedToken(String token) {
      assertInvalidToken(steps.verifyEmail(token));
    }

    @Test
    void refusesAMissingToken() {
      assertThat(
              assertInvalidField(
                  steps.post("/api/v1/accounts/email-verification", Map.of()), "token"))
          .isEqualTo("is required");
    }

    @Test
    void refusesATokenTooLongToBeOne() {
      assertInvalidField(steps.verifyEmail("A".repeat(101)), "token");
    }
  }
}
