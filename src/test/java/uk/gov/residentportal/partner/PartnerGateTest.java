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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.partner.PartnerSteps.Resident;
import uk.gov.residentportal.records.DocumentStore;
import uk.gov.residentportal.records.RecordIngestion;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

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

  @Test
  void refusesADeactivatedClientsExistingTokenOnJsonAndFhir() {
    Resident resident = steps.resident("P1");
    consent(resident.accountId(), RX2, "HOUSING");
    String token = steps.token(PARTNER_RX2);
    assertThat(steps.lookup(PARTNER_RX2, resident).status()).isEqualTo(200);
    try {
      update("UPDATE clients SET active = FALSE WHERE client_id = ?", PARTNER_RX2);

      assertProblem(
          portal.get(
              lookupPath(resident.nhsNumber(), resident.birthDate().toString()),
              token,
              "X-Request-ID",
              UUID.randomUUID().toString()),
          403,
          FORBIDDEN);
      Portal.Response fhir =
          portal.get(
              "/fhir/r4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C"
                  + resident.nhsNumber()
                  + "&birthdate="
                  + resident.birthDate(),
              token,
              "X-Request-ID",
              UUID.randomUUID().toString());
      assertThat(fhir.status()).isEqualTo(403);
      assertThat(fhir.contentType()).startsWith("application/fhir+json");
      assertThat(fhir.body()).contains("ACCESS_DENIED").contains("forbidden");
    } finally {
      update("UPDATE clients SET active = TRUE WHERE client_id = ?", PARTNER_RX2);
    }
    // Reactivated, the same token works again: nothing was cached.
    assertThat(steps.lookup(PARTNER_RX2, resident).status()).isEqualTo(200);
  }

  @Test
  void refusesAFloodFromOneClientLocallyWhileServingOtherCallers() throws Exception {
    steps.token(PARTNER_RX1);
    steps.token(PARTNER_RX2);
    ExecutorService pool = Executors.newFixedThreadPool(48);
    try {
      update(
          "UPDATE clients SET rate_limit_per_second = 1, rate_limit_burst = 4 WHERE client_id = ?",
          PARTNER_RX2);
      List<Future<Portal.Response>> flood = new ArrayList<>();
      List<Future<Portal.Response>> others = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        flood.add(pool.submit(() -> steps.call(PARTNER_RX2, SOME_LOOKUP)));
        if (i % 10 == 0) {
          others.add(pool.submit(() -> steps.call(PARTNER_RX1, SOME_LOOKUP)));
        }
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Portal.Response> answer : flood) {
        Portal.Response response = answer.get(60, TimeUnit.SECONDS);
        statuses.add(response.status());
        if (response.status() == 429) {
          assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, 2L);
        }
      }
      for (Future<Portal.Response> answer : others) {
        assertThat(answer.get(60, TimeUnit.SECONDS).status()).isEqualTo(404);
      }

      assertThat(statuses).containsOnly(404, 429);
      // No 503: nothing waited its connection away. The burst, and what refilled meanwhile, got in.
      assertThat(statuses.stream().filter(s -> s == 404).count()).isGreaterThanOrEqualTo(4L);
      assertThat(statuses.stream().filter(s -> s == 429).count()).isGreaterThanOrEqualTo(20L);

      // Requests the replica refuses itself do not wait on the shared bucket's row: with that row
      // locked, they are still answered 429 at once (at most a refilled token or two wait).
      try (Connection c = Sql.connect()) {
        c.setAutoCommit(false);
        try (PreparedStatement lock =
            c.prepareStatement("SELECT id FROM rate_limit_buckets WHERE id = ? FOR UPDATE")) {
          lock.setString(1, PARTNER_RX2 + "|1|4");
          try (ResultSet rows = lock.executeQuery()) {
            assertThat(rows.next()).isTrue();
          }
          List<Future<Portal.Response>> whileLocked = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            whileLocked.add(pool.submit(() -> steps.call(PARTNER_RX2, SOME_LOOKUP)));
          }
          int refusedAtOnce = 0;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
          for (Future<Portal.Response> answer : whileLocked) {
            try {
              long left = Math.max(1, deadline - System.nanoTime());
              if (answer.get(left, TimeUnit.NANOSECONDS).status() == 429) {
                refusedAtOnce++;
              }
            } catch (TimeoutException waiting) {
              // One admitted locally, waiting on the row lock: released below.
            }
          }
          assertThat(refusedAtOnce).isGreaterThanOrEqualTo(7);
        } finally {
          c.rollback();
        }
      }
      // The service still serves another caller.
      assertThat(steps.call(PARTNER_RX1, SOME_LOOKUP).status()).isEqualTo(404);
    } finally {
      pool.shutdownNow();
      update(
          "UPDATE clients SET rate_limit_per_second = NULL, rate_limit_burst = NULL"
              + " WHERE client_id = ?",
          PARTNER_RX2);
    }
  }
}
