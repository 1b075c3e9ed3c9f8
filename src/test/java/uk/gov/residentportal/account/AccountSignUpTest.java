package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.account.AccountSteps.ANOTHER_PASSWORD;
import static uk.gov.residentportal.account.ProblemAssertions.MALFORMED;
import static uk.gov.residentportal.account.ProblemAssertions.PAYLOAD_TOO_LARGE;
import static uk.gov.residentportal.account.ProblemAssertions.UNSUPPORTED_MEDIA_TYPE;
import static uk.gov.residentportal.account.ProblemAssertions.assertInvalidField;
import static uk.gov.residentportal.account.ProblemAssertions.assertProblem;
import static uk.gov.residentportal.account.SignUpRequest.aSignUp;
import static uk.gov.residentportal.account.SignUpRequest.aSignUpFor;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.gov.residentportal.support.Outbox;
import uk.gov.residentportal.support.Portal;

/** {@code POST /api/v1/accounts}: sign-up, over HTTP on MariaDB. */
@MicronautTest(transactional = false)
class AccountSignUpTest {
  private static final String UUID_PATTERN =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  @Inject EmbeddedServer server;

  Portal portal;
  AccountSteps steps;

  @BeforeEach
  void connect() {
    portal = new Portal(server.getURI());
    steps = new AccountSteps(portal);
  }

  @Nested
  class NewAddress {
    @Test
    void createsAnAccountPendingVerificationAndEmailsALink() {
      SignUpRequest request = aSignUp();

      Portal.Response response = steps.signUp(request);

      assertThat(response.status()).isEqualTo(201);
      assertThat(response.contentType()).startsWith("application/json");
      assertThat(response.json())
          .containsOnlyKeys("id", "email", "status")
          .containsEntry("email", request.email())
          .containsEntry("status", "PENDING_VERIFICATION");
      assertThat((String) response.json().get("id")).matches(UUID_PATTERN);
      assertThat(portal.outbox().to(request.email()))
          .singleElement()
          .satisfies(
              email -> {
                assertThat(email.subject()).isEqualTo("Confirm your email address");
                assertThat(email.body()).contains("Dear Ada,");
                assertThat(email.token()).hasSize(43);
              });
    }

    @Test
    void storesTheEmailInLowerCase() {
      String email = Portal.newEmail();
      SignUpRequest request = aSignUpFor(email.toUpperCase(Locale.ROOT));

      Portal.Response response = steps.signUp(request);

      assertThat(response.status()).isEqualTo(201);
      assertThat(response.json()).containsEntry("email", email);
      assertThat(TestSql.accountsWithEmail(email)).isEqualTo(1);
      assertThat(portal.outbox().latest(email).to()).isEqualTo(email);
    }

    @Test
    void letsTheResidentSignInWithTheEmailInAnyCase() {
      String email = Portal.newEmail();
      steps.signUpAndVerify(aSignUpFor(email.toUpperCase(Locale.ROOT)));

      assertThat(steps.submitSignIn(email, Portal.PASSWORD).status()).isEqualTo(302);
      assertThat(steps.submitSignIn(email.toUpperCase(Locale.ROOT), Portal.PASSWORD).status())
          .isEqualTo(302);
    }

    @Test
    void keepsTheOptionalFieldsInCanonicalForm() {
      SignUpRequest request =
          aSignUp().with("postcode", " sw1a1aa ").with("dateOfBirth", "1980-12-31");
      String id = steps.signUpAndVerify(request);

      Portal.Response me =
          portal.get("/api/v1/me", steps.signIn(request.email(), Portal.PASSWORD).accessToken());

      assertThat(me.json())
          .containsEntry("id", id)
          .containsEntry("givenName", "Ada")
          .containsEntry("familyName", "Lovelace")
          .containsEntry("postcode", "SW1A 1AA")
          .containsEntry("dateOfBirth", "1980-12-31");
    }

    @Test
    void acceptsAnEmailOfTheLongestAllowedLength254() {
      String email = longEmail(254);

      Portal.Response response = steps.signUp(aSignUpFor(email));

      assertThat(response.status()).isEqualTo(201);
      assertThat(response.json()).containsEntry("email", email);
      assertThat(TestSql.accountsWithEmail(email)).isEqualTo(1);
    }

