package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.records.LinkSteps.CONFLICT;
import static uk.gov.residentportal.records.LinkSteps.FORBIDDEN;
import static uk.gov.residentportal.records.LinkSteps.NOT_FOUND;
import static uk.gov.residentportal.records.LinkSteps.UNAUTHORIZED;
import static uk.gov.residentportal.records.LinkSteps.UNPROCESSABLE;
import static uk.gov.residentportal.records.LinkSteps.assertInvalidField;
import static uk.gov.residentportal.records.LinkSteps.assertProblem;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;

/** /api/v1/me/links: residents link their account to council records, list and remove links. */
@MicronautTest(transactional = false)
class LinksTest {
  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;

  Portal portal;
  LinkSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new LinkSteps(portal, ingestion);
  }

  private String newResident() {
    return portal.newResident(Portal.newEmail()).accessToken();
  }

  @Nested
  class ByReferenceAndPostcode {
    @Test
    void linksTheAccountAndRaisesItsAssuranceToP1() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String resident = newResident();
      assertThat(steps.assurance(resident)).isEqualTo("P0");
      Instant before = Instant.now().minusSeconds(2);

      Portal.Response linked = steps.linkByReference(resident, subject);

      assertThat(linked.status()).as(linked.body()).isEqualTo(201);
      Map<String, Object> link = linked.json();
      assertThat(link)
          .containsEntry("subjectType", "COUNCIL_TAX_ACCOUNT")
          .containsEntry("method", "REFERENCE_AND_POSTCODE")
          .containsEntry("label", "Council tax account ending " + subject.ending())
          .containsKey("id");
      assertThat(Instant.parse((String) link.get("linkedAt"))).isAfter(before);
      assertThat(linked.body()).doesNotContain(subject.ref());
      assertThat(steps.assurance(resident)).isEqualTo("P1");
      assertThat(steps.links(resident)).containsExactly(link);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lower", "compact", "spaced"})
    void acceptsThePostcodeAndReferenceInOtherFormats(String format) {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String postcode =
          switch (format) {
            case "lower" -> subject.postcode().toLowerCase();
            case "compact" -> subject.postcode().replace(" ", "");
            default -> "  " + subject.postcode().replace(" ", "   ") + " ";
          };

      Portal.Response linked =
          steps.linkByReference(newResident(), subject.ref().toLowerCase(), postcode);

      assertThat(linked.status()).as(linked.body()).isEqualTo(201);
    }

    @Test
    void answersAWrongPostcodeAndAnUnknownReferenceAlikeWithoutLinking() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String resident = newResident();

      Portal.Response wrongPostcode = steps.linkByReference(resident, subject.ref(), "SW1A 1AA");
      Portal.Response unknownReference =
          steps.linkByReference(resident, LinkSteps.newReference(), subject.postcode());

      Map<String, Object> problem = assertProblem(wrongPostcode, 422, UNPROCESSABLE);
      assertThat(problem).doesNotContainKey("errors");
      assertThat(LinkSteps.withoutRequestId(unknownReference))
          .isEqualTo(LinkSteps.withoutRequestId(wrongPostcode));
      assertThat(steps.links(resident)).isEmpty();
      assertThat(steps.assurance(resident)).isEqualTo("P0");
    }

    @Test
    void refusesASubjectWithoutAPostcodeHeld() {
      LinkSteps.Subject subject = steps.councilTaxAccount(LinkSteps.newReference(), null);

      Portal.Response response = steps.linkByReference(newResident(), subject.ref(), "LE1 5WW");

      assertProblem(response, 422, UNPROCESSABLE);
    }

    @Test
    void answersTheExistingLinkWhenLinkedAgain() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String resident = newResident();
      Portal.Response first = steps.linkByReference(resident, subject);

      Portal.Response again = steps.linkByReference(resident, subject);

      assertThat(again.status()).as(again.body()).isEqualTo(200);
      assertThat(again.json()).isEqualTo(first.json());
      assertThat(steps.links(resident)).hasSize(1);
    }
  }

  @Nested
  class MalformedBodies {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "{}|code",
          "{\"code\":\"  \"}|code",
          "{\"code\":\"- -\"}|code",
          "{\"code\":\"ABCD-EFGH-JKMN-PQRS\",\"reference\":\"CT1\"}|code",
          "{\"reference\":\"CT1234567890\",\"postcode\":\"LE1 5WW\"}|type",
          "{\"type\":\"PARKING\",\"reference\":\"CT1234567890\",\"postcode\":\"LE1 5WW\"}|type",
          "{\"type\":\"COUNCIL_TAX\",\"postcode\":\"LE1 5WW\"}|reference",
          "{\"type\":\"COUNCIL_TAX\",\"reference\":\"CT*1\",\"postcode\":\"LE1 5WW\"}|reference",
          "{\"type\":\"COUNCIL_TAX\",\"reference\":\"CT1234567890\"}|postcode",
          "{\"type\":\"COUNCIL_TAX\",\"reference\":\"CT1234567890\",\"postcode\":\"LE1\"}|postcode",
          "{\"type\":\"COUNCIL_TAX\",\"reference\":\"CT1\",\"postcode\":\"L12345678901234567\"}"
              + "|postcode"
        })
    void namesTheBadField(String body, String field) {
      assertInvalidField(portal.json("POST", "/api/v1/me/links", body, newResident()), field);
    }
  }

  @Nested
  class ByOneTimeCode {
    @Test
    void linksWithACodeTypedInAnyCaseAndSpacing() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String code = steps.codeFor(subject);
      String resident = newResident();

      Portal.Response linked =
          steps.linkByCode(resident, " " + code.replace("-", " ").toLowerCase() + " ");

      assertThat(linked.status()).as(linked.body()).isEqualTo(201);
      assertThat(linked.json())
          .containsEntry("method", "ONE_TIME_CODE")
          .containsEntry("label", "Council tax account ending " + subject.ending());
      assertThat(steps.assurance(resident)).isEqualTo("P1");
    }

    @Test
    void refusesAUsedCodeAsAWrongOne() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String code = steps.codeFor(subject);
      assertThat(steps.linkByCode(newResident(), code).status()).isEqualTo(201);
      String other = newResident();

      Portal.Response used = steps.linkByCode(other, code);
      Portal.Response wrong = steps.linkByCode(other, "ABCD-EFGH-JKMN-PQRS");

      assertProblem(used, 422, UNPROCESSABLE);
      assertThat(LinkSteps.withoutRequestId(used)).isEqualTo(LinkSteps.withoutRequestId(wrong));
      assertThat(steps.links(other)).isEmpty();
    }

    @Test
    void refusesAnExpiredCode() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String code = steps.codeFor(subject);
      LinkSteps.expireCodesOf(subject.ref());

      Portal.Response response = steps.linkByCode(newResident(), code);

      assertProblem(response, 422, UNPROCESSABLE);
    }

    @Test
    void answersTheExistingLinkWhenACodeIsUsedForRecordsAlreadyLinked() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String resident = newResident();
      Portal.Response first = steps.linkByReference(resident, subject);
      String code = steps.codeFor(subject);

      Portal.Response again = steps.linkByCode(resident, code);

      assertThat(again.status()).as(again.body()).isEqualTo(200);
      assertThat(again.json()).isEqualTo(first.json());
      // The code is used up all the same.
      assertProblem(steps.linkByCode(newResident(), code), 422, UNPROCESSABLE);
    }

    @Test
    void answersAnyMalformedCodeAsAWrongOne() {
      Portal.Response response = steps.linkByCode(newResident(), "0O1IL-U");

      assertProblem(response, 422, UNPROCESSABLE);
    }

    @Test
    void letsOnlyOneOfRacingRedeemsOfACodeSucceed() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String code = steps.codeFor(subject);
      List<String> residents = List.of(newResident(), newResident(), newResident());
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService racers = Executors.newFixedThreadPool(residents.size());
      try {
        List<Future<Portal.Response>> answers =
            residents.stream()
                .map(
                    r ->
                        racers.submit(
                            () -> {
                              start.await();
                              return steps.linkByCode(r, code);
                            }))
                .toList();
        start.countDown();
        List<Integer> statuses = answers.stream().map(LinksTest::status).sorted().toList();

        assertThat(statuses).containsExactly(201, 422, 422);
      } finally {
        racers.shutdownNow();
      }
    }
  }

  private static int status(Future<Portal.Response> answer) {
    try {
      return answer.get().status();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Nested
  class BySecondAccount {
    @Test
    void refusesReferenceAndPostcodeWhenAnotherAccountIsLinkedAndEmailsItsOwner() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String firstEmail = Portal.newEmail();
      String first = portal.newResident(firstEmail).accessToken();
      assertThat(steps.linkByReference(first, subject).status()).isEqualTo(201);
      String secondEmail = Portal.newEmail();
      String second = portal.newResident(secondEmail).accessToken();

      Portal.Response response = steps.linkByReference(second, subject);

      Map<String, Object> problem = assertProblem(response, 409, CONFLICT);
      assertThat((String) problem.get("detail")).contains("one-time code");
      assertThat(steps.links(second)).isEmpty();
      assertThat(steps.assurance(second)).isEqualTo("P0");
      assertThat(steps.links(first)).hasSize(1);
      assertThat(steps.emails(firstEmail, LinkSteps.LINK_ATTEMPT_SUBJECT, 1))
          .singleElement()
          .satisfies(
              email ->
                  assertThat(email.body())
                      .contains("entered your council tax account's details")
                      .contains("not someone in your household, contact the council")
                      .doesNotContain(subject.ref())
                      .doesNotContain(subject.postcode()));
      assertThat(steps.emails(secondEmail, LinkSteps.LINK_ATTEMPT_SUBJECT, 0)).isEmpty();
      assertThat(steps.secondLinkEmails(firstEmail, 0)).isEmpty();
    }

    @Test
    void emailsEveryOwnerOfALinkedHouseholdOnAConflict() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String firstEmail = Portal.newEmail();
      String first = portal.newResident(firstEmail).accessToken();
      assertThat(steps.linkByReference(first, subject).status()).isEqualTo(201);
      String secondEmail = Portal.newEmail();
      String second = portal.newResident(secondEmail).accessToken();
      assertThat(steps.linkByCode(second, steps.codeFor(subject)).status()).isEqualTo(201);

      assertProblem(steps.linkByReference(newResident(), subject), 409, CONFLICT);

      assertThat(steps.emails(firstEmail, LinkSteps.LINK_ATTEMPT_SUBJECT, 1)).hasSize(1);
      assertThat(steps.emails(secondEmail, LinkSteps.LINK_ATTEMPT_SUBJECT, 1)).hasSize(1);
    }

    @Test
    void linksWithACodeAndEmailsTheFirstOwnerWhileBothStayLinked() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String firstEmail = Portal.newEmail();
      String first = portal.newResident(firstEmail).accessToken();
      assertThat(steps.linkByReference(first, subject).status()).isEqualTo(201);
      String secondEmail = Portal.newEmail();
      String second = portal.newResident(secondEmail).accessToken();

      Portal.Response linked = steps.linkByCode(second, steps.codeFor(subject));

      assertThat(linked.status()).as(linked.body()).isEqualTo(201);
      assertThat(steps.secondLinkEmails(firstEmail, 1)).hasSize(1);
      assertThat(steps.secondLinkEmails(secondEmail, 0)).isEmpty();
      assertThat(steps.links(first)).hasSize(1);
      assertThat(steps.links(second))
          .singleElement()
          .satisfies(l -> assertThat(l).containsEntry("method", "ONE_TIME_CODE"));
      assertThat(steps.assurance(second)).isEqualTo("P1");
    }
  }

  @Nested
  class ListingAndRemoving {
    @Test
    void listsNewestFirst() {
      LinkSteps.Subject older = steps.councilTaxAccount();
      LinkSteps.Subject newer = steps.councilTaxAccount();
      String resident = newResident();
      String olderId = (String) steps.linkByReference(resident, older).json().get("id");
      LinkSteps.ageLink(olderId);
      String newerId = (String) steps.linkByReference(resident, newer).json().get("id");

      assertThat(steps.links(resident))
          .extracting(l -> l.get("id"))
          .containsExactly(newerId, olderId);
    }

    @Test
    void listsNothingForAnAccountWithoutLinks() {
      assertThat(steps.links(newResident())).isEmpty();
    }

    @Test
    void removesALinkAndLowersAssuranceOnlyWithTheLast() {
      String resident = newResident();
      String a =
          (String) steps.linkByReference(resident, steps.councilTaxAccount()).json().get("id");
      String b =
          (String) steps.linkByReference(resident, steps.councilTaxAccount()).json().get("id");

      Portal.Response first = portal.json("DELETE", "/api/v1/me/links/" + a, null, resident);

      assertThat(first.status()).as(first.body()).isEqualTo(204);
      assertThat(steps.links(resident)).extracting(l -> l.get("id")).containsExactly(b);
      assertThat(steps.assurance(resident)).isEqualTo("P1");

      Portal.Response last = portal.json("DELETE", "/api/v1/me/links/" + b, null, resident);

      assertThat(last.status()).as(last.body()).isEqualTo(204);
      assertThat(steps.links(resident)).isEmpty();
      assertThat(steps.assurance(resident)).isEqualTo("P0");
    }

    @Test
    void answersAnotherResidentsLinkExactlyAsAnUnknownOne() {
      String owner = newResident();
      String id = (String) steps.linkByReference(owner, steps.councilTaxAccount()).json().get("id");
      String stranger = newResident();

      Portal.Response theirs = portal.json("DELETE", "/api/v1/me/links/" + id, null, stranger);
      Portal.Response unknown =
          portal.json("DELETE", "/api/v1/me/links/" + UUID.randomUUID(), null, stranger);

      assertProblem(theirs, 404, NOT_FOUND);
      assertThat(LinkSteps.withoutRequestId(theirs)).isEqualTo(LinkSteps.withoutRequestId(unknown));
      assertThat(steps.links(owner)).hasSize(1);
      assertThat(steps.assurance(owner)).isEqualTo("P1");
    }
  }

  @Nested
  class ExportAndErasure {
    @Test
    void exportsTheLinksWithTheirReferences() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String resident = newResident();
      String id = (String) steps.linkByReference(resident, subject).json().get("id");

      Portal.Response export = portal.get("/api/v1/me/export", resident);

      assertThat(export.status()).as(export.body()).isEqualTo(200);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> links =
          (List<Map<String, Object>>) export.json().get("recordLinks");
      assertThat(links)
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .containsEntry("id", id)
                      .containsEntry("subjectType", "COUNCIL_TAX_ACCOUNT")
                      .containsEntry("subjectRef", subject.ref())
                      .containsEntry("method", "REFERENCE_AND_POSTCODE")
                      .containsKey("linkedAt"));
    }

    @Test
    void erasureRemovesTheAccountsLinksAndAttemptsButNotOtherAccountsLinks() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String email = Portal.newEmail();
      String accountId = portal.signUpAndVerify(email);
      String resident = portal.signIn(email).accessToken();
      assertThat(steps.linkByReference(resident, subject).status()).isEqualTo(201);
      assertThat(steps.linkByReference(resident, LinkSteps.newReference(), "LE1 5WW").status())
          .isEqualTo(422);
      String other = newResident();
      assertThat(steps.linkByCode(other, steps.codeFor(subject)).status()).isEqualTo(201);

      Portal.Response erased =
          portal.json(
              "DELETE", "/api/v1/me", "{\"password\":\"" + Portal.PASSWORD + "\"}", resident);

      assertThat(erased.status()).as(erased.body()).isEqualTo(204);
      assertThat(
              LinkSteps.count("SELECT COUNT(*) FROM record_links WHERE account_id = ?", accountId))
          .isZero();
      assertThat(
              LinkSteps.count("SELECT COUNT(*) FROM link_attempts WHERE account_id = ?", accountId))
          .isZero();
      assertThat(steps.links(other)).hasSize(1);
    }

    @Test
    void erasureClearsTheAccountFromTheCodesItUsedButKeepsWhen() {
      LinkSteps.Subject subject = steps.councilTaxAccount();
      String email = Portal.newEmail();
      String accountId = portal.signUpAndVerify(email);
      String resident = portal.signIn(email).accessToken();
      assertThat(steps.linkByCode(resident, steps.codeFor(subject)).status()).isEqualTo(201);
      String usedBy = "SELECT COUNT(*) FROM link_codes WHERE used_by = ?";
      assertThat(LinkSteps.count(usedBy, accountId)).isEqualTo(1);

      Portal.Response erased =
          portal.json(
              "DELETE", "/api/v1/me", "{\"password\":\"" + Portal.PASSWORD + "\"}", resident);

      assertThat(erased.status()).as(erased.body()).isEqualTo(204);
      assertThat(LinkSteps.count(usedBy, accountId)).isZero();
      assertThat(
              LinkSteps.count(
                  "SELECT COUNT(*) FROM link_codes WHERE used_at IS NOT NULL AND used_by IS NULL"
                      + " AND subject_id = (SELECT id FROM record_subjects WHERE subject_ref = ?)",
                  subject.ref()))
          .isEqualTo(1);
    }
  }

  @Nested
  class Callers {
    @ParameterizedTest
    @ValueSource(strings = {MachineTokens.PARTNER, MachineTokens.COUNCIL_TAX_SYSTEM})
    void refusesMachineTokens(String client) {
      String token = MachineTokens.tokenFor(portal, client);

      Portal.Response list = portal.get("/api/v1/me/links", token);
      Portal.Response link = steps.linkByCode(token, "ABCD-EFGH-JKMN-PQRS");
      Portal.Response unlink =
          portal.json("DELETE", "/api/v1/me/links/" + UUID.randomUUID(), null, token);

      for (Portal.Response response : List.of(list, link, unlink)) {
        assertProblem(response, 403, FORBIDDEN);
        assertThat(response.header("www-authenticate")).contains("scope=\"account\"");
      }
    }

    @Test
    void refusesRequestsWithoutAToken() {
      assertProblem(portal.get("/api/v1/me/links", null), 401, UNAUTHORIZED);
      assertProblem(steps.linkByCode(null, "ABCD-EFGH-JKMN-PQRS"), 401, UNAUTHORIZED);
    }
  }
}
