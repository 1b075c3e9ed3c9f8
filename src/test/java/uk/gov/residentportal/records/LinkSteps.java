package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Outbox;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/**
 * Steps of the linking tests: subjects made through the ingestion service (as a back-office system
 * would), codes issued over HTTP, links made over HTTP, and direct looks at the test database for
 * what HTTP cannot do (let a code expire, age a link) or show (rows left after erasure).
 */
final class LinkSteps {
  static final String VALIDATION = "urn:resident-portal:problem:validation";
  static final String UNAUTHORIZED = "urn:resident-portal:problem:unauthorized";
  static final String FORBIDDEN = "urn:resident-portal:problem:forbidden";
  static final String NOT_FOUND = "urn:resident-portal:problem:not-found";
  static final String CONFLICT = "urn:resident-portal:problem:conflict";
  static final String UNPROCESSABLE = "urn:resident-portal:problem:unprocessable";
  static final String TOO_MANY_REQUESTS = "urn:resident-portal:problem:too-many-requests";
  static final String SECOND_LINK_SUBJECT = "Another account can now see your council records";
  static final String LINK_ATTEMPT_SUBJECT = "Someone tried to link your council tax account";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Portal portal;
  private final RecordIngestion ingestion;

  LinkSteps(Portal portal, RecordIngestion ingestion) {
    this.portal = portal;
    this.ingestion = ingestion;
  }

  /** A council tax account the council tax system holds a record about. */
  record Subject(String ref, String postcode) {
    /** The last four characters, as the label shows them. */
    String ending() {
      return ref.substring(ref.length() - 4);
    }
  }

  /** A fresh council tax account reference, e.g. CT4812093377. */
  static String newReference() {
    return "CT" + String.format("%010d", Math.floorMod(RANDOM.nextLong(), 10_000_000_000L));
  }

  /** A council tax account with one record of the council tax system, at a random postcode. */
  Subject councilTaxAccount() {
    String postcode = "LE" + (1 + RANDOM.nextInt(9)) + " " + (1 + RANDOM.nextInt(9)) + "WW";
    return councilTaxAccount(newReference(), postcode);
  }

  Subject councilTaxAccount(String ref, String postcode) {
    record("COUNCIL_TAX", "COUNCIL_TAX_ACCOUNT", ref, postcode);
    return new Subject(ref, postcode);
  }

  /** A record of {@code system} about the subject. */
  void record(String system, String subjectType, String ref, String postcode) {
    ingestion.upsert(
        system,
        system,
        "R-" + UUID.randomUUID(),
        new RecordUpsert(
            subjectType,
            ref,
            postcode,
            "COUNCIL_TAX",
            "Council tax bill 2026/27",
            "Issued",
            "Band C",
            true,
            null,
            null,
            Instant.now().minus(1, ChronoUnit.HOURS).toString()));
  }

  /** A one-time code for the subject, issued by the council tax system. */
  String codeFor(Subject subject) {
    Portal.Response issued =
        issue(
            MachineTokens.tokenFor(portal, MachineTokens.COUNCIL_TAX_SYSTEM),
            "{\"subjectType\":\"COUNCIL_TAX_ACCOUNT\",\"subjectRef\":\"" + subject.ref() + "\"}");
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    return (String) issued.json().get("code");
  }

  Portal.Response issue(String bearer, String body) {
    return portal.json("POST", "/api/v1/systems/link-codes", body, bearer);
  }

  Portal.Response linkByReference(String bearer, String ref, String postcode) {
    return portal.json(
        "POST",
        "/api/v1/me/links",
        "{\"type\":\"COUNCIL_TAX\",\"reference\":\""
            + ref
            + "\",\"postcode\":\""
            + postcode
            + "\"}",
        bearer);
  }

  Portal.Response linkByReference(String bearer, Subject subject) {
    return linkByReference(bearer, subject.ref(), subject.postcode());
  }

  Portal.Response linkByCode(String bearer, String code) {
    return portal.json("POST", "/api/v1/me/links", "{\"code\":\"" + code + "\"}", bearer);
  }

  /** The links GET /api/v1/me/links lists. */
  List<Map<String, Object>> links(String bearer) {
    Portal.Response response = portal.get("/api/v1/me/links", bearer);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> links = (List<Map<String, Object>>) response.json().get("links");
    return links;
  }

  /** The account's assurance as GET /api/v1/me shows it. */
  String assurance(String bearer) {
    Portal.Response me = portal.get("/api/v1/me", bearer);
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    return (String) me.json().get("assurance");
  }

  /** The emails about a second link sent to {@code email}, waiting a little for them. */
  List<Outbox.Email> secondLinkEmails(String email, int atLeast) {
    return emails(email, SECOND_LINK_SUBJECT, atLeast);
  }

  /**
   * The emails with {@code subject} sent to {@code email}, waiting up to 10 seconds for at least
   * {@code atLeast} of them (they are sent off the request thread).
   */
  List<Outbox.Email> emails(String email, String subject, int atLeast) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (true) {
      List<Outbox.Email> emails =
          portal.outbox().to(email).stream().filter(e -> e.subject().equals(subject)).toList();
      if (emails.size() >= atLeast || Instant.now().isAfter(deadline)) {
        return emails;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Asserts the answer is a problem of that status and type; returns the problem document. */
  static Map<String, Object> assertProblem(Portal.Response response, int status, String type) {
    assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    Map<String, Object> problem = response.json();
    assertThat(problem).containsEntry("type", type);
    return problem;
  }

  /** A 400 validation problem naming {@code field}. */
  static void assertInvalidField(Portal.Response response, String field) {
    Map<String, Object> problem = assertProblem(response, 400, VALIDATION);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> errors = (List<Map<String, Object>>) problem.get("errors");
    assertThat(errors).extracting(e -> e.get("field")).as(response.body()).contains(field);
  }

  /** A problem document without its request id, to compare two answers. */
  static Map<String, Object> withoutRequestId(Portal.Response response) {
    Map<String, Object> problem = new java.util.LinkedHashMap<>(response.json());
    problem.remove("requestId");
    return problem;
  }

  // ---- the test database ----

  /** Makes every code of the subject expired a second ago. */
  static void expireCodesOf(String subjectRef) {
    update(
        "UPDATE link_codes SET expires_at = DATE_SUB(NOW(), INTERVAL 1 SECOND) WHERE subject_id ="
            + " (SELECT id FROM record_subjects WHERE subject_ref = ?)",
        subjectRef);
  }

  /** Moves a link's time an hour back. */
  static void ageLink(String linkId) {
    update(
        "UPDATE record_links SET linked_at = DATE_SUB(linked_at, INTERVAL 1 HOUR) WHERE id = ?",
        linkId);
  }

  static long count(String sql, String parameter) {
    return Sql.count(sql, parameter);
  }

  static String string(String sql, String parameter) {
    return Sql.string(sql, parameter);
  }

  static void update(String sql, String parameter) {
    if (Sql.update(sql, parameter) < 1) {
      throw new AssertionError("nothing updated");
    }
  }

  static Connection connect() throws SQLException {
    return Sql.connect();
  }
}
