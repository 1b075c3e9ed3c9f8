package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.account.AccountSteps.ANOTHER_PASSWORD;
import static uk.gov.residentportal.account.ProblemAssertions.assertInvalidField;
import static uk.gov.residentportal.account.ProblemAssertions.assertInvalidToken;
import static uk.gov.residentportal.account.SignUpRequest.aSignUp;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/**
 * {@code POST /api/v1/accounts/password-reset} and {@code .../password-reset/confirm}: the answer
 * never tells whether an address is registered, the link works once, and a reset ends every refresh
 * token of the account.
 */
@MicronautTest(transactional = false)
class AccountPasswordResetTest {
  private static final String THIRD_PASSWORD = "marble kettle orbit saffron 17";

  @Inject EmbeddedServer server;

  Portal portal;
  AccountSteps steps;

  @BeforeEach
  void connect() {
    portal = new Portal(server.getURI());
    steps = new AccountSteps(portal);
  }

  /** A verified resident who asked for a reset; returns the emailed token. */
  private String resetTokenFor(String email) {
    return steps
        .newEmailTo(
            email, () -> assertThat(steps.requestPasswordReset(email).status()).isEqualTo(202))
        .token();
  }

  private SignUpRequest verifiedResident() {
    SignUpRequest request = aSignUp();
    steps.signUpAndVerify(request);
    return request;
  }

  @Nested
  class AskingForALink {
    @Test
    void acceptsAKnownAddressAndEmailsItsOwnerALink() {
      SignUpRequest resident = verifiedResident();
      int before = steps.emailsTo(resident.email());

      Portal.Response response = steps.requestPasswordReset(resident.email());

      assertThat(response.status()).isEqualTo(202);
      assertThat(steps.emailsTo(resident.email())).isEqualTo(before + 1);
      var email = portal.outbox().latest(resident.email());
      assertThat(email.subject()).isEqualTo("Reset your password");
      assertThat(email.body()).contains(portal.base() + "/account/reset-password?token=");
      assertThat(email.token()).hasSize(43);
    }

    @Test
    void answersAnUnknownAddressExactlyAsAKnownOneAndEmailsNobody() {
      SignUpRequest resident = verifiedResident();
      String stranger = Portal.newEmail();

      Portal.Response known = steps.requestPasswordReset(resident.email());
      Portal.Response unknown = steps.requestPasswordReset(stranger);

      assertThat(unknown.status()).isEqualTo(known.status()).isEqualTo(202);
      assertThat(unknown.body()).isEqualTo(known.body());
      assertThat(unknown.contentType()).isEqualTo(known.contentType());
      assertThat(steps.emailsTo(stranger)).isZero();
    }

    @Test
    void findsTheAccountWhateverTheCaseOfTheAddress() {
      SignUpRequest resident = verifiedResident();

      steps.requestPasswordReset(resident.email().toUpperCase(Locale.ROOT));

      assertThat(portal.outbox().latest(resident.email()).subject())
          .isEqualTo("Reset your password");
    }

    @Test
    void refusesSomethingThatIsNotAnEmailAddress() {
      assertThat(assertInvalidField(steps.requestPasswordReset("not an address"), "email"))
          .isEqualTo("must be an email address");
    }

    @Test
    void refusesAMissingEmail() {
      assertThat(
              assertInvalidField(steps.post("/api/v1/accounts/password-reset", Map.of()), "email"))
          .isEqualTo("is required");
    }
  }

  @Nested
  class SettingTheNewPassword {
    @Test
    void replacesThePasswordSoOnlyTheNewOneSignsIn() {
      SignUpRequest resident = verifiedResident();
      String token = resetTokenFor(resident.email());

      Portal.Response response = steps.confirmPasswordReset(token, ANOTHER_PASSWORD);

      assertThat(response.status()).isEqualTo(204);
      assertThat(response.body()).isEmpty();
      assertThat(steps.submitSignIn(resident.email(), ANOTHER_PASSWORD).status()).isEqualTo(302);
      assertThat(steps.submitSignIn(resident.email(), Portal.PASSWORD).status()).isEqualTo(401);
      assertThat(portal.outbox().latest(resident.email()).subject())
          .isEqualTo("Your password has been changed");
    }

    @Test
    void endsEveryRefreshTokenOfTheAccount() {
      SignUpRequest resident = verifiedResident();
      Portal.Tokens laptop = steps.signIn(resident.email(), Portal.PASSWORD);
      Portal.Tokens phone = steps.signIn(resident.email(), Portal.PASSWORD);
      String token = resetTokenFor(resident.email());

      assertThat(steps.confirmPasswordReset(token, ANOTHER_PASSWORD).status()).isEqualTo(204);

      for (Portal.Tokens device : new Portal.Tokens[] {laptop, phone}) {
        Portal.Response refreshed = portal.refresh(device.refreshToken());
        assertThat(refreshed.status()).isEqualTo(400);
        assertThat(refreshed.json()).containsEntry("error", "invalid_grant");
      }
    }

