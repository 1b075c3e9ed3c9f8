package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.account.ProblemAssertions.FORBIDDEN;
import static uk.gov.residentportal.account.ProblemAssertions.UNAUTHORIZED;
import static uk.gov.residentportal.account.ProblemAssertions.assertInvalidField;
import static uk.gov.residentportal.account.ProblemAssertions.assertProblem;
import static uk.gov.residentportal.account.SignUpRequest.aSignUp;
import static uk.gov.residentportal.account.SignUpRequest.aSignUpFor;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.gov.residentportal.support.Portal;

/** {@code GET, PATCH, DELETE /api/v1/me} and {@code GET /api/v1/me/export} for their owner. */
@MicronautTest(transactional = false)
class AccountMeTest {
  static final String VALID_NHS_NUMBER = "9434765919";

  @Inject EmbeddedServer server;

  Portal portal;
  AccountSteps steps;

  @BeforeEach
  void connect() {
    portal = new Portal(server.getURI());
    steps = new AccountSteps(portal);
  }

  /** A verified, signed-in resident. */
  record Resident(String id, String email, Portal.Tokens tokens) {
    String accessToken() {
      return tokens.accessToken();
    }
  }

  private Resident aResident() {
    SignUpRequest request = aSignUp();
    String id = steps.signUpAndVerify(request);
    return new Resident(id, request.email(), steps.signIn(request.email(), Portal.PASSWORD));
  }

  private Portal.Response patch(Resident resident, Map<String, ?> body) {
    return portal.json("PATCH", "/api/v1/me", SignUpRequest.json(body), resident.accessToken());
  }

  private Portal.Response profileOf(Resident resident) {
    return portal.get("/api/v1/me", resident.accessToken());
  }

  private Portal.Response erase(Resident resident, String password) {
    return portal.json(
        "DELETE",
        "/api/v1/me",
        SignUpRequest.json(Map.of("password", password)),
        resident.accessToken());
  }

  @Nested
  class ReadingTheProfile {
    @Test
    void returnsTheResidentsOwnProfile() {
      Resident resident = aResident();

      Portal.Response me = profileOf(resident);

      assertThat(me.status()).isEqualTo(200);
      assertThat(me.contentType()).startsWith("application/json");
      assertThat(me.json())
          .containsEntry("id", resident.id())
          .containsEntry("email", resident.email())
          .containsEntry("emailVerified", true)
          .containsEntry("givenName", "Ada")
          .containsEntry("familyName", "Lovelace")
          .containsEntry("postcode", "LE1 6ZG")
          .containsEntry("assurance", "P0")
          .doesNotContainKeys("password", "passwordHash");
    }

    @Test
    void listsTheRolesEvenWhenThereAreNone() {
      Resident resident = aResident();

      assertThat(profileOf(resident).json()).containsEntry("roles", List.of());
    }

    @Test
    void isNeverCached() {
      assertThat(profileOf(aResident()).header("cache-control")).isEqualTo("no-store");
    }
  }

  @Nested
  class ChangingTheProfile {
    @ParameterizedTest(name = "changes {0} to \"{1}\", stored as \"{2}\", and nothing else")
    @MethodSource("uk.gov.residentportal.account.AccountMeTest#changes")
    void changesOneFieldAndLeavesTheOthers(String field, String sent, String stored) {
      Resident resident = aResident();
      Map<String, Object> before = profileOf(resident).json();

      Portal.Response response = patch(resident, Map.of(field, sent));

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      Map<String, Object> expected = new LinkedHashMap<>(before);
      expected.put(field, stored);
      assertThat(response.json()).isEqualTo(expected);
      assertThat(profileOf(resident).json()).isEqualTo(expected);
    }

    @Test
    void clearsPostcodeDateOfBirthAndNhsNumberWithAnEmptyString() {
      Resident resident = aResident();
      assertThat(
              patch(
                      resident,
                      Map.of(
                          "postcode", "LE1 6ZG",
                          "dateOfBirth", "1980-12-31",
                          "nhsNumber", VALID_NHS_NUMBER))
                  .status())
          .isEqualTo(200);

      Portal.Response cleared =
          patch(resident, Map.of("postcode", "", "dateOfBirth", "", "nhsNumber", ""));

      assertThat(cleared.status()).isEqualTo(200);
      Map<String, Object> profile = profileOf(resident).json();
      assertThat(profile.get("postcode")).isNull();
      assertThat(profile.get("dateOfBirth")).isNull();
      assertThat(profile.get("nhsNumber")).isNull();
      assertThat(profile).containsEntry("givenName", "Ada");
    }