    @Test
    void refusesAnAddressThatIsOnlyShortEnoughBeforeLowerCasing() {
      // U+0130 (capital I with dot) lower-cases to two chars, i + U+0307: 254 characters as sent,
      // 318 once normalised, more than the 254 the accounts table holds.
      String email = emailOfLength("\u0130".repeat(64), 254);
      assertThat(email).hasSize(254);
      assertThat(email.toLowerCase(Locale.ROOT)).hasSize(318);

      Portal.Response response = steps.signUp(aSignUpFor(email));

      assertInvalidField(response, "email");
    }

    @Test
    void answersAnInternationalisedAddressWithoutAServerError() {
      String email = "jos\u00e9-" + Portal.newEmail();

      Portal.Response response = steps.signUp(aSignUpFor(email));

      assertThat(response.status()).as(response.body()).isIn(201, 400);
      if (response.status() == 400) {
        assertInvalidField(response, "email");
      }
    }

    @Test
    void acceptsASignUpWithoutTheOptionalFields() {
      SignUpRequest request = aSignUp().without("postcode").without("dateOfBirth");

      Portal.Response response = steps.signUp(request);

      assertThat(response.status()).isEqualTo(201);
      assertThat(response.json()).containsEntry("status", "PENDING_VERIFICATION");
    }

    @Test
    void acceptsAStrongTwelveCharacterPasswordOfUnicodeLetters() {
      String greek = "Ωραίοςκαιρός"; // twelve Greek letters, no ASCII at all
      assertThat(greek.codePointCount(0, greek.length())).isEqualTo(12);
      SignUpRequest request = aSignUp().withPassword(greek);

      steps.signUpAndVerify(request);

      assertThat(steps.submitSignIn(request.email(), greek).status()).isEqualTo(302);
    }

    @Test
    void acceptsAnyCharacterInAPasswordSpacesSymbolsAndEmojiIncluded() {
      String password = "🦊 «Ωραίος» καιρός — ☂ \\ \" ' <>&";
      SignUpRequest request = aSignUp().withPassword(password);

      steps.signUpAndVerify(request);

      assertThat(steps.submitSignIn(request.email(), password).status()).isEqualTo(302);
    }

    @Test
    void countsPasswordLengthInCharactersNotUtf16Units() {
      String twelveEmoji = "🦊🐙🦉🐢🦔🐝🦋🐌🦀🐧🦒🦓";
      String elevenEmoji = twelveEmoji.substring(0, twelveEmoji.length() - 2);

      assertThat(steps.signUp(aSignUp().withPassword(twelveEmoji)).status()).isEqualTo(201);
      assertThat(assertInvalidField(steps.signUp(aSignUp().withPassword(elevenEmoji)), "password"))
          .isEqualTo("must be at least 12 characters long");
    }

    @Test
    void comparesPasswordsAfterNfkcNormalisation() {
      String composed = "crème brûlée à la française";
      String decomposed = Normalizer.normalize(composed, Normalizer.Form.NFD);
      assertThat(decomposed).isNotEqualTo(composed);
      SignUpRequest request = aSignUp().withPassword(decomposed);
      steps.signUpAndVerify(request);

      assertThat(steps.submitSignIn(request.email(), composed).status()).isEqualTo(302);
      assertThat(steps.submitSignIn(request.email(), decomposed).status()).isEqualTo(302);
    }
  }

  @Nested
  class RegisteredAddress {
    @Test
    void answersAsForANewAddressWithAnotherIdAndTellsTheVerifiedOwner() {
      SignUpRequest first = aSignUp();
      String ownerId = steps.signUpAndVerify(first);
      int emailsBefore = steps.emailsTo(first.email());

      Portal.Response again =
          steps.signUp(aSignUpFor(first.email()).withPassword(ANOTHER_PASSWORD));

      assertThat(again.status()).isEqualTo(201);
      assertThat(again.contentType()).startsWith("application/json");
      assertThat(again.json())
          .containsOnlyKeys("id", "email", "status")
          .containsEntry("email", first.email())
          .containsEntry("status", "PENDING_VERIFICATION");
      assertThat((String) again.json().get("id")).matches(UUID_PATTERN).isNotEqualTo(ownerId);
      assertThat(steps.emailsTo(first.email())).isEqualTo(emailsBefore + 1);
      Outbox.Email notice = portal.outbox().latest(first.email());
      assertThat(notice.subject()).isEqualTo("You already have a council account");
      assertThat(notice.body()).contains("/account/reset-password").doesNotContain("token=");
    }

