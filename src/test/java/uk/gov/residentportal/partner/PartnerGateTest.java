package uk.gov.residentportal.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.partner.PartnerSteps.FORBIDDEN;
import static uk.gov.residentportal.partner.PartnerSteps.PARTNER_RX1;
import static uk.gov.residentportal.partner.PartnerSteps.PARTNER_RX2;
import static uk.gov.residentportal.partner.PartnerSteps.RX2;
import static uk.gov.residentportal.partner.PartnerSteps.TOO_MANY;
import static uk.gov.residentportal.partner.PartnerSteps.assertInvalidField;
import static uk.gov.residentportal.partner.PartnerSteps.assertProblem;
import static uk.gov.residentportal.partner.PartnerSteps.consent;
import static uk.gov.residentportal.partner.PartnerSteps.lookupPath;
import static uk.gov.residentportal.support.Sql.update;

import com.nimbusds.jwt.SignedJWT;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.partner.PartnerSteps.Resident;
import uk.gov.residentportal.records.DocumentStore;
import uk.gov.residentportal.records.RecordIngestion;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;

/**
 * What every partner request passes first: a partner token, X-Request-ID, an active organisation,
 * the client's rate limit; and the headers echoed back.
 */
@MicronautTest(transactional = false)
class PartnerGateTest {
  private static final String SOME_LOOKUP = lookupPath("9434765919", "1980-01-01");

  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;
  @Inject DocumentStore store;

