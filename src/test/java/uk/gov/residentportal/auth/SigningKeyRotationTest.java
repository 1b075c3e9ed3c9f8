package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.gov.residentportal.support.Sql.count;
import static uk.gov.residentportal.support.Sql.update;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;
import uk.gov.residentportal.support.TestKeys;

/** The signing-key ring: published keys, manual and automatic rotation, storage, import (ADR 4). */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigningKeyRotationTest implements TestPropertyProvider {
  static final String ADMIN = Portal.newEmail();
  private static boolean adminSignedUp;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("portal.bootstrap-admin-email", ADMIN);
  }

  @Inject EmbeddedServer server;
  @Inject KeyRotation rotation;
  @Inject KeyRing ring;
  @Inject SigningKeys keys;
  @Inject Housekeeping housekeeping;

  private Portal portal;
  private String adminToken;

  @BeforeEach
  void admin() {
    portal = new Portal(server.getURI());
    if (!adminSignedUp) {
      portal.signUpAndVerify(ADMIN);
      adminSignedUp = true;
    }
    adminToken = portal.signIn(ADMIN).accessToken();
  }

  @Nested
  class PublishedKeys {
    @Test
    void publishesTheActiveAndTheNextKeyFromTheFirstStart() throws Exception {
      List<String> published = jwksKids();

      assertThat(published).hasSizeGreaterThanOrEqualTo(2);
      assertThat(published).contains(kidWithStatus("ACTIVE"), kidWithStatus("NEXT"));
      assertThat(count("SELECT COUNT(*) FROM signing_keys WHERE status = 'ACTIVE'")).isEqualTo(1);
    }

    @Test
    void listsTheRingForAdministratorsWithoutPrivateParts() {
      Portal.Response ring = portal.get("/api/v1/admin/keys", adminToken);

      assertThat(ring.status()).isEqualTo(200);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> items = (List<Map<String, Object>>) ring.json().get("keys");
      assertThat(items).isNotEmpty();
      assertThat(items)
          .extracting(k -> (String) k.get("status"))
          .contains("ACTIVE", "NEXT")
          .allSatisfy(s -> assertThat(s).isIn("NEXT", "ACTIVE", "RETIRED"));
      assertThat(items)
          .allSatisfy(
              k ->
                  assertThat(k)
                      .containsKeys("kid", "alg", "status", "createdAt")
                      .doesNotContainKeys("d", "privateJwk", "privateJwkSealed", "publicJwk"));
      assertThat(ring.body()).doesNotContain("\"d\"").doesNotContain("sealed");
    }
  }

  @Nested
  class ManualRotation {
    @Test
    void tokensIssuedBeforeARotationStillWork_andNewTokensCarryTheNewKid() throws Exception {
      String resident = newResident();
      String before = portal.signIn(resident).accessToken();
      String oldKid = kid(before);
      String oldNext = kidWithStatus("NEXT");
      // As after a rotation period: the NEXT key has been published for an hour.
      update(
          "UPDATE signing_keys SET created_at = DATE_SUB(created_at, INTERVAL 1 HOUR)"
              + " WHERE kid = ?",
          oldNext);

      Portal.Response rotated = rotate(adminToken);

      assertThat(rotated.status()).isEqualTo(200);
      Map<String, Object> body = rotated.json();
      assertThat(body)
          .containsEntry("retiredKid", oldKid)
          .containsEntry("activeKid", oldNext)
          .containsKey("retiredPublishedUntil");
      String newNext = (String) body.get("nextKid");
      assertThat(newNext).isNotIn(oldKid, oldNext);
      assertThat(Instant.parse((String) body.get("retiredPublishedUntil")))
          .isAfter(Instant.now().plus(ring.publishedAfterRetirement()).minusSeconds(60));
      // Published long before it signs: no warning about cached key sets.
      assertThat(body).doesNotContainKey("warning");

      assertThat(portal.get("/api/v1/me", before).status()).isEqualTo(200);
      String after = portal.signIn(resident).accessToken();
      assertThat(kid(after)).isEqualTo(oldNext);
      assertThat(portal.get("/api/v1/me", after).status()).isEqualTo(200);
      assertThat(jwksKids()).contains(oldKid, oldNext, newNext);
      assertThat(statusOf(oldKid)).isEqualTo("RETIRED");
    }

    @Test
    void warnsWhenTheKeyItActivatesWasPublishedOnlyMomentsAgo() {
      rotate(adminToken);
      // The NEXT key made by that rotation is seconds old: rotating again activates it anyway.
      Portal.Response again = rotate(adminToken);

      assertThat(again.status()).isEqualTo(200);
      assertThat((String) again.json().get("warning")).contains("relying parties");
      assertThat(kidWithStatus("ACTIVE")).isEqualTo(again.json().get("activeKid"));
    }

    @Test
    void theRetiredKeyLeavesTheJwksOnceEveryTokenItSignedHasExpired() throws Exception {
      String before = portal.signIn(newResident()).accessToken();
      // Used once, so this replica remembers it as verified (AccessTokenVerifier): the memory must
      // not outlive the key's publication.
      assertThat(portal.get("/api/v1/me", before).status()).isEqualTo(200);
      String retired = (String) rotate(adminToken).json().get("retiredKid");
      assertThat(jwksKids()).contains(retired);

      update(
          "UPDATE signing_keys SET publish_until = DATE_SUB(UTC_TIMESTAMP(6), INTERVAL 1 SECOND)"
              + " WHERE kid = ?",
          retired);
      housekeeping.deleteExpired();
      keys.reload();

      assertThat(jwksKids()).doesNotContain(retired);
      assertThat(count("SELECT COUNT(*) FROM signing_keys WHERE kid = '" + retired + "'")).isZero();
      assertThat(portal.get("/api/v1/me", before).status()).isEqualTo(401);
    }

    @Test
    void twoConcurrentRotationsLeaveExactlyOneActiveAndOneNextKey() throws Exception {
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Portal.Response>> calls = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return rotate(adminToken);
                }));
      }
      start.countDown();
      List<Portal.Response> answers = calls.stream().map(CompletableFuture::join).toList();

      assertThat(answers).extracting(Portal.Response::status).containsOnly(200);
      assertThat(answers)
          .extracting(a -> a.json().get("activeKid"))
          .doesNotHaveDuplicates()
          .contains(kidWithStatus("ACTIVE"));
      assertThat(count("SELECT COUNT(*) FROM signing_keys WHERE status = 'ACTIVE'")).isEqualTo(1);
      assertThat(count("SELECT COUNT(*) FROM signing_keys WHERE status = 'NEXT'")).isEqualTo(1);
    }

    @Test
    void aKeyAnotherReplicaJustActivatedIsAcceptedAtOnce() throws Exception {
      String genuine = portal.signIn(newResident()).accessToken();
      // Another replica rotates twice: the key now ACTIVE in the database was made after this
      // replica last read the ring, so its copy does not know it.
      ring.rotateOnce(false);
      String newKid = ring.rotateOnce(false).result().activeKid();
      assertThat(keys.publicJwks().getKeyByKeyId(newKid)).isNull();
      String signedByTheNewKey = resign(genuine, newKid);
      // Unknown kids read the ring at most once per gap; let any earlier test's read age out.
      Thread.sleep(SigningKeys.MISS_RELOAD_GAP.toMillis() + 100);

      assertThat(portal.get("/api/v1/me", signedByTheNewKey).status()).isEqualTo(200);
      assertThat(keys.publicJwks().getKeyByKeyId(newKid)).isNotNull();
      keys.reload();
    }
  }

  @Nested
  class AutomaticRotation {
    @Test
    void rotatesOnceTheActiveKeyHasSignedForTheRotationPeriod() {
      String active = kidWithStatus("ACTIVE");
      rotation.rotateIfDue();
      assertThat(kidWithStatus("ACTIVE")).as("not due yet").isEqualTo(active);

      update(
          "UPDATE signing_keys SET created_at = DATE_SUB(created_at, INTERVAL 31 DAY),"
              + " activated_at = DATE_SUB(activated_at, INTERVAL 31 DAY) WHERE kid = ?",
          active);
      rotation.rotateIfDue();

      assertThat(kidWithStatus("ACTIVE")).isNotEqualTo(active);
      assertThat(statusOf(active)).isEqualTo("RETIRED");
      assertThat(keys.active().getKeyID()).isEqualTo(kidWithStatus("ACTIVE"));
      rotation.rotateIfDue();
      assertThat(count("SELECT COUNT(*) FROM signing_keys WHERE status = 'ACTIVE'")).isEqualTo(1);
    }
  }

  @Nested
  class Storage {
    @Test
    void privateKeysAreStoredEncrypted_andOpenOnlyWithTheRightKek() throws Exception {
      for (String kid : List.of(kidWithStatus("ACTIVE"), kidWithStatus("NEXT"))) {
        byte[][] stored = TestKeys.sealed(kid);
        assertThat(stored[0]).hasSize(12);
        String asText = new String(stored[1], StandardCharsets.ISO_8859_1);
        assertThat(asText).doesNotContain("\"d\"").doesNotContain("\"kty\"");
        assertThat(publicJwkOf(kid)).doesNotContain("\"d\"");

        JWK opened = TestKeys.privateKey(kid);
        assertThat(opened.isPrivate()).isTrue();
        assertThat(opened.toPublicJWK().computeThumbprint())
            .isEqualTo(JWK.parse(publicJwkOf(kid)).computeThumbprint());

        byte[] otherKek = TestKeys.kek().clone();
        otherKek[0] ^= 1;
        assertThatThrownBy(() -> TestKeys.privateKey(kid, otherKek))
            .hasMessageContaining("does not decrypt");
      }
      // The IVs are random per row.
      assertThat(TestKeys.sealed(kidWithStatus("ACTIVE"))[0])
          .isNotEqualTo(TestKeys.sealed(kidWithStatus("NEXT"))[0]);
    }

    @Test
    void importsAPemKeyAsANextKey_once(@TempDir Path dir) throws Exception {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
      Files.writeString(
          dir.resolve("signing-2026-01.pem"),
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(pkcs8)
              + "\n-----END PRIVATE KEY-----\n",
          StandardCharsets.US_ASCII);
      List<JWK> files = KeyFiles.read(dir);
      assertThat(files).hasSize(1);
      String kid = files.get(0).getKeyID();
      assertThat(kid).isEqualTo(files.get(0).computeThumbprint().toString());
      try {
        ring.importKeys(files);
        ring.importKeys(KeyFiles.read(dir));
        keys.reload();

        assertThat(count("SELECT COUNT(*) FROM signing_keys WHERE kid = '" + kid + "'"))
            .isEqualTo(1);
        assertThat(statusOf(kid)).isEqualTo("NEXT");
        assertThat(jwksKids()).contains(kid);
        assertThat(TestKeys.privateKey(kid).toPublicJWK().computeThumbprint().toString())
            .isEqualTo(kid);
      } finally {
        // Leave the ring as other tests expect it: one NEXT key.
        update("DELETE FROM signing_keys WHERE kid = ?", kid);
        keys.reload();
      }
    }
  }

  @Nested
  class RefusedCallers {
    @Test
    void refusesResidentsAndAnonymousCallers() {
      String active = kidWithStatus("ACTIVE");
      String resident = portal.signIn(newResident()).accessToken();

      Portal.Response byResident = rotate(resident);
      assertThat(byResident.status()).isEqualTo(403);
      assertThat(byResident.json()).containsEntry("type", "urn:resident-portal:problem:forbidden");
      assertThat(portal.get("/api/v1/admin/keys", resident).status()).isEqualTo(403);
      Portal.Response anonymous = rotate(null);
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.json())
          .containsEntry("type", "urn:resident-portal:problem:unauthorized");
      assertThat(portal.get("/api/v1/admin/keys", null).status()).isEqualTo(401);
      assertThat(kidWithStatus("ACTIVE")).as("nothing rotated").isEqualTo(active);
    }
  }

  // ---- steps ----

  private Portal.Response rotate(String bearer) {
    return portal.json("POST", "/api/v1/admin/keys/rotate", null, bearer);
  }

  private String newResident() {
    String email = Portal.newEmail();
    portal.signUpAndVerify(email);
    return email;
  }

  private List<String> jwksKids() throws ParseException {
    return JWKSet.parse(portal.get("/oauth2/jwks", null).body()).getKeys().stream()
        .map(JWK::getKeyID)
        .toList();
  }

  private static String kid(String jwt) throws ParseException {
    return SignedJWT.parse(jwt).getHeader().getKeyID();
  }

  /** The genuine token's claims, signed by the ring's key with that kid (from the database). */
  private static String resign(String genuine, String kid) throws ParseException, JOSEException {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder(SignedJWT.parse(genuine).getJWTClaimsSet())
            .jwtID(UUID.randomUUID().toString())
            .issueTime(new Date())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType("at+jwt"))
                .keyID(kid)
                .build(),
            claims);
    jwt.sign(new ECDSASigner(TestKeys.privateKey(kid).toECKey()));
    return jwt.serialize();
  }

  private static String kidWithStatus(String status) {
    return Sql.stringOrNull(
        "SELECT kid FROM signing_keys WHERE status = ? ORDER BY created_at", status);
  }

  private static String statusOf(String kid) {
    return Sql.stringOrNull("SELECT status FROM signing_keys WHERE kid = ?", kid);
  }

  private static String publicJwkOf(String kid) {
    return Sql.stringOrNull("SELECT public_jwk FROM signing_keys WHERE kid = ?", kid);
  }
}