    @Test
    void createsNoSecondAccountAndKeepsTheOwnersPassword() {
      SignUpRequest first = aSignUp();
      steps.signUpAndVerify(first);

      steps.signUp(aSignUpFor(first.email()).withPassword(ANOTHER_PASSWORD));

      assertThat(TestSql.accountsWithEmail(first.email())).isEqualTo(1);
      assertThat(steps.submitSignIn(first.email(), Portal.PASSWORD).status()).isEqualTo(302);
      assertThat(steps.submitSignIn(first.email(), ANOTHER_PASSWORD).status()).isEqualTo(401);
    }

    @Test
    void treatsAnAddressInOtherCaseAsTheSameAddress() {
      SignUpRequest first = aSignUp();
      steps.signUpAndVerify(first);

      Portal.Response again = steps.signUp(aSignUpFor(first.email().toUpperCase(Locale.ROOT)));

      assertThat(again.status()).isEqualTo(201);
      assertThat(again.json()).containsEntry("email", first.email());
      assertThat(TestSql.accountsWithEmail(first.email())).isEqualTo(1);
      assertThat(portal.outbox().latest(first.email()).subject())
          .isEqualTo("You already have a council account");
    }

    @Test
    void answersSimultaneousSignUpsForOneAddressAllAlikeAndKeepsOneAccount() throws Exception {
      String email = Portal.newEmail();
      int residents = 4;
      ExecutorService browsers = Executors.newFixedThreadPool(residents);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Portal.Response>> answers = new ArrayList<>();
        for (int i = 0; i < residents; i++) {
          answers.add(
              browsers.submit(
                  () -> {
                    go.await();
                    return steps.signUp(aSignUpFor(email));
                  }));
        }
        go.countDown();

        for (Future<Portal.Response> answer : answers) {
          Portal.Response response = answer.get(60, TimeUnit.SECONDS);
          assertThat(response.status()).as(response.body()).isEqualTo(201);
          assertThat(response.json()).containsEntry("email", email);
        }
      } finally {
        browsers.shutdownNow();
      }
      assertThat(TestSql.accountsWithEmail(email)).isEqualTo(1);
    }

