package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's copy of the key ring (ADR 0004): the ACTIVE key signs, every published key (NEXT,
 * ACTIVE, and RETIRED until its {@code publish_until}) verifies and is in the JWKS. The ring lives
 * in the database; the copy is read again every {@code PORTAL_KEYS_RELOAD_INTERVAL}, right after
 * this replica rotates, and when a token names a kid the copy does not know (another replica may
 * just have rotated).
 */
@Singleton
final class SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  // A kid we do not know reads the ring again at most this often, so tokens with made-up kids
  // cannot turn into a database query each.
  static final Duration MISS_RELOAD_GAP = Duration.ofSeconds(1);

  private final SigningKeyRepository repository;
  private final KeyEncryption encryption;
  private final Clock clock;
  private volatile Loaded loaded;
  private Instant lastMissReload = Instant.EPOCH;

  SigningKeys(SigningKeyRepository repository, KeyEncryption encryption, Clock clock) {
    this.repository = repository;
    this.encryption = encryption;
    this.clock = clock;
  }

  /** The key new tokens are signed with, private parts included. */
  JWK active() {
    return loaded().active;
  }

  /** A published key by its {@code kid}, for verification. */
  Optional<JWK> byKid(String kid) {
    Optional<JWK> key = published(loaded(), kid);
    if (key.isPresent()) {
      return key;
    }
    synchronized (this) {
      Loaded current = loaded();
      Instant now = clock.instant();
      if (Duration.between(lastMissReload, now).compareTo(MISS_RELOAD_GAP) >= 0) {
        lastMissReload = now;
        current = reload();
      }
      return published(current, kid);
    }
  }

  /**
   * Whether one of our published keys signed {@code jwt}, with the algorithm that key is for (ES256
   * for EC, RS256 for RSA): no algorithm confusion (RFC 8725 section 3.1), no {@code none}, no
   * HMAC.
   */
  boolean signedByUs(SignedJWT jwt) throws JOSEException {
    String kid = jwt.getHeader().getKeyID();
    Optional<JWK> key = kid == null ? Optional.empty() : byKid(kid);
    if (key.isEmpty()) {
      return false;
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    JWSVerifier verifier;
    if (key.get() instanceof ECKey ec && JWSAlgorithm.ES256.equals(alg)) {
      verifier = new ECDSAVerifier(ec.toECPublicKey());
    } else if (key.get() instanceof RSAKey rsa && JWSAlgorithm.RS256.equals(alg)) {
      verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
    } else {
      return false;
    }
    return jwt.verify(verifier);
  }

  /** The public JWKS: every published key, public parts only. */
  JWKSet publicJwks() {
    Instant now = clock.instant();
    return new JWKSet(
        loaded().keys.stream().filter(k -> k.publishedAt(now)).map(PublicKey::jwk).toList());
  }

  /** Reads the ring from the database again. */
  synchronized Loaded reload() {
    List<SigningKey> rows = repository.findAllOrderByCreatedAt();
    JWK active = null;
    List<PublicKey> keys = new ArrayList<>();
    try {
      for (SigningKey row : rows) {
        keys.add(new PublicKey(JWK.parse(row.publicJwk()), row.publishUntil()));
        if (row.status() == SigningKey.Status.ACTIVE) {
          active =
              JWK.parse(encryption.open(row.kid(), row.privateJwkIv(), row.privateJwkSealed()));
        }
      }
    } catch (ParseException e) {
      throw new IllegalStateException("A signing key in the database cannot be read", e);
    }
    if (active == null) {
      throw new IllegalStateException("The signing key ring has no ACTIVE key yet");
    }
    Loaded fresh = new Loaded(clock.instant(), active, List.copyOf(keys));
    Loaded previous = loaded;
    if (previous == null || !previous.active.getKeyID().equals(active.getKeyID())) {
      LOG.info("signing keys loaded: {} key(s), active kid={}", keys.size(), active.getKeyID());
    }
    loaded = fresh;
    return fresh;
  }

  private Loaded loaded() {
    Loaded current = loaded;
    return current != null ? current : reload();
  }

  private Optional<JWK> published(Loaded current, String kid) {
    Instant now = clock.instant();
    return current.keys.stream()
        .filter(k -> k.jwk.getKeyID().equals(kid) && k.publishedAt(now))
        .map(PublicKey::jwk)
        .findFirst();
  }

  /** A key's public half and, once retired, the end of its publication. */
  private record PublicKey(JWK jwk, @Nullable Instant publishUntil) {
    boolean publishedAt(Instant now) {
      return publishUntil == null || now.isBefore(publishUntil);
    }
  }

  record Loaded(Instant at, JWK active, List<PublicKey> keys) {}
}
