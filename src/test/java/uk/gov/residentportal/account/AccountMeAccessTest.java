package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.account.ProblemAssertions.FORBIDDEN;
import static uk.gov.residentportal.account.ProblemAssertions.UNAUTHORIZED;
import static uk.gov.residentportal.account.ProblemAssertions.assertProblem;
import static uk.gov.residentportal.account.SignUpRequest.aSignUp;

import com.nimbusds.jose.JOSEObjectType;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import uk.gov.residentportal.support.Portal;

/**
 * Who may call {@code /api/v1/me}: only the bearer of a genuine, current access token issued by us
 * for our API, and only for their own account. Every other caller gets a 401 problem and changes
 * nothing.
 */
@MicronautTest(transactional = false)
class AccountMeAccessTest {
  @Inject EmbeddedServer server;

  Portal portal;
  AccountSteps steps;

  @BeforeEach
  void connect() {
    portal = new Portal(server.getURI());
    steps = new AccountSteps(portal);
  }

  /** Every operation on the resident's own account. */
  enum Endpoint {
    READ_PROFILE("GET", "/api/v1/me", null),
    CHANGE_PROFILE("PATCH", "/api/v1/me", "{\"givenName\":\"Mallory\"}"),
    ERASE("DELETE", "/api/v1/me", "{\"password\":\"" + Portal.PASSWORD + "\"}"),
    EXPORT("GET", "/api/v1/me/export", null);

    final String method;
    final String path;
    final String body;

    Endpoint(String method, String path, String body) {
      this.method = method;
      this.path = path;
      this.body = body;
    }

