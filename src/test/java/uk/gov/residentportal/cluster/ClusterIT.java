package uk.gov.residentportal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.cluster.Cluster.upstreamOf;
import static uk.gov.residentportal.partner.PartnerSteps.newNhsNumber;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * Three replicas of the packaged jar behind nginx round-robin ({@code bin/cluster}), one MariaDB
 * schema: no guarantee depends on landing on the same replica. Each test takes its steps through
 * the balancer and shows, by nginx's X-Upstream header, that the steps were answered by different
 * replicas.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  static final String ADMIN = "cluster-admin-" + UUID.randomUUID() + "@example.org";
  static final Duration RELOAD = Duration.ofSeconds(2);
  static final int RATE_PER_SECOND = 1;
  static final int BURST = 4;
  static final String RESIDENTS = "/api/v1/partner/residents";
  static final String PARTNER_RX2 = "partner-rx2";

  @TempDir static Path work;
  Cluster cluster;
  Portal portal;
  Instant started;

  @BeforeAll
  void start() throws Exception {
    started = Instant.now();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("PORTAL_BOOTSTRAP_ADMIN_EMAIL", ADMIN);
    settings.put("PORTAL_KEYS_RELOAD_INTERVAL", RELOAD.toSeconds() + "s");
    settings.put("PORTAL_BRUTE_FORCE_FREE_FAILURES", "2");
    settings.put("PORTAL_BRUTE_FORCE_FIRST_DELAY", "30s");
    settings.put("PORTAL_PARTNER_RATE_PER_SECOND", String.valueOf(RATE_PER_SECOND));
    settings.put("PORTAL_PARTNER_RATE_BURST", String.valueOf(BURST));
    cluster = Cluster.start(work, settings, Duration.ofSeconds(240));
    portal = cluster.portal();
    System.out.println(
        "cluster of three ready in " + Duration.between(started, Instant.now()).toMillis() + " ms");
    // partner-rx2 does the bulk lookups: its own limit is out of the way (read per request).
    assertThat(
            cluster.update(
                "UPDATE clients SET rate_limit_per_second = 1000, rate_limit_burst = 1000"
                    + " WHERE client_id = ?",
                PARTNER_RX2))
        .isEqualTo(1);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    System.out.println(
        "ClusterIT took " + Duration.between(started, Instant.now()).toMillis() + " ms in all");
  }

  @Test
  @Order(1)
  void theBalancerSpreadsRequestsOverAllThreeReplicas() {
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < 6; i++) {
      Response ready = portal.get("/health/readiness", null);
      assertThat(ready.status()).isEqualTo(200);
      seen.add(upstreamOf(ready));
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(cluster.upstreams());
  }

  @Test
  @Order(2)
  void everyReplicaServesTheSameJwks() throws InterruptedException {
    Map<String, Response> jwks = cluster.fromEachReplica(() -> portal.get("/oauth2/jwks", null));
    // A NEXT key another replica added while completing the fresh ring reaches each replica's copy
    // within PORTAL_KEYS_RELOAD_INTERVAL: wait that long (and a margin) for the copies to agree.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (jwks.values().stream().map(Response::body).distinct().count() > 1
        && System.nanoTime() < deadline) {
      Thread.sleep(500);
      jwks = cluster.fromEachReplica(() -> portal.get("/oauth2/jwks", null));
    }

    assertThat(jwks.keySet()).containsExactlyInAnyOrderElementsOf(cluster.upstreams());
    Set<String> documents = new HashSet<>();
    jwks.values().forEach(r -> documents.add(r.body()));
    assertThat(documents).hasSize(1);
    // The ACTIVE key and a NEXT one. Replicas completing a fresh ring at the same moment may each
    // add a NEXT key (KeyRing.complete: published, never used until a rotation takes the oldest),
    // so one to three NEXT keys: what matters is that every replica publishes the same set.
    assertThat(Portal.list(jwks.values().iterator().next().json().get("keys")))
        .hasSizeBetween(2, 4);
  }

  @Test
  @Order(3)
  void aBrowserSessionMadeOnOneReplica_signsInOnTheOthersWithoutTheForm() throws ParseException {
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);
    CookieJar browser = new CookieJar(portal);
    CodeVerifier verifier = new CodeVerifier();
    Map<String, String> params = portal.authorizeParams(verifier, "st-1", "n-1");

    Response page = browser.get("/oauth2/authorize?" + Portal.encode(params));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("name=\"password\"");
    Response signedIn = browser.signIn(page, params, email, Portal.PASSWORD);
    assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(302);
    assertThat(browser.cookie("portal_session")).isNotNull();

    // A second service asks on another replica: a code at once, no sign-in page.
    CodeVerifier parkingVerifier = new CodeVerifier();
    Map<String, String> parking = parkingParams(parkingVerifier);
    Response sso = browser.get("/oauth2/authorize?" + Portal.encode(parking));
    assertThat(sso.status()).as(sso.body()).isEqualTo(302);
    assertThat(Portal.redirectParams(sso)).containsKey("code").containsEntry("state", "p");
    Map<String, Object> first =
        portal.exchange(Portal.redirectParams(signedIn).get("code"), verifier).json();
    assertSameSession(
        (String) first.get("id_token"),
        parkingIdToken(Portal.redirectParams(sso).get("code"), parkingVerifier));

    // The page, the form and the second service's request: three replicas.
    assertThat(List.of(upstreamOf(page), upstreamOf(signedIn), upstreamOf(sso)))
        .containsExactlyInAnyOrderElementsOf(cluster.upstreams());

    // Without the session cookie the same request shows the form (no session by accident).
    Response anonymous = portal.get("/oauth2/authorize?" + Portal.encode(parking), null);
    assertThat(anonymous.status()).isEqualTo(200);
    assertThat(anonymous.body()).contains("name=\"password\"");
  }

  @Test
  @Order(4)
  void chromiumSignedInOnOneReplica_isSignedInOnTheOthersWithoutTheForm() throws Exception {
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);
    CodeVerifier councilTax = new CodeVerifier();
    CodeVerifier parking = new CodeVerifier();
    String first =
        portal.base()
            + "/oauth2/authorize?"
            + Portal.encode(portal.authorizeParams(councilTax, "b1", "bn1"));
    String second = portal.base() + "/oauth2/authorize?" + Portal.encode(parkingParams(parking));

    Path log = work.resolve("cluster-sso-check.log");
    Cluster.ProcessResult node =
        Cluster.run(
            new ProcessBuilder(
                    "node",
                    "tools/cluster-sso-check.mjs",
                    portal.base(),
                    email,
                    Portal.PASSWORD,
                    first,
                    second)
                .directory(Cluster.projectDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile()),
            log,
            Duration.ofSeconds(90),
            "the browser check");
    String output = node.output();
    System.out.println(output);

    assertThat(node.exitCode()).as(output).isZero();
    Map<String, String> result = new LinkedHashMap<>();
    output
        .lines()
        .filter(l -> l.startsWith("RESULT "))
        .map(l -> l.split(" ", 3))
        .forEach(parts -> result.put(parts[1], parts[2]));
    // The sign-in page, the form's submission and the second client's request: three replicas.
    assertThat(List.of(result.get("page"), result.get("signIn"), result.get("sso")))
        .containsExactlyInAnyOrderElementsOf(cluster.upstreams());
    Response tokens = portal.exchange(result.get("firstCode"), councilTax);
    assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    assertSameSession(
        (String) tokens.json().get("id_token"), parkingIdToken(result.get("secondCode"), parking));
  }

  @Test
  @Order(5)
  void anAssertionsJti_replayedOnAnotherReplica_isRefused() {
    String assertion =
        MachineTokens.assertion(MachineTokens.COUNCIL_TAX_SYSTEM, portal.base() + "/oauth2/token");

    Response first = clientCredentials(assertion);
    Response replay = clientCredentials(assertion);
    Response again = clientCredentials(assertion);

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    for (Response refused : List.of(replay, again)) {
      assertThat(refused.status()).as(refused.body()).isEqualTo(401);
      assertThat(refused.json()).containsEntry("error", "invalid_client");
    }
    assertThat(List.of(upstreamOf(first), upstreamOf(replay), upstreamOf(again)))
        .containsExactlyInAnyOrderElementsOf(cluster.upstreams());
    // A fresh assertion is still accepted: the refusal was the replay, not the client.
    assertThat(
            clientCredentials(
                    MachineTokens.assertion(
                        MachineTokens.COUNCIL_TAX_SYSTEM, portal.base() + "/oauth2/token"))
                .status())
        .isEqualTo(200);
  }

  @Test
  @Order(6)
  void aRefreshTokenReusedOnAnotherReplica_isRefusedAndRevokesItsFamily() {
    Portal.Tokens tokens = portal.newResident(Portal.newEmail());

    Response rotated = portal.refresh(tokens.refreshToken());
    Response reused = portal.refresh(tokens.refreshToken());
    String newer = (String) rotated.json().get("refresh_token");
    Response successor = portal.refresh(newer);

    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    assertThat(newer).isNotEqualTo(tokens.refreshToken());
    assertThat(reused.status()).as(reused.body()).isEqualTo(400);
    assertThat(reused.json()).containsEntry("error", "invalid_grant");
    // The reuse revoked the whole family: the token the rotation issued is refused too.
    assertThat(successor.status()).as(successor.body()).isEqualTo(400);
    assertThat(successor.json()).containsEntry("error", "invalid_grant");
    assertThat(List.of(upstreamOf(rotated), upstreamOf(reused), upstreamOf(successor)))
        .containsExactlyInAnyOrderElementsOf(cluster.upstreams());
  }

  @Test
  @Order(7)
  void thePartnerRateLimit_holdsForBurstsSpreadOverTheReplicas() {
    String token = MachineTokens.tokenFor(portal, MachineTokens.PARTNER);
    List<Response> answers = new ArrayList<>();
    Instant from = Instant.now();
    // Many more than three bursts' worth, so even a slow machine refuses some on every replica.
    for (int i = 0; i < 21; i++) {
      answers.add(lookup(token, newNhsNumber(), "1970-01-01"));
    }
    double seconds = Duration.between(from, Instant.now()).toMillis() / 1000.0;

    List<Response> allowed = answers.stream().filter(r -> r.status() != 429).toList();
    List<Response> refused = answers.stream().filter(r -> r.status() == 429).toList();
    allowed.forEach(r -> assertThat(r.status()).as(r.body()).isEqualTo(404));
    // One bucket for all three: the burst plus what refilled meanwhile, not three bursts.
    assertThat(allowed.size())
        .as("allowed in %.1f s", seconds)
        .isBetween(BURST, BURST + (int) Math.ceil(seconds * RATE_PER_SECOND));
    assertThat(allowed.stream().map(Cluster::upstreamOf).distinct()).hasSizeGreaterThan(1);
    assertThat(refused.stream().map(Cluster::upstreamOf).distinct())
        .containsExactlyInAnyOrderElementsOf(cluster.upstreams());
    Response tooMany = refused.get(0);
    assertThat(tooMany.contentType()).startsWith("application/problem+json");
    assertThat(Long.parseLong(tooMany.header("retry-after"))).isPositive();
  }

  @Test
  @Order(8)
  void signInFailuresSpreadOverTheReplicas_tripTheDelay() {
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);
    CookieJar browser = new CookieJar(portal);
    Map<String, String> params = portal.authorizeParams(new CodeVerifier(), "st", "n");
    Response page = browser.get("/oauth2/authorize?" + Portal.encode(params));

    List<String> failedOn = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Response failed = browser.signIn(page, params, email, "not the password at all");
      assertThat(failed.status()).as("failure %d", i + 1).isEqualTo(401);
      failedOn.add(upstreamOf(failed));
    }
    Response refused = browser.signIn(page, params, email, Portal.PASSWORD);

    // Two free failures, the third starts a 30 s delay: even the right password waits, wherever
    // it lands.
    assertThat(failedOn).containsExactlyInAnyOrderElementsOf(cluster.upstreams());
    assertThat(refused.status()).isEqualTo(429);
    assertThat(Long.parseLong(refused.header("retry-after"))).isBetween(20L, 30L);
    assertThat(refused.header("location")).isNull();
    assertThat(upstreamOf(refused)).isNotEqualTo(failedOn.get(2));
    for (int i = 0; i < 2; i++) {
      assertThat(browser.signIn(page, params, email, Portal.PASSWORD).status()).isEqualTo(429);
    }
  }

  @Test
  @Order(9)
  void aConsentWithdrawnOnOneReplica_refusesTheNextLookupOnAnother() {
    Resident resident = resident();
    String token = MachineTokens.tokenFor(portal, PARTNER_RX2);
    Response granted =
        portal.json(
            "POST",
            "/api/v1/me/consents",
            "{\"organisation\":\"RX2\",\"categories\":[\"HOUSING\"],\"purpose\":\"DIRECT_CARE\"}",
            resident.token());
    assertThat(granted.status()).as(granted.body()).isEqualTo(201);
    String consentId = (String) granted.json().get("id");

    Response allowed = lookup(token, resident.nhsNumber(), resident.birthDate());
    Response withdrawn =
        portal.json("DELETE", "/api/v1/me/consents/" + consentId, null, resident.token());
    Response next = lookup(token, resident.nhsNumber(), resident.birthDate());

    assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
    assertThat(allowed.json()).containsEntry("givenName", "Ada");
    assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(204);
    // The same answer as for nobody at all: the partner learns nothing more.
    assertThat(next.status()).as(next.body()).isEqualTo(404);
    assertThat(List.of(upstreamOf(allowed), upstreamOf(withdrawn), upstreamOf(next)))
        .containsExactlyInAnyOrderElementsOf(cluster.upstreams());
    // And on every replica after it.
    cluster
        .fromEachReplica(() -> lookup(token, resident.nhsNumber(), resident.birthDate()))
        .values()
        .forEach(r -> assertThat(r.status()).isEqualTo(404));
  }

  @Test
  @Order(10)
  void theAuditChainVerifies_afterConcurrentWritesThroughAllThree() throws Exception {
    Resident resident = resident();
    cluster.update(
        "INSERT INTO consents (id, account_id, organisation, categories, purpose, granted_at,"
            + " granted_by) VALUES (?, ?, 'RX2', 'HOUSING', 'DIRECT_CARE', UTC_TIMESTAMP(6), ?)",
        UUID.randomUUID().toString(),
        resident.accountId(),
        resident.accountId());
    String token = MachineTokens.tokenFor(portal, PARTNER_RX2);
    long before = cluster.count("SELECT COUNT(*) FROM audit_events");
    int lookups = 90;
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Response> answers = new ArrayList<>();
    try {
      List<Future<Response>> futures = new ArrayList<>();
      for (int i = 0; i < lookups; i++) {
        futures.add(pool.submit(() -> lookup(token, resident.nhsNumber(), resident.birthDate())));
      }
      for (Future<Response> future : futures) {
        answers.add(future.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    answers.forEach(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
    assertThat(answers.stream().map(Cluster::upstreamOf).distinct())
        .containsExactlyInAnyOrderElementsOf(cluster.upstreams());
    assertThat(
            cluster.count(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'PARTNER_LOOKUP'"
                    + " AND outcome = 'SUCCESS' AND subject = ?",
                resident.accountId()))
        .isEqualTo(lookups);
    assertThat(cluster.count("SELECT COUNT(*) FROM audit_events"))
        .isGreaterThanOrEqualTo(before + lookups);

    Cluster.ProcessResult verified = cluster.verifyAudit();
    assertThat(verified.exitCode()).as(verified.output()).isZero();

    // The check is a real one: a changed event breaks it.
    cluster.update(
        "UPDATE audit_events SET organisation_ods = 'RX1' WHERE subject = ? ORDER BY seq DESC"
            + " LIMIT 1",
        resident.accountId());
    Cluster.ProcessResult broken = cluster.verifyAudit();
    assertThat(broken.exitCode()).as(broken.output()).isEqualTo(3);
  }

  @Test
  @Order(11)
  void aKeyRotationOnOneReplica_isSeenByAllWithinTheReloadInterval() throws Exception {
    portal.signUpAndVerify(ADMIN);
    String admin = portal.signIn(ADMIN).accessToken();
    String partner = MachineTokens.tokenFor(portal, PARTNER_RX2);
    String oldKid = SignedJWT.parse(partner).getHeader().getKeyID();

    Response rotated = portal.json("POST", "/api/v1/admin/keys/rotate", null, admin);
    Instant rotatedAt = Instant.now();
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    String activeKid = (String) rotated.json().get("activeKid");
    String nextKid = (String) rotated.json().get("nextKid");
    assertThat(rotated.json()).containsEntry("retiredKid", oldKid);
    String rotatedOn = upstreamOf(rotated);

    // A token signed by the new key at once (on the replica that rotated) verifies everywhere,
    // also on replicas that have not read the ring again yet.
    String fresh = null;
    for (int i = 0; i < 6 && fresh == null; i++) {
      Response token =
          clientCredentials(MachineTokens.assertion(PARTNER_RX2, portal.base() + "/oauth2/token"));
      String access = (String) token.json().get("access_token");
      if (activeKid.equals(SignedJWT.parse(access).getHeader().getKeyID())) {
        fresh = access;
      }
    }
    assertThat(fresh).as("a token signed by the new key").isNotNull();
    String newToken = fresh;
    Map<String, Response> verified =
        cluster.fromEachReplica(() -> lookup(newToken, newNhsNumber(), "1970-01-01"));
    verified.values().forEach(r -> assertThat(r.status()).as(r.body()).isEqualTo(404));
    assertThat(verified.keySet()).contains(rotatedOn).hasSize(3);
    // Tokens of the key before still verify (it stays published).
    cluster
        .fromEachReplica(() -> lookup(partner, newNhsNumber(), "1970-01-01"))
        .values()
        .forEach(r -> assertThat(r.status()).isEqualTo(404));

    // Within the reload interval every replica's JWKS lists the new NEXT key, and every replica
    // signs with the new ACTIVE key.
    // Polled: done as soon as all three list it; the slack is for a loaded machine.
    Instant deadline = rotatedAt.plus(RELOAD).plusSeconds(10);
    Set<String> listing = new HashSet<>();
    while (listing.size() < Cluster.REPLICAS && Instant.now().isBefore(deadline)) {
      Response jwks = portal.get("/oauth2/jwks", null);
      if (jwks.body().contains("\"" + nextKid + "\"")) {
        listing.add(upstreamOf(jwks));
      }
      Thread.sleep(100);
    }
    assertThat(listing).containsExactlyInAnyOrderElementsOf(cluster.upstreams());
    Set<String> documents = new HashSet<>();
    Map<String, Response> jwks = cluster.fromEachReplica(() -> portal.get("/oauth2/jwks", null));
    jwks.values().forEach(r -> documents.add(r.body()));
    assertThat(documents).hasSize(1);
    assertThat(documents.iterator().next()).contains(oldKid, activeKid, nextKid);
    for (Response token :
        cluster
            .fromEachReplica(
                () ->
                    clientCredentials(
                        MachineTokens.assertion(PARTNER_RX2, portal.base() + "/oauth2/token")))
            .values()) {
      assertThat(SignedJWT.parse((String) token.json().get("access_token")).getHeader().getKeyID())
          .isEqualTo(activeKid);
    }

    // Only an administrator rotates, on any replica.
    String resident = portal.newResident(Portal.newEmail()).accessToken();
    cluster
        .fromEachReplica(() -> portal.json("POST", "/api/v1/admin/keys/rotate", null, resident))
        .values()
        .forEach(r -> assertThat(r.status()).isEqualTo(403));
  }

  // ---- steps ----

  Map<String, String> parkingParams(CodeVerifier verifier) {
    Map<String, String> params = new LinkedHashMap<>(portal.authorizeParams(verifier, "p", "pn"));
    params.put("client_id", "parking-app");
    params.put("redirect_uri", "http://localhost/parking/callback");
    params.put("scope", "openid");
    return params;
  }

  String parkingIdToken(String code, CodeVerifier verifier) {
    Response tokens =
        portal.form(
            "/oauth2/token",
            Map.of(
                "grant_type", "authorization_code",
                "code", code,
                "redirect_uri", "http://localhost/parking/callback",
                "client_id", "parking-app",
                "code_verifier", verifier.getValue()));
    assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    return (String) tokens.json().get("id_token");
  }

  /** Two ID tokens of one resident from one browser session (the same sid). */
  static void assertSameSession(String firstIdToken, String secondIdToken) throws ParseException {
    var first = SignedJWT.parse(firstIdToken).getJWTClaimsSet();
    var second = SignedJWT.parse(secondIdToken).getJWTClaimsSet();
    assertThat(second.getSubject()).isEqualTo(first.getSubject());
    assertThat(second.getStringClaim("sid")).isNotNull().isEqualTo(first.getStringClaim("sid"));
  }

  Response clientCredentials(String assertion) {
    return portal.form(
        "/oauth2/token",
        Map.of(
            "grant_type", "client_credentials",
            "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion", assertion));
  }

  Response lookup(String token, String nhsNumber, String birthDate) {
    return portal.get(
        RESIDENTS + "?nhsNumber=" + nhsNumber + "&birthDate=" + birthDate,
        token,
        "X-Request-ID",
        UUID.randomUUID().toString());
  }

  record Resident(String accountId, String nhsNumber, String birthDate, String token) {}

  /** A verified, signed-in resident with an NHS number, a birth date and assurance P1. */
  Resident resident() {
    String email = Portal.newEmail();
    String accountId = portal.signUpAndVerify(email);
    String nhs = newNhsNumber();
    LocalDate birthDate = LocalDate.of(1960, 3, 5);
    assertThat(
            cluster.update(
                "UPDATE accounts SET nhs_number = ?, date_of_birth = ?, assurance = 'P1'"
                    + " WHERE id = ?",
                nhs,
                birthDate,
                accountId))
        .isEqualTo(1);
    return new Resident(accountId, nhs, birthDate.toString(), portal.signIn(email).accessToken());
  }
}