    @Test
    void leavesEverythingAsItIsForAnEmptyPatch() {
      Resident resident = aResident();
      Map<String, Object> before = profileOf(resident).json();

      Portal.Response response = patch(resident, Map.of());

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json()).isEqualTo(before);
    }

    @Test
    void neverChangesEmailIdRolesOrAssurance() {
      Resident resident = aResident();
      Map<String, Object> before = profileOf(resident).json();

      patch(
          resident,
          Map.of(
              "email",
              Portal.newEmail(),
              "id",
              "00000000-0000-0000-0000-000000000000",
              "roles",
              List.of("ADMIN"),
              "assurance",
              "P2",
              "emailVerified",
              false));

      assertThat(profileOf(resident).json()).isEqualTo(before);
    }

    @ParameterizedTest(name = "refuses {0} \"{1}\" and changes nothing")
    @MethodSource("uk.gov.residentportal.account.AccountMeTest#invalidChanges")
    void refusesAnInvalidValueNamingTheFieldAndChangesNothing(String field, String value) {
      Resident resident = aResident();
      Map<String, Object> before = profileOf(resident).json();

      String message = assertInvalidField(patch(resident, Map.of(field, value)), field);

      assertThat(message).isNotBlank();
      assertThat(profileOf(resident).json()).isEqualTo(before);
    }

