package uk.gov.residentportal.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.support.Sql.update;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import uk.gov.residentportal.records.DocumentStore;
import uk.gov.residentportal.records.RecordIngestion;
import uk.gov.residentportal.records.RecordUpsert;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/**
 * Test data for the partner API. Records come through ingestion as back-office systems send them;
 * organisations, consents, links, NHS numbers and assurance are written with SQL, because their own
 * APIs are built elsewhere. Every resident has an NHS number of its own.
 */
public final class PartnerSteps {
  static final String RX1 = "RX1";
  static final String RX2 = "RX2";
  static final String PARTNER_RX1 = MachineTokens.PARTNER;
  static final String PARTNER_RX2 = "partner-rx2";
  static final String RESIDENTS = "/api/v1/partner/residents";

  static final String VALIDATION = "urn:resident-portal:problem:validation";
  static final String NOT_FOUND = "urn:resident-portal:problem:not-found";
  static final String FORBIDDEN = "urn:resident-portal:problem:forbidden";
  static final String TOO_MANY = "urn:resident-portal:problem:too-many-requests";

  private static final SecureRandom RANDOM = new SecureRandom();
  static final Instant BASE =
      Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);

  private final Portal portal;
  private final RecordIngestion ingestion;
  private final DocumentStore store;
  private final Map<String, String> tokens = new HashMap<>();

  PartnerSteps(Portal portal, RecordIngestion ingestion, DocumentStore store) {
    this.portal = portal;
    this.ingestion = ingestion;
    this.store = store;
  }

  /** RX1 and RX2, registered and active (other tests may have made them already). */
  static void activeOrganisations() {
    for (String ods : List.of(RX1, RX2)) {
      update(
          "INSERT IGNORE INTO partner_organisations (ods_code, name, org_type, active, created_at,"
              + " updated_at) VALUES (?, ?, 'NHS_TRUST', TRUE, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
          ods,
          "Trust " + ods);
      update("UPDATE partner_organisations SET active = TRUE WHERE ods_code = ?", ods);
    }
  }

  /** A resident with an account, an NHS number and a date of birth. */
  record Resident(String accountId, String email, String nhsNumber, LocalDate birthDate) {}

  Resident resident(String assurance) {
    String email = Portal.newEmail();
    String accountId = portal.signUpAndVerify(email);
    String nhs = newNhsNumber();
    LocalDate birthDate = LocalDate.of(1950 + RANDOM.nextInt(50), 1 + RANDOM.nextInt(12), 5);
    assertThat(
            update(
                "UPDATE accounts SET nhs_number = ?, date_of_birth = ?, assurance = ? WHERE id = ?",
                nhs,
                birthDate,
                assurance,
                accountId))
        .isEqualTo(1);
    return new Resident(accountId, email, nhs, birthDate);
  }

  /** A valid NHS number nobody else in the run has (modulus 11, not one repeated digit). */
  public static String newNhsNumber() {
    while (true) {
      StringBuilder digits = new StringBuilder("9");
      for (int i = 1; i < 9; i++) {
        digits.append(RANDOM.nextInt(10));
      }
      int sum = 0;
      for (int i = 0; i < 9; i++) {
        sum += (digits.charAt(i) - '0') * (10 - i);
      }
      int check = 11 - (sum % 11);
      if (check == 11) {
        check = 0;
      }
      if (check != 10) {
        return digits.append(check).toString();
      }
    }
  }

  /** A consent in force for DIRECT_CARE; returns its id. */
  static String consent(String accountId, String organisation, String... categories) {
    String id = UUID.randomUUID().toString();
    update(
        "INSERT INTO consents (id, account_id, organisation, categories, purpose, granted_at,"
            + " granted_by) VALUES (?, ?, ?, ?, 'DIRECT_CARE', UTC_TIMESTAMP(6), ?)",
        id,
        accountId,
        organisation,
        String.join(" ", categories),
        accountId);
    return id;
  }

  static void withdraw(String consentId) {
    assertThat(
            update(
                "UPDATE consents SET withdrawn_at = UTC_TIMESTAMP(6), withdrawn_by = 'test'"
                    + " WHERE id = ?",
                consentId))
        .isEqualTo(1);
  }

  static String newSubject() {
    return "T"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
  }

  /** A resident-visible record about {@code subject}, stored through ingestion; returns its id. */
  String record(String subject, String category, boolean partnerShareable, long minutes) {
    RecordUpsert body =
        new RecordUpsert(
            "COUNCIL_TAX_ACCOUNT",
            subject,
            null,
            category,
            "Case " + UUID.randomUUID().toString().substring(0, 8),
            "Open",
            "A summary",
            true,
            partnerShareable,
            "P1",
            BASE.plus(minutes, ChronoUnit.MINUTES).toString());
    return ingestion
        .upsert("COUNCIL_TAX", "COUNCIL_TAX", "REF-" + UUID.randomUUID(), body)
        .recordId();
  }

  static void link(String accountId, String subject) {
    assertThat(
            update(
                "INSERT INTO record_links (id, account_id, subject_id, method, linked_at)"
                    + " SELECT ?, ?, id, 'ONE_TIME_CODE', UTC_TIMESTAMP(6) FROM record_subjects"
                    + " WHERE subject_type = 'COUNCIL_TAX_ACCOUNT' AND subject_ref = ?",
                UUID.randomUUID().toString(),
                accountId,
                subject))
        .isEqualTo(1);
  }

  /** A plain-text document under the record; returns its id. */
  String document(String recordId, String name, String text) {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    String key = store.put(content);
    String id = UUID.randomUUID().toString();
    update(
        "INSERT INTO record_documents (id, record_id, name, content_type, size_bytes, sha256,"
            + " storage_key, created_at, updated_at)"
            + " VALUES (?, ?, ?, 'text/plain', ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
        id,
        recordId,
        name,
        content.length,
        sha256(content),
        key);
    return id;
  }

  String token(String clientId) {
    return tokens.computeIfAbsent(clientId, c -> MachineTokens.tokenFor(portal, c));
  }

  /** A partner call as {@code clientId} with a fresh X-Request-ID. */
  Portal.Response call(String clientId, String path, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "X-Request-ID";
    all[1] = UUID.randomUUID().toString();
    System.arraycopy(headers, 0, all, 2, headers.length);
    return portal.get(path, token(clientId), all);
  }

  Portal.Response lookup(String clientId, Resident resident) {
    return call(clientId, lookupPath(resident.nhsNumber(), resident.birthDate().toString()));
  }

  static String lookupPath(String nhsNumber, String birthDate) {
    return RESIDENTS + "?nhsNumber=" + nhsNumber + "&birthDate=" + birthDate;
  }

  /** The resident's opaque id for {@code clientId}'s organisation (the lookup must find them). */
  String partnerId(String clientId, Resident resident) {
    Portal.Response found = lookup(clientId, resident);
    assertThat(found.status()).as("lookup %s", found.body()).isEqualTo(200);
    return (String) found.json().get("id");
  }

  /** How many audit events of that action, outcome and client are about {@code subject}. */
  static long audits(String action, String outcome, String clientId, String subject) {
    return Sql.count(
        "SELECT COUNT(*) FROM audit_events WHERE action = ? AND outcome = ? AND actor_type ="
            + " 'CLIENT' AND actor_id = ? AND subject = ?",
        action,
        outcome,
        clientId,
        subject);
  }

  /** The audit event written for the request with that X-Request-ID: action outcome subject ids. */
  static String auditOf(String requestId) {
    return Sql.stringOrNull(
        "SELECT CONCAT(action, ' ', outcome, ' ', COALESCE(organisation_ods, '-'), ' ',"
            + " COALESCE(purpose, '-'), ' ', COALESCE(subject, '-'), ' ', COALESCE(record_ids,"
            + " '-')) FROM audit_events WHERE request_id = ?",
        requestId);
  }

  /** Asserts a problem answer of that status and type; returns the problem document. */
  static Map<String, Object> assertProblem(Portal.Response response, int status, String type) {
    assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    Map<String, Object> problem = response.json();
    assertThat(problem).containsEntry("type", type);
    return problem;
  }

  @SuppressWarnings("unchecked")
  static void assertInvalidField(Portal.Response response, String field) {
    Map<String, Object> problem = assertProblem(response, 400, VALIDATION);
    assertThat((List<Map<String, Object>>) problem.get("errors"))
        .extracting(e -> e.get("field"))
        .contains(field);
  }

  /** A 404 problem without its request id: what must not differ between two 404s. */
  static Map<String, Object> notFoundBody(Portal.Response response) {
    Map<String, Object> problem =
        new java.util.LinkedHashMap<>(assertProblem(response, 404, NOT_FOUND));
    assertThat(problem.remove("requestId")).isNotNull();
    return problem;
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
