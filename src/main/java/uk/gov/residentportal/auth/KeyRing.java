package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.audit.AuditAction;
import uk.gov.residentportal.audit.AuditEvent;
import uk.gov.residentportal.audit.AuditOutcome;
import uk.gov.residentportal.audit.AuditTrail;
import uk.gov.residentportal.web.ProblemException;

/**
 * The rules of the signing-key ring in the database (ADR 0004): one ACTIVE key signs, at least one
 * NEXT key is published before it signs, RETIRED keys stay published until every token they signed
 * has expired. Replicas share the ring; every change is either one statement guarded by the table's
 * constraints (imports, a missing key) or a transaction that only one replica can win (a rotation:
 * the conditional update retiring the ACTIVE key).
 */
@Singleton
class KeyRing {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);

  private final SigningKeyRepository keys;
  private final KeyEncryption encryption;
  private final KeysConfig config;
  private final TokenConfig tokens;
  private final SecureRandom random;
  private final AuditTrail audit;
  private final Clock clock;

  KeyRing(
      SigningKeyRepository keys,
      KeyEncryption encryption,
      KeysConfig config,
      TokenConfig tokens,
      SecureRandom random,
      AuditTrail audit,
      Clock clock) {
    this.keys = keys;
    this.encryption = encryption;
    this.config = config;
    this.tokens = tokens;
    this.random = random;
    this.audit = audit;
    this.clock = clock;
  }

  /** What one attempt at a rotation came to. */
  enum Outcome {
    ROTATED,
    NOT_DUE,
    /** Another transaction retired the ACTIVE key first: read the ring again and decide again. */
    LOST_RACE,
    /** The ring has no ACTIVE key yet. */
    NO_ACTIVE_KEY
  }

  record Attempt(Outcome outcome, @Nullable KeyRotationResult result) {}

  /**
   * Adds keys given as files, unless their kid is in the ring already. New ones are NEXT; when the
   * ring has no ACTIVE key yet, the one that signed before the ring existed becomes ACTIVE.
   */
  void importKeys(List<JWK> files) {
    Instant now = clock.instant();
    for (JWK key : files) {
      String publicJwk = publicForm(key).toJSONString();
      KeyEncryption.Sealed sealed = encryption.seal(key.getKeyID(), key.toJSONString());
      if (keys.insertNextIfAbsent(
              key.getKeyID(), alg(key), publicJwk, sealed.iv(), sealed.ciphertext(), now)
          == 1) {
        LOG.info("signing key kid={} imported from a file", key.getKeyID());
      }
    }
    if (findActive(keys.findAllOrderByCreatedAt()).isEmpty()) {
      KeyFiles.newest(files).ifPresent(key -> activateIfNoneActive(key.getKeyID()));
    }
  }

  /** Makes sure the ring holds an ACTIVE and a NEXT key, generating what is missing if allowed. */
  void complete() {
    List<SigningKey> ring = keys.findAllOrderByCreatedAt();
    if (findActive(ring).isEmpty()) {
      Optional<SigningKey> oldestNext = firstNext(ring);
      if (oldestNext.isPresent()) {
        activateIfNoneActive(oldestNext.get().kid());
      } else {
        requireGeneration("The signing key ring has no key");
        try {
          keys.save(newRow(generate(), SigningKey.Status.ACTIVE));
        } catch (DataAccessException anotherReplicaWasFirst) {
          // The unique active_slot let only one replica's key become ACTIVE; that one signs.
        }
      }
      ring = keys.findAllOrderByCreatedAt();
    }
    if (firstNext(ring).isEmpty()) {
      if (!config.generate()) {
        LOG.warn(
            "the signing key ring has no NEXT key and PORTAL_KEYS_GENERATE is false: add one to"
                + " PORTAL_KEYS_DIR before the next rotation");
        return;
      }
      // Two replicas may both add one here; a second NEXT key is harmless (published, unused).
      keys.save(newRow(generate(), SigningKey.Status.NEXT));
    }
  }

  /**
   * One rotation attempt, in one transaction: ACTIVE to RETIRED (published while its tokens live),
   * the oldest NEXT to ACTIVE, and a new NEXT. With {@code onlyIfDue}, only when the ACTIVE key has
   * signed for the rotation period.
   */
  @Transactional
  Attempt rotateOnce(boolean onlyIfDue) {
    return rotateOnce(onlyIfDue, Actor.system());
  }

  /**
   * One rotation attempt as above; a rotation is audited in its transaction with the new ACTIVE and
   * the retired kid as the event's record ids.
   *
   * @param actor the administrator who asked, or the system for a scheduled rotation
   */
  @Transactional
  Attempt rotateOnce(boolean onlyIfDue, Actor actor) {
    Instant now = clock.instant();
    List<SigningKey> ring = keys.findAllOrderByCreatedAt();
    Optional<SigningKey> active = findActive(ring);
    if (active.isEmpty()) {
      return new Attempt(Outcome.NO_ACTIVE_KEY, null);
    }
    if (onlyIfDue && now.isBefore(active.get().signingSince().plus(config.rotationPeriod()))) {
      return new Attempt(Outcome.NOT_DUE, null);
    }
    SigningKey next = firstNext(ring).orElse(null);
    if (next == null) {
      requireGenerationToRotate();
    }
    Instant publishUntil = now.plus(publishedAfterRetirement());
    // The conditional update is the lock: a second replica's update waits for this transaction
    // and then finds the key RETIRED (0 rows), so only one of them rotates.
    if (keys.retire(active.get().kid(), now, publishUntil) != 1) {
      return new Attempt(Outcome.LOST_RACE, null);
    }
    if (next == null) {
      next = keys.save(newRow(generate(), SigningKey.Status.NEXT));
    }
    if (keys.activate(next.kid(), now) != 1) {
      throw new IllegalStateException("The NEXT signing key changed during a rotation");
    }
    String nextKid = null;
    for (SigningKey other : ring) {
      if (other.status() == SigningKey.Status.NEXT && !other.kid().equals(next.kid())) {
        nextKid = other.kid();
        break;
      }
    }
    if (nextKid == null && config.generate()) {
      nextKid = keys.save(newRow(generate(), SigningKey.Status.NEXT)).kid();
    }
    Duration nextPublishedFor = Duration.between(next.createdAt(), now);
    String warning = null;
    if (nextPublishedFor.compareTo(JwksEndpoint.MAX_AGE) < 0) {
      // Relying parties may hold a cached JWKS without the new ACTIVE key for up to MAX_AGE.
      warning =
          "The new active key was published only "
              + nextPublishedFor.toSeconds()
              + " s ago; relying parties caching the JWKS may refuse its tokens for up to "
              + JwksEndpoint.MAX_AGE.toSeconds()
              + " s.";
    }
    LOG.info(
        "signing keys rotated: active kid={}, retired kid={} (published until {})",
        next.kid(),
        active.get().kid(),
        publishUntil);
    audit.append(
        new AuditEvent(
            AuditAction.ADMIN_KEY_ROTATED,
            AuditOutcome.SUCCESS,
            actor,
            null,
            null,
            null,
            List.of(next.kid(), active.get().kid())));
    return new Attempt(
        Outcome.ROTATED,
        new KeyRotationResult(next.kid(), nextKid, active.get().kid(), publishUntil, warning));
  }

  @Transactional(readOnly = true)
  List<SigningKeyView> view() {
    return keys.findAllOrderByCreatedAt().stream()
        .sorted(Comparator.comparing(SigningKey::status))
        .map(SigningKeyView::of)
        .toList();
  }

  /** Retired keys whose last token has expired; deleted rather than kept as key material. */
  int deleteExpired() {
    return keys.deleteExpired(clock.instant());
  }

  /**
   * How long a retired key stays published: the longest lifetime of anything it signed (access,
   * machine and ID tokens; refresh tokens are opaque), the clock skew we allow, and the reload
   * interval during which another replica may still sign with it before it learns of the rotation.
   */
  Duration publishedAfterRetirement() {
    Duration longest =
        java.util.stream.Stream.of(
                tokens.accessTokenTtl(), tokens.idTokenTtl(), tokens.machineTokenTtl())
            .max(Duration::compareTo)
            .orElseThrow();
    return longest.plus(AccessTokenClaimsValidator.CLOCK_SKEW).plus(config.reloadInterval());
  }

  private void activateIfNoneActive(String kid) {
    try {
      if (keys.activate(kid, clock.instant()) == 1) {
        LOG.info("signing key kid={} is now the ACTIVE key", kid);
      }
    } catch (DataAccessException anotherReplicaWasFirst) {
      // The unique active_slot refused a second ACTIVE key: another replica's choice signs.
    }
  }

  private void requireGeneration(String situation) {
    if (!config.generate()) {
      throw new IllegalStateException(
          situation
              + " and PORTAL_KEYS_GENERATE is false: put the signing keys (PEM or JWK files) in"
              + " PORTAL_KEYS_DIR.");
    }
  }

  private void requireGenerationToRotate() {
    if (!config.generate()) {
      throw new ProblemException.Conflict(
          "There is no NEXT key to activate and PORTAL_KEYS_GENERATE is false: add one to"
              + " PORTAL_KEYS_DIR first.");
    }
  }

  private ECKey generate() {
    try {
      return new ECKeyGenerator(Curve.P_256)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .keyIDFromThumbprint(true)
          .issueTime(Date.from(clock.instant()))
          .secureRandom(random)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot generate a signing key", e);
    }
  }

  private SigningKey newRow(JWK key, SigningKey.Status status) {
    Instant now = clock.instant();
    KeyEncryption.Sealed sealed = encryption.seal(key.getKeyID(), key.toJSONString());
    boolean active = status == SigningKey.Status.ACTIVE;
    return new SigningKey(
        key.getKeyID(),
        alg(key),
        status,
        active ? 1 : null,
        publicForm(key).toJSONString(),
        sealed.iv(),
        sealed.ciphertext(),
        now,
        active ? now : null,
        null,
        null);
  }

  private static Optional<SigningKey> findActive(List<SigningKey> ring) {
    return ring.stream().filter(k -> k.status() == SigningKey.Status.ACTIVE).findFirst();
  }

  /** The NEXT key published longest (the list is in creation order). */
  private static Optional<SigningKey> firstNext(List<SigningKey> ring) {
    return ring.stream().filter(k -> k.status() == SigningKey.Status.NEXT).findFirst();
  }

  private static String alg(JWK key) {
    return key instanceof ECKey ? JWSAlgorithm.ES256.getName() : JWSAlgorithm.RS256.getName();
  }

  /** The public half as published: use "sig" and the algorithm, whatever the file said. */
  private static JWK publicForm(JWK key) {
    if (key instanceof ECKey ec) {
      return new ECKey.Builder(ec.toPublicJWK())
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .build();
    }
    return new RSAKey.Builder(key.toRSAKey().toPublicJWK())
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.RS256)
        .build();
  }
}