    @Test
    void explainsWhatIsWrongWithAnNhsNumber() {
      Resident resident = aResident();

      assertThat(
              assertInvalidField(patch(resident, Map.of("nhsNumber", "9434765918")), "nhsNumber"))
          .contains("NHS number");
    }
  }

  @Nested
  class Export {
    @Test
    void holdsTheAccountAsOneJsonDocument() {
      Resident resident = aResident();

      Portal.Response export = portal.get("/api/v1/me/export", resident.accessToken());

      assertThat(export.status()).isEqualTo(200);
      assertThat(export.contentType()).startsWith("application/json");
      Map<String, Object> document = export.json();
      assertThat(document).containsKeys("exportedAt", "account", "accountHistory", "emailTokens");
      assertThat(document.get("account"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .containsEntry("id", resident.id())
          .containsEntry("email", resident.email())
          .containsEntry("givenName", "Ada")
          .containsEntry("postcode", "LE1 6ZG");
      assertThat(document.get("accountHistory"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .containsEntry("status", "ACTIVE");
      assertThat(document.get("emailTokens"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
          .hasSize(1);
      assertThat(document.get("signIns"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
          .hasSize(1);
    }

    @Test
    void includesChangesMadeToTheProfile() {
      Resident resident = aResident();
      patch(resident, Map.of("nhsNumber", VALID_NHS_NUMBER, "dateOfBirth", "1980-12-31"));

      Map<String, Object> document = portal.get("/api/v1/me/export", resident.accessToken()).json();

      assertThat(document.get("account"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .containsEntry("nhsNumber", VALID_NHS_NUMBER)
          .containsEntry("dateOfBirth", "1980-12-31");
    }

    @Test
    void neverContainsSecrets() {
      SignUpRequest request = aSignUp();
      steps.signUp(request);
      String verificationToken = portal.outbox().latest(request.email()).token();
      assertThat(steps.verifyEmail(verificationToken).status()).isEqualTo(204);
      Portal.Tokens tokens = steps.signIn(request.email(), Portal.PASSWORD);

      String export = portal.get("/api/v1/me/export", tokens.accessToken()).body();

      assertThat(export)
          .doesNotContain(verificationToken)
          .doesNotContain(tokens.refreshToken())
          .doesNotContain(Portal.PASSWORD)
          .doesNotContainIgnoringCase("argon2")
          .doesNotContain("passwordHash")
          .doesNotContain("tokenHash");
    }
  }

  @Nested
  class Erasure {
    @Test
    void erasesTheAccountWithTheRightPassword() {
      Resident resident = aResident();

      Portal.Response erased = erase(resident, Portal.PASSWORD);

      assertThat(erased.status()).isEqualTo(204);
      assertThat(erased.body()).isEmpty();
      assertThat(TestSql.accountsWithEmail(resident.email())).isZero();
      assertThat(
              TestSql.count(
                  "SELECT COUNT(*) FROM accounts WHERE id = ? AND status = 'ERASED'"
                      + " AND given_name IS NULL AND password_hash IS NULL",
                  resident.id()))
          .isEqualTo(1);
    }

    @Test
    void refusesTheOldAccessTokenAfterwards() {
      Resident resident = aResident();
      assertThat(erase(resident, Portal.PASSWORD).status()).isEqualTo(204);

      assertProblem(profileOf(resident), 401, UNAUTHORIZED);
      assertProblem(portal.get("/api/v1/me/export", resident.accessToken()), 401, UNAUTHORIZED);
    }

    @Test
    void endsSignInAndRefreshTokens() {
      Resident resident = aResident();
      assertThat(erase(resident, Portal.PASSWORD).status()).isEqualTo(204);

      assertThat(steps.submitSignIn(resident.email(), Portal.PASSWORD).status()).isEqualTo(401);
      Portal.Response refreshed = portal.refresh(resident.tokens().refreshToken());
      assertThat(refreshed.status()).isEqualTo(400);
      assertThat(refreshed.json()).containsEntry("error", "invalid_grant");
    }

    @Test
    void letsTheAddressSignUpAgainAsANewAccount() {
      Resident resident = aResident();
      assertThat(erase(resident, Portal.PASSWORD).status()).isEqualTo(204);

      Portal.Response again = steps.signUp(aSignUpFor(resident.email()));

      assertThat(again.status()).isEqualTo(201);
      assertThat(again.json().get("id")).isNotEqualTo(resident.id());
      assertThat(portal.outbox().latest(resident.email()).subject())
          .isEqualTo("Confirm your email address");
      assertThat(steps.verifyEmail(portal.outbox().latest(resident.email()).token()).status())
          .isEqualTo(204);
      Portal.Tokens fresh = steps.signIn(resident.email(), Portal.PASSWORD);
      assertThat(portal.get("/api/v1/me", fresh.accessToken()).json())
          .containsEntry("id", again.json().get("id"));
    }

    @Test
    void forgetsTheAddressForPasswordResets() {
      Resident resident = aResident();
      assertThat(erase(resident, Portal.PASSWORD).status()).isEqualTo(204);
      int before = steps.emailsTo(resident.email());

      assertThat(steps.requestPasswordReset(resident.email()).status()).isEqualTo(202);

      assertThat(steps.emailsTo(resident.email())).isEqualTo(before);
    }

    @Test
    void refusesAWrongPasswordAndErasesNothing() {
      Resident resident = aResident();
      Map<String, Object> before = profileOf(resident).json();

      Portal.Response refused = erase(resident, AccountSteps.ANOTHER_PASSWORD);

      assertProblem(refused, 403, FORBIDDEN);
      assertThat(profileOf(resident).json()).isEqualTo(before);
      assertThat(steps.submitSignIn(resident.email(), Portal.PASSWORD).status()).isEqualTo(302);
      assertThat(portal.refresh(resident.tokens().refreshToken()).status()).isEqualTo(200);
    }

    @Test
    void refusesAMissingPasswordNamingIt() {
      Resident resident = aResident();

      assertThat(
              assertInvalidField(
                  portal.json("DELETE", "/api/v1/me", "{}", resident.accessToken()), "password"))
          .isEqualTo("is required");
      assertThat(profileOf(resident).status()).isEqualTo(200);
    }
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of("givenName", "  Augusta  ", "Augusta"),
        Arguments.of("familyName", "King-Noel", "King-Noel"),
        Arguments.of("postcode", "sw1a1aa", "SW1A 1AA"),
        Arguments.of("dateOfBirth", "1980-12-10", "1980-12-10"),
        Arguments.of("nhsNumber", VALID_NHS_NUMBER, VALID_NHS_NUMBER),
        Arguments.of("nhsNumber", "943 476 5919", VALID_NHS_NUMBER));
  }

  static Stream<Arguments> invalidChanges() {
    String future = LocalDate.now(ZoneOffset.UTC).plusDays(2).toString();
    return Stream.of(
        Arguments.of("givenName", ""),
        Arguments.of("givenName", "   "),
        Arguments.of("givenName", "A".repeat(101)),
        Arguments.of("givenName", "Ada\nLovelace"),
        Arguments.of("familyName", ""),
        Arguments.of("familyName", " "),
        Arguments.of("postcode", "12345"),
        Arguments.of("postcode", "LE1 6ZG LE1"),
        Arguments.of("dateOfBirth", "10/12/1815"),
        Arguments.of("dateOfBirth", "1980-02-30"),
        Arguments.of("dateOfBirth", future),
        Arguments.of("dateOfBirth", "1899-12-31"),
        Arguments.of("nhsNumber", "9434765918"),
        Arguments.of("nhsNumber", "1111111111"),
        Arguments.of("nhsNumber", "943476591"),
        Arguments.of("nhsNumber", "94347659190"),
        Arguments.of("nhsNumber", "943-476-5919"),
        Arguments.of("nhsNumber", "1000000010"),
        Arguments.of("nhsNumber", "٩٤٣٤٧٦٥٩١9"));
  }
}