    @Test
    void givesAnUnverifiedAccountToTheNewestSignUp_andSendsAFreshLink() {
      SignUpRequest first = aSignUp();
      Portal.Response original = steps.signUp(first);
      String firstToken = portal.outbox().latest(first.email()).token();

      Portal.Response again =
          steps.signUp(aSignUpFor(first.email()).withPassword(ANOTHER_PASSWORD));

      assertThat(again.status()).isEqualTo(201);
      assertThat(again.json())
          .containsOnlyKeys("id", "email", "status")
          .containsEntry("status", "PENDING_VERIFICATION");
      assertThat(again.json().get("id")).isNotEqualTo(original.json().get("id"));
      assertThat(portal.outbox().to(first.email()))
          .hasSize(2)
          .allSatisfy(e -> assertThat(e.subject()).isEqualTo("Confirm your email address"));
      String freshToken = portal.outbox().latest(first.email()).token();
      assertThat(freshToken).isNotEqualTo(firstToken);
      assertThat(TestSql.accountsWithEmail(first.email())).isEqualTo(1);

      // Pre-hijacking defence: the first, unverified sign-up's link and password are void.
      assertThat(steps.verifyEmail(firstToken).status()).isEqualTo(400);
      assertThat(steps.verifyEmail(freshToken).status()).isEqualTo(204);
      assertThat(steps.submitSignIn(first.email(), Portal.PASSWORD).status()).isEqualTo(401);
      Portal.Tokens tokens = steps.signIn(first.email(), ANOTHER_PASSWORD);
      assertThat(portal.get("/api/v1/me", tokens.accessToken()).json())
          .containsEntry("id", original.json().get("id"));
    }
  }

  @Nested
  class InvalidFields {
    @ParameterizedTest(name = "refuses {0}, naming {1}")
    @MethodSource("uk.gov.residentportal.account.AccountSignUpTest#invalidSignUps")
    void refusesTheSignUpNamingTheField(
        String description, String field, UnaryOperator<SignUpRequest> change) {
      SignUpRequest request = change.apply(aSignUp());

      String message = assertInvalidField(steps.signUp(request), field);

      assertThat(message).isNotBlank();
      if (request.email() != null && !request.email().isEmpty()) {
        assertThat(portal.outbox().to(request.email())).as("emails sent").isEmpty();
      }
    }

    @Test
    void tellsTheResidentWhyAPasswordIsRefused() {
      String email = Portal.newEmail();
      assertThat(
              assertInvalidField(
                  steps.signUp(aSignUpFor(email).withPassword("kx8#Vq2!mZp")), "password"))
          .isEqualTo("must be at least 12 characters long");
      assertThat(
              assertInvalidField(
                  steps.signUp(aSignUpFor(email).withPassword("Zq7!xv" + "p".repeat(120) + "w9K")),
                  "password"))
          .isEqualTo("must be at most 128 characters long");
      assertThat(
              assertInvalidField(
                  steps.signUp(aSignUpFor(email).withPassword("password1234")), "password"))
          .startsWith("is too easy to guess");
      assertThat(
              assertInvalidField(
                  steps.signUp(aSignUpFor(email).withPassword("my " + localPart(email) + " ok 93")),
                  "password"))
          .isEqualTo("must not contain your email address or the part before the @");
    }

    @Test
    void namesEveryInvalidFieldOfTheBodyAtOnce() {
      Portal.Response response =
          steps.signUp(aSignUp().with("email", "nope").without("givenName").without("familyName"));

      assertThat(
              ProblemAssertions.errors(assertProblem(response, 400, ProblemAssertions.VALIDATION)))
          .extracting(e -> e.get("field"))
          .contains("email", "givenName", "familyName");
    }

    @Test
    void leavesNothingHalfWrittenSoTheAddressCanThenSignUpProperly() {
      String email = Portal.newEmail();
      assertInvalidField(steps.signUp(aSignUpFor(email).withPassword("password1234")), "password");
      assertInvalidField(steps.signUp(aSignUpFor(email).with("postcode", "12345")), "postcode");
      assertInvalidField(
          steps.signUp(aSignUpFor(email).with("dateOfBirth", "2999-01-01")), "dateOfBirth");
      assertThat(TestSql.accountsWithEmail(email)).isZero();
      assertThat(steps.emailsTo(email)).isZero();

      Portal.Response proper = steps.signUp(aSignUpFor(email));

      assertThat(proper.status()).isEqualTo(201);
      assertThat(portal.outbox().to(email))
          .singleElement()
          .satisfies(e -> assertThat(e.subject()).isEqualTo("Confirm your email address"));
      assertThat(steps.verifyEmail(portal.outbox().latest(email).token()).status()).isEqualTo(204);
      assertThat(steps.submitSignIn(email, Portal.PASSWORD).status()).isEqualTo(302);
    }
  }

  @Nested
  class UnreadableRequests {
    @Test
    void refusesMalformedJson() {
      Portal.Response response =
          portal.json("POST", "/api/v1/accounts", "{\"email\": \"ada@example.org\",", null);

      Map<String, Object> problem = assertProblem(response, 400, MALFORMED);
      assertThat(problem.get("detail")).asString().doesNotContain("Exception", "jackson");
    }

    @Test
    void refusesABodyThatIsNotAnObjectAsMalformed() {
      Portal.Response response = portal.json("POST", "/api/v1/accounts", "[1, 2, 3]", null);

      assertProblem(response, 400, MALFORMED);
    }

    @Test
    void neverEchoesParserInternalsForABodyOfTheWrongShape() {
      Portal.Response response = portal.json("POST", "/api/v1/accounts", "[1, 2, 3]", null);

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.body())
          .doesNotContain("START_ARRAY")
          .doesNotContain("StreamReadFeature")
          .doesNotContain("Failed to convert argument");
    }

    @Test
    void refusesPlainText() {
      Portal.Response response = portal.post("/api/v1/accounts", "text/plain", aSignUp().json());

      assertProblem(response, 415, UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void refusesABodyOverTheServerLimit() {
      // Over PORTAL_MAX_REQUEST_SIZE's default of 12MB (room for back-office documents and
      // batches).
      String thirteenMegabytes = aSignUp().with("givenName", "A".repeat(13 * 1024 * 1024)).json();

      Portal.Response response = portal.json("POST", "/api/v1/accounts", thirteenMegabytes, null);

      assertProblem(response, 413, PAYLOAD_TOO_LARGE);
    }
  }

  static Stream<Arguments> invalidSignUps() {
    String future = LocalDate.now(ZoneOffset.UTC).plusDays(2).toString();
    return Stream.of(
        invalid("no email", "email", r -> r.without("email")),
        invalid("an empty email", "email", r -> r.with("email", "")),
        invalid("an email without @", "email", r -> r.with("email", "ada.example.org")),
        invalid("an email with two @", "email", r -> r.with("email", "ada@@example.org")),
        invalid("an email of 255 characters", "email", r -> r.with("email", longEmail(255))),
        invalid("no password", "password", r -> r.without("password")),
        invalid("an empty password", "password", r -> r.withPassword("")),
        invalid("a password of 11 characters", "password", r -> r.withPassword("kx8#Vq2!mZp")),
        invalid(
            "a password of 129 characters",
            "password",
            r -> r.withPassword("Zq7!xv" + "p".repeat(120) + "w9K")),
        invalid(
            "a password of 1025 characters",
            "password",
            r -> r.withPassword("Zq7!xv" + "p".repeat(1016) + "w9K")),
        invalid("a common password", "password", r -> r.withPassword("password1234")),
        invalid("a keyboard pattern", "password", r -> r.withPassword("qwertyuiop123")),
        invalid(
            "a password containing the email's local part",
            "password",
            r -> r.withPassword("violet " + localPart(r.email()).toUpperCase(Locale.ROOT) + " 93")),
        invalid("no givenName", "givenName", r -> r.without("givenName")),
        invalid("a blank givenName", "givenName", r -> r.with("givenName", "   ")),
        invalid(
            "a givenName of 101 characters",
            "givenName",
            r -> r.with("givenName", "A".repeat(101))),
        invalid(
            "a givenName with a control character",
            "givenName",
            r -> r.with("givenName", "Ada\u0007")),
        invalid("no familyName", "familyName", r -> r.without("familyName")),
        invalid("a blank familyName", "familyName", r -> r.with("familyName", "\t")),
        invalid("a postcode that is not one", "postcode", r -> r.with("postcode", "12345")),
        invalid("a postcode of 11 characters", "postcode", r -> r.with("postcode", "LE1 6ZG LE1")),
        invalid(
            "a date of birth like 31/12/1980",
            "dateOfBirth",
            r -> r.with("dateOfBirth", "31/12/1980")),
        invalid(
            "a date of birth in month 13", "dateOfBirth", r -> r.with("dateOfBirth", "1980-13-01")),
        invalid("a date of birth in the future", "dateOfBirth", r -> r.with("dateOfBirth", future)),
        invalid("a date of birth in 2999", "dateOfBirth", r -> r.with("dateOfBirth", "2999-01-01")),
        invalid(
            "a date of birth before 1900",
            "dateOfBirth",
            r -> r.with("dateOfBirth", "1899-12-31")));
  }

  private static Arguments invalid(
      String description, String field, UnaryOperator<SignUpRequest> change) {
    return Arguments.of(description, field, change);
  }

  /** A syntactically valid address of exactly {@code length} characters (local part 64). */
  static String longEmail(int length) {
    return emailOfLength("a".repeat(64), length);
  }

  /** The local part at a domain of dotted labels, {@code length} characters in all. */
  static String emailOfLength(String local, int length) {
    int domainLength = length - local.length() - 1;
    StringBuilder domain = new StringBuilder();
    while (domainLength - domain.length() > 50) {
      domain.append("x".repeat(50)).append('.');
    }
    domain.append("o".repeat(domainLength - domain.length()));
    return local + "@" + domain;
  }

  private static String localPart(String email) {
    return email.substring(0, email.indexOf('@'));
  }
}
