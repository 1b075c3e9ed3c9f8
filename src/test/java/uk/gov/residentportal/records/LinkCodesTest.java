package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.records.LinkSteps.FORBIDDEN;
import static uk.gov.residentportal.records.LinkSteps.NOT_FOUND;
import static uk.gov.residentportal.records.LinkSteps.UNAUTHORIZED;
import static uk.gov.residentportal.records.LinkSteps.assertInvalidField;
import static uk.gov.residentportal.records.LinkSteps.assertProblem;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import uk.gov.residentportal.shared.SecretTokens;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;

/** POST /api/v1/systems/link-codes: back-office systems get one-time codes to print on letters. */
@MicronautTest(transactional = false)
class LinkCodesTest {
  private static final String CODE_SHAPE =
      "^[ABCDEFGHJKMNPQRSTVWXYZ2-9]{4}(-[ABCDEFGHJKMNPQRSTVWXYZ2-9]{4}){3}$";

  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;

  Portal portal;
  LinkSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new LinkSteps(portal, ingestion);
  }

  private String councilTaxToken() {
    return MachineTokens.tokenFor(portal, MachineTokens.COUNCIL_TAX_SYSTEM);
  }

  private static String body(String ref) {
    return "{\"subjectType\":\"COUNCIL_TAX_ACCOUNT\",\"subjectRef\":\"" + ref + "\"}";
  }

  @Nested
  class Issuing {
    @Test
    void issuesASingleUseCodeOfSixteenUnambiguousCharactersValidForThirtyDays() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      Instant before = Instant.now();

      Portal.Response issued = steps.issue(councilTaxToken(), body(subject.ref()));

      assertThat(issued.status()).as(issued.body()).isEqualTo(201);
      String code = (String) issued.json().get("code");
      assertThat(code).matches(CODE_SHAPE);
      Instant expiresAt = Instant.parse((String) issued.json().get("expiresAt"));
      assertThat(expiresAt)
          .isBetween(
              before.plus(Duration.ofDays(30)).minusSeconds(60),
              Instant.now().plus(Duration.ofDays(30)).plusSeconds(60));
    }

    @Test
    void keepsOnlyAKeyedHashOfTheCode() {
      LinkSteps.Subject subject = steps.councilTaxAccount();

      String code = steps.codeFor(subject);

      String plain = code.replace("-", "");
      String stored =
          LinkSteps.string(
              "SELECT code_hash FROM link_codes WHERE subject_id ="
                  + " (SELECT id FROM record_subjects WHERE subject_ref = ?)",
              subject.ref());
      assertThat(stored)
          .matches("^[0-9a-f]{64}$")
          .isNotEqualTo(SecretTokens.hash(plain))
          .isNotEqualTo(SecretTokens.hash(code))
          .doesNotContainIgnoringCase(plain);
    }

    @Test
    void issuesADifferentCodeEachTime() {
      LinkSteps.Subject subject = steps.councilTaxAccount();

      assertThat(steps.codeFor(subject)).isNotEqualTo(steps.codeFor(subject));
    }

    @Test
    void acceptsTheReferenceInAnyCaseAndSpacing() {
      LinkSteps.Subject subject = steps.councilTaxAccount();

      Portal.Response issued =
          steps.issue(councilTaxToken(), body(" " + subject.ref().toLowerCase() + " "));

      assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    }
  }

  @Nested
  class UnknownSubjects {
    @Test
    void answers404ForAnUnknownSubject() {
      Portal.Response response = steps.issue(councilTaxToken(), body(LinkSteps.newReference()));

      assertProblem(response, 404, NOT_FOUND);
    }

    @Test
    void answersASubjectOfAnotherSystemExactlyAsAnUnknownOne() {
      // Only the council tax system holds records about it.
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String parking = MachineTokens.tokenFor(portal, MachineTokens.PARKING_SYSTEM);

      Portal.Response other = steps.issue(parking, body(subject.ref()));
      Portal.Response unknown = steps.issue(parking, body(LinkSteps.newReference()));

      assertProblem(other, 404, NOT_FOUND);
      assertThat(LinkSteps.withoutRequestId(other)).isEqualTo(LinkSteps.withoutRequestId(unknown));
    }

    @Test
    void answersACouncilTaxAccountAsUnknownToASystemThatIsNotItsAuthorityEvenWithARecordAboutIt() {
      // Anyone may write a record about a council tax account; only COUNCIL_TAX vouches for one.
      LinkSteps.Subject subject = steps.councilTaxAccount();
      steps.record("PARKING", "COUNCIL_TAX_ACCOUNT", subject.ref(), null);
      String parking = MachineTokens.tokenFor(portal, MachineTokens.PARKING_SYSTEM);

      Portal.Response other = steps.issue(parking, body(subject.ref()));
      Portal.Response unknown = steps.issue(parking, body(LinkSteps.newReference()));

      assertProblem(other, 404, NOT_FOUND);
      assertThat(LinkSteps.withoutRequestId(other)).isEqualTo(LinkSteps.withoutRequestId(unknown));
      assertThat(
              LinkSteps.count(
                  "SELECT COUNT(*) FROM link_codes WHERE subject_id ="
                      + " (SELECT id FROM record_subjects WHERE subject_ref = ?)",
                  subject.ref()))
          .isZero();
    }

    @Test
    void letsTheAuthorityIssueForACouncilTaxAccountOnlyAnotherSystemWroteAbout() {
      String ref = LinkSteps.newReference();
      steps.record("PARKING", "COUNCIL_TAX_ACCOUNT", ref, null);

      Portal.Response issued = steps.issue(councilTaxToken(), body(ref));

      assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    }

    @Test
    void issuesForASubjectTypeWithoutAuthorityOnceTheSystemHoldsARecordAboutIt() {
      String uprn = newUprn();
      String parking = MachineTokens.tokenFor(portal, MachineTokens.PARKING_SYSTEM);
      steps.record("COUNCIL_TAX", "PROPERTY", uprn, null);
      Portal.Response before = steps.issue(parking, propertyBody(uprn));

      steps.record("PARKING", "PROPERTY", uprn, null);
      Portal.Response after = steps.issue(parking, propertyBody(uprn));

      assertProblem(before, 404, NOT_FOUND);
      assertThat(after.status()).as(after.body()).isEqualTo(201);
    }
  }

  private static String newUprn() {
    return String.valueOf(
        java.util.concurrent.ThreadLocalRandom.current().nextLong(1L, 999_999_999_999L));
  }

  private static String propertyBody(String uprn) {
    return "{\"subjectType\":\"PROPERTY\",\"subjectRef\":\"" + uprn + "\"}";
  }

  @Nested
  class Callers {
    @Test
    void refusesAClientWithoutLinksWrite() {
      LinkSteps.Subject subject = steps.councilTaxAccount();

      Portal.Response response =
          steps.issue(
              MachineTokens.tokenFor(portal, MachineTokens.RECORDS_ONLY_SYSTEM),
              body(subject.ref()));

      assertProblem(response, 403, FORBIDDEN);
      assertThat(response.header("www-authenticate")).contains("scope=\"links:write\"");
    }

    @Test
    void refusesAResidentToken() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      Portal.Tokens resident = portal.newResident(Portal.newEmail());

      Portal.Response response = steps.issue(resident.accessToken(), body(subject.ref()));

      assertProblem(response, 403, FORBIDDEN);
    }

    @Test
    void refusesAPartnerToken() {
      Portal.Response response =
          steps.issue(
              MachineTokens.tokenFor(portal, MachineTokens.PARTNER),
              body(LinkSteps.newReference()));

      assertProblem(response, 403, FORBIDDEN);
    }

    @Test
    void refusesARequestWithoutAToken() {
      Portal.Response response = steps.issue(null, body(LinkSteps.newReference()));

      assertProblem(response, 401, UNAUTHORIZED);
    }
  }

  @Nested
  class BadBodies {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "{\"subjectRef\":\"CT1234567890\"}|subjectType",
          "{\"subjectType\":\"COUNCIL_TAX\",\"subjectRef\":\"CT1234567890\"}|subjectType",
          "{\"subjectType\":\"COUNCIL_TAX_ACCOUNT\"}|subjectRef",
          "{\"subjectType\":\"COUNCIL_TAX_ACCOUNT\",\"subjectRef\":\"CT 12*34\"}|subjectRef",
          "{\"subjectType\":\"NHS_NUMBER\",\"subjectRef\":\"9434765918\"}|subjectRef",
          "{\"subjectType\":\"PROPERTY\",\"subjectRef\":\"UPRN-1\"}|subjectRef"
        })
    void namesTheBadField(String body, String field) {
      assertInvalidField(steps.issue(councilTaxToken(), body), field);
    }
  }
}