    Portal.Response call(Portal portal, String bearer) {
      return body == null ? portal.get(path, bearer) : portal.json(method, path, body, bearer);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** A verified, signed-in resident. */
  record Resident(String id, String email, String password, Portal.Tokens tokens) {}

  private Resident aResident(String password) {
    SignUpRequest request = aSignUp().withPassword(password);
    String id = steps.signUpAndVerify(request);
    return new Resident(id, request.email(), password, steps.signIn(request.email(), password));
  }

  private Resident aResident() {
    return aResident(Portal.PASSWORD);
  }

  /** The 401 every refused caller gets; the victim's data never appears in it. */
  private void assertRefused(Portal.Response response, Resident victim, String what) {
    assertProblem(response, 401, UNAUTHORIZED);
    assertThat(response.body()).doesNotContain(victim.email());
    // Reported, not asserted: RFC 6750 section 3 asks for a Bearer challenge here.
    System.out.println(
        "WWW-Authenticate for " + what + ": " + response.headers().allValues("www-authenticate"));
  }

  /** The victim's account is exactly as it was: still there, same name, same password. */
  private void assertUntouched(Resident victim) {
    Portal.Response me = portal.get("/api/v1/me", victim.tokens().accessToken());
    assertThat(me.status()).as("victim's account still readable").isEqualTo(200);
    assertThat(me.json()).containsEntry("id", victim.id()).containsEntry("givenName", "Ada");
  }

  @Nested
  class RefusedCallers {
    @ParameterizedTest(name = "{0} without a token")
    @EnumSource(Endpoint.class)
    void refusesACallWithoutAToken(Endpoint endpoint) {
      Resident victim = aResident();

      assertRefused(endpoint.call(portal, null), victim, endpoint + " without a token");
      assertUntouched(victim);
    }

    @ParameterizedTest(name = "{0} with a token that is not a JWT")
    @EnumSource(Endpoint.class)
    void refusesAGarbageToken(Endpoint endpoint) {
      Resident victim = aResident();

      assertRefused(endpoint.call(portal, "garbage.token.value"), victim, endpoint + " garbage");
      assertRefused(endpoint.call(portal, "x"), victim, endpoint + " one character");
      assertUntouched(victim);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("uk.gov.residentportal.account.AccountMeAccessTest#forgeries")
    void refusesAForgedOrMisusedToken(Endpoint endpoint, Forgery forgery) {
      Resident victim = aResident();
      String token = forgery.forge(victim, () -> aResident());

      assertRefused(endpoint.call(portal, token), victim, endpoint + " with " + forgery);
      assertUntouched(victim);
    }

    @Test
    void acceptsATokenMintedWithOurKeyAndTheRightClaimsSoTheForgeriesFailForTheirFlaw() {
      Resident victim = aResident();
      String minted =
          new TokenForge(victim.tokens().accessToken())
              .signedByUs(
                  c ->
                      c.jwtID(TokenForge.newJti())
                          .issueTime(TokenForge.secondsFromNow(-5))
                          .expirationTime(TokenForge.secondsFromNow(300)));

      Portal.Response me = portal.get("/api/v1/me", minted);

      assertThat(me.status()).as(me.body()).isEqualTo(200);
      assertThat(me.json()).containsEntry("id", victim.id());
    }
  }

  /** Ways to present a token that must not work. */
  enum Forgery {
    EXPIRED("an expired token signed with our key") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return forge(victim)
            .signedByUs(
                c ->
                    c.issueTime(TokenForge.secondsFromNow(-7200))
                        .expirationTime(TokenForge.secondsFromNow(-3600)));
      }
    },
    NOT_YET_VALID("a token signed with our key that is not valid before an hour from now") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return forge(victim)
            .signedByUs(
                c ->
                    c.notBeforeTime(TokenForge.secondsFromNow(3600))
                        .expirationTime(TokenForge.secondsFromNow(7200)));
      }
    },
    PAYLOAD_CHARACTER_FLIPPED("a genuine token with one payload character changed") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return forge(victim).withAPayloadCharacterFlipped();
      }
    },
    SUBJECT_REWRITTEN("another resident's genuine token with its subject rewritten") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return new TokenForge(another.get().tokens().accessToken())
            .withSubjectRewrittenTo(victim.id());
      }
    },
    STRANGERS_KEY("a token signed by a key that is not ours under our kid") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return forge(victim).signedByAStrangerWithOurKid();
      }
    },
    WRONG_ISSUER("a token signed with our key naming another issuer") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return forge(victim).signedByUs(c -> c.issuer("https://attacker.example"));
      }
    },
    WRONG_AUDIENCE("a token signed with our key meant for a client, not our API") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return forge(victim).signedByUs(c -> c.audience(Portal.CLIENT));
      }
    },
    NO_JTI("a token signed with our key without a jti") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return forge(victim).signedByUs(c -> c.jwtID(null));
      }
    },
    PLAIN_JWT_TYPE("a token signed with our key typed JWT, not at+jwt") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return forge(victim).signedByUsWithType(JOSEObjectType.JWT);
      }
    },
    UNSIGNED("an unsigned token (alg none)") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return forge(victim).unsigned();
      }
    },
    HMAC("a token HMAC-signed with the attacker's secret under our kid") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return forge(victim).hmacSigned();
      }
    },
    ID_TOKEN("the resident's own ID token") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return victim.tokens().idToken();
      }
    },
    REFRESH_TOKEN("the resident's own refresh token") {
      @Override
      String forge(Resident victim, Supplier<Resident> another) {
        return victim.tokens().refreshToken();
      }
    };

    private final String description;

    Forgery(String description) {
      this.description = description;
    }

    abstract String forge(Resident victim, Supplier<Resident> another);

    static TokenForge forge(Resident victim) {
      return new TokenForge(victim.tokens().accessToken());
    }

    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Arguments> forgeries() {
    return Arrays.stream(Endpoint.values())
        .flatMap(e -> Arrays.stream(Forgery.values()).map(f -> Arguments.of(e, f)));
  }

  @Nested
  class AnotherResidentsToken {
    @Test
    void readsOnlyItsOwnersProfile() {
      Resident first = aResident();
      Resident other = aResident();

      Portal.Response me = portal.get("/api/v1/me", other.tokens().accessToken());

      assertThat(me.status()).isEqualTo(200);
      assertThat(me.json()).containsEntry("id", other.id()).containsEntry("email", other.email());
      assertThat(me.body()).doesNotContain(first.id()).doesNotContain(first.email());
    }

    @Test
    void exportsOnlyItsOwnersData() {
      Resident first = aResident();
      Resident other = aResident();

      Portal.Response export = portal.get("/api/v1/me/export", other.tokens().accessToken());

      assertThat(export.status()).isEqualTo(200);
      assertThat(export.body())
          .contains(other.email())
          .doesNotContain(first.id())
          .doesNotContain(first.email());
    }

    @Test
    void changesOnlyItsOwnersProfile() {
      Resident first = aResident();
      Resident other = aResident();

      Portal.Response patched =
          portal.json(
              "PATCH",
              "/api/v1/me",
              SignUpRequest.json(Map.of("givenName", "Mallory")),
              other.tokens().accessToken());

      assertThat(patched.status()).isEqualTo(200);
      assertThat(patched.json()).containsEntry("id", other.id());
      assertUntouched(first);
    }

    @Test
    void cannotEraseAnotherAccountEvenWithItsPassword() {
      Resident first = aResident(AccountSteps.ANOTHER_PASSWORD);
      Resident other = aResident();

      Portal.Response refused =
          portal.json(
              "DELETE",
              "/api/v1/me",
              SignUpRequest.json(Map.of("password", first.password())),
              other.tokens().accessToken());

      assertProblem(refused, 403, FORBIDDEN);
      assertUntouched(first);
      assertUntouched(other);
    }

    @Test
    void erasesOnlyItsOwnersAccount() {
      Resident first = aResident();
      Resident other = aResident();

      Portal.Response erased =
          portal.json(
              "DELETE",
              "/api/v1/me",
              SignUpRequest.json(Map.of("password", other.password())),
              other.tokens().accessToken());

      assertThat(erased.status()).isEqualTo(204);
      assertUntouched(first);
      assertThat(steps.submitSignIn(first.email(), first.password()).status()).isEqualTo(302);
      assertProblem(portal.get("/api/v1/me", other.tokens().accessToken()), 401, UNAUTHORIZED);
    }
  }
}
