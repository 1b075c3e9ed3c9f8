package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.support.Sql.update;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import uk.gov.residentportal.support.Portal;

/**
 * Test data for the resident's read side, built the way the service gets it: records through {@link
 * RecordIngestion#upsert}, bytes through {@link DocumentStore#put}. Links, document metadata and
 * assurance are written with SQL here, because their own APIs (linking, upload) are built
 * elsewhere; each helper writes only the rows it names.
 */
final class ResidentRecordsSteps {
  static final String VALIDATION = "urn:resident-portal:problem:validation";
  static final String MALFORMED = "urn:resident-portal:problem:malformed-request";
  static final String NOT_FOUND = "urn:resident-portal:problem:not-found";
  static final String UNAUTHORIZED = "urn:resident-portal:problem:unauthorized";
  static final String FORBIDDEN = "urn:resident-portal:problem:forbidden";

  /** Far enough back that a test's newest record is never "in the future". */
  static final Instant BASE =
      Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);

  private final RecordIngestion ingestion;
  private final DocumentStore store;
  private final Portal portal;

  ResidentRecordsSteps(RecordIngestion ingestion, DocumentStore store, Portal portal) {
    this.ingestion = ingestion;
    this.store = store;
    this.portal = portal;
  }

  /** A verified, signed-in resident at an assurance level. */
  record Resident(String accountId, String email, String token) {}

  Resident resident(String assurance) {
    String email = Portal.newEmail();
    String accountId = portal.signUpAndVerify(email);
    String token = portal.signIn(email).accessToken();
    setAssurance(accountId, assurance);
    return new Resident(accountId, email, token);
  }

  /** A new council tax account reference: the subject records are about. */
  static String newSubject() {
    return "T"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
  }

  /** A record as a back-office system describes it; {@link #save} stores it. */
  static final class RecordSpec {
    String subject = newSubject();
    String category = "COUNCIL_TAX";
    String title = "Council tax bill " + UUID.randomUUID().toString().substring(0, 8);
    String status = "Issued";
    String summary = "Band C, 10 instalments";
    boolean visible = true;
    String minAssurance = "P1";
    Instant updatedAt = BASE;

    RecordSpec about(String subject) {
      this.subject = subject;
      return this;
    }

    RecordSpec in(String category) {
      this.category = category;
      return this;
    }

    RecordSpec at(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    RecordSpec hidden() {
      this.visible = false;
      return this;
    }

    RecordSpec withoutStatus() {
      this.status = null;
      return this;
    }

    RecordSpec needing(String minAssurance) {
      this.minAssurance = minAssurance;
      return this;
    }
  }

  static RecordSpec aRecord() {
    return new RecordSpec();
  }

  /** Stores the record through ingestion (as system COUNCIL_TAX); returns its id. */
  String save(RecordSpec spec) {
    RecordUpsert body =
        new RecordUpsert(
            "COUNCIL_TAX_ACCOUNT",
            spec.subject,
            null,
            spec.category,
            spec.title,
            spec.status,
            spec.summary,
            spec.visible,
            null,
            spec.minAssurance,
            spec.updatedAt.toString());
    return ingestion
        .upsert("COUNCIL_TAX", "COUNCIL_TAX", "REF-" + UUID.randomUUID(), body)
        .recordId();
  }

  /** Links the account to the council tax account {@code subject} (which must have records). */
  static void link(String accountId, String subject) {
    int inserted =
        update(
            "INSERT INTO record_links (id, account_id, subject_id, method, linked_at)"
                + " SELECT ?, ?, id, 'ONE_TIME_CODE', UTC_TIMESTAMP(6) FROM record_subjects"
                + " WHERE subject_type = 'COUNCIL_TAX_ACCOUNT' AND subject_ref = ?",
            UUID.randomUUID().toString(),
            accountId,
            subject);
    assertThat(inserted).as("link to a known subject").isEqualTo(1);
  }

  static void setAssurance(String accountId, String assurance) {
    assertThat(update("UPDATE accounts SET assurance = ? WHERE id = ?", assurance, accountId))
        .isEqualTo(1);
  }

  /** Stores bytes in the DocumentStore and their metadata under the record; returns its id. */
  String document(String recordId, String name, String contentType, byte[] content) {
    String key = store.put(content);
    String id = UUID.randomUUID().toString();
    update(
        "INSERT INTO record_documents (id, record_id, name, content_type, size_bytes, sha256,"
            + " storage_key, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
        id,
        recordId,
        name,
        contentType,
        content.length,
        sha256(content),
        key);
    return id;
  }

  String document(String recordId, String name, String text) {
    return document(recordId, name, "text/plain", text.getBytes(StandardCharsets.UTF_8));
  }

  /** An access token without scope account: parking-app signs residents in with openid only. */
  String signInTokenWithoutAccountScope(String email) {
    CodeVerifier verifier = new CodeVerifier();
    Map<String, String> params = new LinkedHashMap<>(portal.authorizeParams(verifier, "s", "n"));
    params.put("client_id", "parking-app");
    params.put("redirect_uri", "http://localhost/parking/callback");
    params.put("scope", "openid");
    Portal.Response redirect =
        portal.submitSignIn(portal.openSignIn(params, verifier), email, Portal.PASSWORD);
    assertThat(redirect.status()).as("sign-in redirect").isEqualTo(302);
    Portal.Response tokens =
        portal.form(
            "/oauth2/token",
            Map.of(
                "grant_type", "authorization_code",
                "code", Portal.redirectParams(redirect).get("code"),
                "redirect_uri", "http://localhost/parking/callback",
                "client_id", "parking-app",
                "code_verifier", verifier.getValue()));
    assertThat(tokens.status()).as("token exchange %s", tokens.body()).isEqualTo(200);
    assertThat((String) tokens.json().get("scope")).doesNotContain("account");
    return (String) tokens.json().get("access_token");
  }

  // ---- reading answers ----

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> records(Portal.Response page) {
    assertThat(page.status()).as("list answer %s", page.body()).isEqualTo(200);
    return (List<Map<String, Object>>) page.json().get("records");
  }

  static List<String> ids(Portal.Response page) {
    return records(page).stream().map(r -> (String) r.get("id")).toList();
  }

  /** Asserts a problem answer of that status and type; returns the problem document. */
  static Map<String, Object> assertProblem(Portal.Response response, int status, String type) {
    assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    Map<String, Object> problem = response.json();
    assertThat(problem).containsEntry("type", type);
    return problem;
  }

  /** A 400 validation problem naming {@code field}. */
  @SuppressWarnings("unchecked")
  static void assertInvalidField(Portal.Response response, String field) {
    Map<String, Object> problem = assertProblem(response, 400, VALIDATION);
    assertThat((List<Map<String, Object>>) problem.get("errors"))
        .extracting(e -> e.get("field"))
        .contains(field);
  }

  /** A 404 problem, without the per-request id: what must not differ between two 404s. */
  static Map<String, Object> notFoundBody(Portal.Response response) {
    Map<String, Object> problem = new LinkedHashMap<>(assertProblem(response, 404, NOT_FOUND));
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