    @Test
    void leavesRefreshTokensIssuedAfterTheResetWorking() {
      SignUpRequest resident = verifiedResident();
      assertThat(
              steps
                  .confirmPasswordReset(resetTokenFor(resident.email()), ANOTHER_PASSWORD)
                  .status())
          .isEqualTo(204);

      Portal.Tokens after = steps.signIn(resident.email(), ANOTHER_PASSWORD);

      assertThat(portal.refresh(after.refreshToken()).status()).isEqualTo(200);
    }

    @Test
    void refusesTheLinkUsedTwice() {
      SignUpRequest resident = verifiedResident();
      String token = resetTokenFor(resident.email());
      assertThat(steps.confirmPasswordReset(token, ANOTHER_PASSWORD).status()).isEqualTo(204);

      assertInvalidToken(steps.confirmPasswordReset(token, THIRD_PASSWORD));
      assertThat(steps.submitSignIn(resident.email(), ANOTHER_PASSWORD).status()).isEqualTo(302);
    }

    @Test
    void voidsAnOlderLinkOnceANewerOneWasUsed() {
      SignUpRequest resident = verifiedResident();
      String older = resetTokenFor(resident.email());
      String newer = resetTokenFor(resident.email());
      assertThat(newer).isNotEqualTo(older);
      assertThat(steps.confirmPasswordReset(newer, ANOTHER_PASSWORD).status()).isEqualTo(204);

      assertInvalidToken(steps.confirmPasswordReset(older, THIRD_PASSWORD));
      assertThat(steps.submitSignIn(resident.email(), ANOTHER_PASSWORD).status()).isEqualTo(302);
    }

    @Test
    void refusesAWeakPasswordWithoutUsingUpTheLink() {
      SignUpRequest resident = verifiedResident();
      String token = resetTokenFor(resident.email());

      String message =
          assertInvalidField(steps.confirmPasswordReset(token, "password1234"), "newPassword");

      assertThat(message).startsWith("is too easy to guess");
      assertThat(steps.submitSignIn(resident.email(), Portal.PASSWORD).status()).isEqualTo(302);
      assertThat(steps.confirmPasswordReset(token, ANOTHER_PASSWORD).status()).isEqualTo(204);
      assertThat(steps.submitSignIn(resident.email(), ANOTHER_PASSWORD).status()).isEqualTo(302);
    }

    @Test
    void refusesANewPasswordTooShortOrContainingTheAddress() {
      SignUpRequest resident = verifiedResident();
      String token = resetTokenFor(resident.email());
      String localPart = resident.email().substring(0, resident.email().indexOf('@'));

      assertThat(
              assertInvalidField(steps.confirmPasswordReset(token, "kx8#Vq2!mZp"), "newPassword"))
          .isEqualTo("must be at least 12 characters long");
      assertThat(
              assertInvalidField(
                  steps.confirmPasswordReset(token, "violet " + localPart + " 93"), "newPassword"))
          .isEqualTo("must not contain your email address or the part before the @");
      assertThat(steps.confirmPasswordReset(token, ANOTHER_PASSWORD).status()).isEqualTo(204);
    }

    @Test
    void refusesAnExpiredLinkAndKeepsTheOldPassword() {
      SignUpRequest resident = verifiedResident();
      String token = resetTokenFor(resident.email());
      TestSql.expire(token);

      assertInvalidToken(steps.confirmPasswordReset(token, ANOTHER_PASSWORD));
      assertThat(steps.submitSignIn(resident.email(), Portal.PASSWORD).status()).isEqualTo(302);
    }

    @Test
    void refusesAnEmailVerificationTokenAsAResetLink() {
      SignUpRequest request = aSignUp();
      assertThat(steps.signUp(request).status()).isEqualTo(201);
      String verificationToken = portal.outbox().latest(request.email()).token();

      assertInvalidToken(steps.confirmPasswordReset(verificationToken, ANOTHER_PASSWORD));
      assertThat(steps.verifyEmail(verificationToken).status()).isEqualTo(204);
      assertThat(steps.submitSignIn(request.email(), Portal.PASSWORD).status()).isEqualTo(302);
    }

    @Test
    void refusesAnUnknownOrMalformedLink() {
      assertInvalidToken(steps.confirmPasswordReset("A".repeat(43), ANOTHER_PASSWORD));
      assertInvalidToken(steps.confirmPasswordReset("not-a-token", ANOTHER_PASSWORD));
    }

    @Test
    void refusesMissingFieldsNamingThem() {
      String path = "/api/v1/accounts/password-reset/confirm";
      assertInvalidField(steps.post(path, Map.of("newPassword", ANOTHER_PASSWORD)), "token");
      assertInvalidField(steps.post(path, Map.of("token", "A".repeat(43))), "newPassword");
    }
  }
}
