package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.PortalConfig;

/**
 * The keys that sign our tokens. Reads every {@code *.json} (a private JWK) and {@code *.pem} (a
 * PEM private key) in the key folder; the newest key signs, all of them verify and are published.
 * Keys are EC P-256 (ES256) or RSA (RS256); generated keys are EC P-256. To rotate PEM keys, add
 * the next key under a name that sorts last.
 */
@Singleton
final class SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

  private final Path dir;
  private final boolean generate;
  private final Clock clock;
  private volatile Loaded loaded;

  SigningKeys(KeysConfig config, PortalConfig portal, Clock clock) {
    this.dir =
        PortalConfig.isSet(config.dir())
            ? Path.of(config.dir())
            : Path.of(portal.dataDir()).resolve("keys");
    this.generate = config.generate();
    this.clock = clock;
  }

  /** The key new tokens are signed with. */
  JWK active() {
    return loaded().active;
  }

  /** A key by its {@code kid}, for verification. */
  Optional<JWK> byKid(String kid) {
    return loaded().all.stream().filter(k -> k.getKeyID().equals(kid)).findFirst();
  }

  /** The public JWKS: every key, public parts only. */
  JWKSet publicJwks() {
    return loaded().publicSet;
  }

  private Loaded loaded() {
    Loaded current = loaded;
    if (current == null) {
      synchronized (this) {
        current = loaded;
        if (current == null) {
          current = load();
          loaded = current;
        }
      }
    }
    return current;
  }

  private Loaded load() {
    List<JWK> keys = read();
    if (keys.isEmpty()) {
      if (!generate) {
        throw new IllegalStateException(
            "No signing keys in " + dir + " and PORTAL_KEYS_GENERATE is false: mount the keys.");
      }
      keys = List.of(generateInto());
    }
    // The newest issue time signs; ties (PEM files) go to the last in file-name order.
    JWK active = keys.get(0);
    for (JWK key : keys) {
      if (!issued(key).before(issued(active))) {
        active = key;
      }
    }
    JWKSet publicSet = new JWKSet(keys.stream().map(JWK::toPublicJWK).toList());
    LOG.info("signing keys loaded: {} key(s), active kid={}", keys.size(), active.getKeyID());
    return new Loaded(active, List.copyOf(keys), publicSet);
  }

  private static Date issued(JWK key) {
    return Optional.ofNullable(key.getIssueTime()).orElse(new Date(0));
  }

  private List<JWK> read() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<JWK> keys = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
          // A mounted Kubernetes secret holds ..data and ..<timestamp> entries; its files are
          // symlinks into them, which the reads below follow.
          continue;
        }
        if (name.endsWith(".json")) {
          keys.add(usable(JWK.parse(Files.readString(file, StandardCharsets.UTF_8)), file));
        } else if (name.endsWith(".pem")) {
          keys.add(usable(fromPem(Files.readString(file, StandardCharsets.US_ASCII), file), file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read signing keys from " + dir, e);
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("A signing key in " + dir + " cannot be read", e);
    }
    return keys;
  }

  private static JWK fromPem(String pem, Path file) throws JOSEException, IOException {
    JWK parsed = JWK.parseFromPEMEncodedObjects(pem);
    // PEM carries no issue time, and a mounted secret's file times are arbitrary: PEM keys count as
    // issued at the epoch, and among them the last file name in sort order signs.
    Date issued = new Date(0);
    if (parsed instanceof ECKey ec) {
      return new ECKey.Builder(ec).keyIDFromThumbprint().issueTime(issued).build();
    }
    if (parsed instanceof RSAKey rsa) {
      return new RSAKey.Builder(rsa).keyIDFromThumbprint().issueTime(issued).build();
    }
    throw new IllegalStateException("Unsupported key type in " + file);
  }

  private static JWK usable(JWK key, Path file) {
    if (!key.isPrivate()) {
      throw new IllegalStateException(file + " holds no private key");
    }
    if (key.getKeyID() == null) {
      throw new IllegalStateException(file + " has no kid");
    }
    if (key instanceof ECKey ec && !Curve.P_256.equals(ec.getCurve())) {
      throw new IllegalStateException(file + ": EC keys must be on P-256 (ES256)");
    }
    if (key instanceof RSAKey rsa && rsa.size() < 2048) {
      throw new IllegalStateException(file + ": RSA keys must be at least 2048 bits");
    }
    return key;
  }

  private JWK generateInto() {
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_256)
              .keyUse(KeyUse.SIGNATURE)
              .keyIDFromThumbprint(true)
              .issueTime(Date.from(clock.instant()))
              .generate();
      Files.createDirectories(dir);
      Path target = dir.resolve(key.getKeyID() + ".json");
      Path temp = Files.createTempFile(dir, ".key", ".tmp");
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Best effort on file systems without POSIX permissions.
      }
      Files.writeString(temp, key.toJSONString(), StandardCharsets.UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      LOG.info("generated a new signing key kid={} in {}", key.getKeyID(), dir);
      return key;
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot generate a signing key", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a signing key to " + dir, e);
    }
  }

  private record Loaded(JWK active, List<JWK> all, JWKSet publicSet) {}
}