  Portal portal;
  PartnerSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new PartnerSteps(portal, ingestion, store);
    PartnerSteps.activeOrganisations();
  }

  @Test
  void requiresXRequestId() {
    Portal.Response missing = portal.get(SOME_LOOKUP, steps.token(PARTNER_RX1));

    assertInvalidField(missing, "X-Request-ID");
    assertThat(missing.header("X-Request-ID")).isNotBlank();
  }

  @Test
  void refusesAnXRequestIdThatIsNotAUuidAndEchoesIt() {
    Portal.Response malformed =
        portal.get(SOME_LOOKUP, steps.token(PARTNER_RX1), "X-Request-ID", "request-42");

    assertInvalidField(malformed, "X-Request-ID");
    assertThat(malformed.header("X-Request-ID")).isEqualTo("request-42");
  }

  @Test
  void echoesXRequestIdAndXCorrelationId() {
    String requestId = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);

    Portal.Response answer =
        portal.get(
            SOME_LOOKUP,
            steps.token(PARTNER_RX1),
            "X-Request-ID",
            requestId,
            "X-Correlation-ID",
            "rx1-episode-11:22");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.header("X-Request-ID")).isEqualTo(requestId);
    assertThat(answer.header("X-Correlation-ID")).isEqualTo("rx1-episode-11:22");
    // Not echoed when it holds anything but plain token characters.
    Portal.Response unsafe =
        steps.call(PARTNER_RX1, SOME_LOOKUP, "X-Correlation-ID", "a b<script>");
    assertThat(unsafe.header("X-Correlation-ID")).isNull();
  }

  @Test
  void refusesAResidentTokenOnPartnerEndpoints() {
    String resident = portal.newResident(Portal.newEmail()).accessToken();

    assertProblem(
        portal.get(SOME_LOOKUP, resident, "X-Request-ID", UUID.randomUUID().toString()),
        403,
        FORBIDDEN);
    assertProblem(
        portal.get(
            PartnerSteps.RESIDENTS + "/" + UUID.randomUUID() + "/records",
            resident,
            "X-Request-ID",
            UUID.randomUUID().toString()),
        403,
        FORBIDDEN);
    Portal.Response fhir =
        portal.get(
            "/fhir/r4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C9434765919"
                + "&birthdate=1980-01-01",
            resident, "X-Request-ID", UUID.randomUUID().toString());
    assertThat(fhir.status()).isEqualTo(403);
    assertThat(fhir.contentType()).startsWith("application/fhir+json");
    assertThat(fhir.body()).contains("ACCESS_DENIED");
  }

  @Test
  void refusesARevokedPartnerTokenOnJsonAndFhir() throws Exception {
    String token = MachineTokens.tokenFor(portal, PARTNER_RX1);
    String jti = (String) SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
    update(
        "INSERT INTO token_revocations (revoked_id, kind, revoked_at, expires_at)"
            + " VALUES (?, 'TOKEN', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 HOUR)",
        jti);

    assertProblem(
        portal.get(SOME_LOOKUP, token, "X-Request-ID", UUID.randomUUID().toString()),
        401,
        "urn:resident-portal:problem:unauthorized");
    Portal.Response fhir =
        portal.get(
            "/fhir/r4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C9434765919"
                + "&birthdate=1980-01-01",
            token, "X-Request-ID", UUID.randomUUID().toString());
    assertThat(fhir.status()).isEqualTo(401);
    assertThat(fhir.contentType()).startsWith("application/fhir+json");
    assertThat(fhir.body()).contains("ACCESS_DENIED");
  }

  @Test
  void refusesAPartnerTokenOnResidentEndpoints() {
    String partner = steps.token(PARTNER_RX1);

    assertProblem(portal.get("/api/v1/me/records", partner), 403, FORBIDDEN);
    assertProblem(portal.get("/api/v1/me", partner), 403, FORBIDDEN);
  }

  @Test
  void refusesEveryClientOfADeactivatedOrganisationAtOnce() {
    Resident resident = steps.resident("P1");
    consent(resident.accountId(), RX2, "HOUSING");
    assertThat(steps.lookup(PARTNER_RX2, resident).status()).isEqualTo(200);
    try {
      update("UPDATE partner_organisations SET active = FALSE WHERE ods_code = ?", RX2);

      Portal.Response refused = steps.lookup(PARTNER_RX2, resident);

      assertProblem(refused, 403, FORBIDDEN);
    } finally {
      PartnerSteps.activeOrganisations();
    }
    assertThat(steps.lookup(PARTNER_RX2, resident).status()).isEqualTo(200);
  }

  @Test
  void refusesAClientOverItsRateLimitWithRetryAfterAndFollowsAChangedLimit() {
    steps.token(PARTNER_RX2);
    try {
      update(
          "UPDATE clients SET rate_limit_per_second = 1, rate_limit_burst = 3 WHERE client_id = ?",
          PARTNER_RX2);
      List<Integer> statuses = new ArrayList<>();
      Portal.Response last = null;
      for (int i = 0; i < 5; i++) {
        last = steps.call(PARTNER_RX2, SOME_LOOKUP);
        statuses.add(last.status());
      }

      assertThat(statuses.subList(0, 3)).containsOnly(404);
      assertThat(statuses).contains(429);
      assertProblem(last, 429, TOO_MANY);
      assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 2L);
      // FHIR answers the same limit with an OperationOutcome.
      Portal.Response fhir =
          steps.call(
              PARTNER_RX2,
              "/fhir/r4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C9434765919"
                  + "&birthdate=1980-01-01");
      assertThat(fhir.status()).isEqualTo(429);
      assertThat(fhir.header("Retry-After")).isNotBlank();
      assertThat(fhir.body()).contains("TOO_MANY_REQUESTS").contains("throttled");
      // partner-rx1 has a bucket of its own.
      assertThat(steps.call(PARTNER_RX1, SOME_LOOKUP).status()).isEqualTo(404);

      // A raised limit counts from the next request.
      update(
          "UPDATE clients SET rate_limit_per_second = 100, rate_limit_burst = 100"
              + " WHERE client_id = ?",
          PARTNER_RX2);
      assertThat(steps.call(PARTNER_RX2, SOME_LOOKUP).status()).isEqualTo(404);
    } finally {
      update(
          "UPDATE clients SET rate_limit_per_second = NULL, rate_limit_burst = NULL"
              + " WHERE client_id = ?",
          PARTNER_RX2);
    }
  }
}
