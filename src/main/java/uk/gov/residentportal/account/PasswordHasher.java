package uk.gov.residentportal.account;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.gov.residentportal.web.ProblemException;

/**
 * Argon2id through argon2-jvm: the PHC reference implementation (libargon2, native, through JNA),
 * with PHC-format hashes ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}), so the parameters travel
 * with each hash and a change of configuration can be detected per password. Hashes made earlier by
 * Password4j are the same strings and verify unchanged. The working memory is native and freed
 * after each hash: no garbage for the JVM's collector (docs/PERFORMANCE.md).
 */
@Singleton
final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private static final long WAIT_SECONDS = 10;

  // $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, base64 without padding.
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

  private final Argon2Advanced argon2 =
      Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id, SALT_BYTES, HASH_BYTES);
  private final PasswordConfig config;
  // Package-private for PasswordHasherTest.
  final Semaphore permits;
  // A fixed hash at the current cost, checked when no account matches so that the answer takes as
  // long as for a real account (no enumeration by timing).
  private final String decoy;

  PasswordHasher(PasswordConfig config) {
    this.permits = new Semaphore(config.maxConcurrentHashes(), true);
    this.config = config;
    this.decoy = hash("decoy password never used by anyone");
  }

  String hash(String password) {
    return limited(
        () -> {
          char[] chars = password.toCharArray();
          try {
            return argon2.hash(
                config.argon2Iterations(),
                config.argon2MemoryKib(),
                config.argon2Parallelism(),
                chars,
                StandardCharsets.UTF_8);
          } finally {
            argon2.wipeArray(chars);
          }
        });
  }

  /** Verifies with the parameters stored in the hash itself. */
  boolean matches(String password, String storedHash) {
    if (storedHash == null) {
      return false;
    }
    if (!PHC.matcher(storedHash).matches()) {
      return false;
    }
    // A check costs what a hash costs (the stored parameters' memory and time): same permits.
    return limited(
        () -> {
          char[] chars = password.toCharArray();
          try {
            return argon2.verify(storedHash, chars, StandardCharsets.UTF_8);
          } catch (RuntimeException malformed) {
            return false;
          } finally {
            argon2.wipeArray(chars);
          }
        });
  }

  /** Runs one Argon2id computation when a permit is free: each holds its working memory. */
  private <T> T limited(Supplier<T> work) {
    boolean acquired;
    try {
      acquired = permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProblemException.Busy("The service is busy. Try again in a few seconds.");
    }
    if (!acquired) {
      throw new ProblemException.Busy("The service is busy. Try again in a few seconds.");
    }
    try {
      return work.get();
    } finally {
      permits.release();
    }
  }

  /** Spends the same time as a real check, for callers that have no account to check against. */
  void burnTime(String password) {
    matches(password, decoy);
  }

  /** True when the hash was made with other parameters than the configured ones. */
  boolean needsRehash(String storedHash) {
    Matcher phc = storedHash == null ? null : PHC.matcher(storedHash);
    if (phc == null || !phc.matches()) {
      return true;
    }
    try {
      return Integer.parseInt(phc.group(1)) != config.argon2MemoryKib()
          || Integer.parseInt(phc.group(2)) != config.argon2Iterations()
          || Integer.parseInt(phc.group(3)) != config.argon2Parallelism()
          || Base64.getDecoder().decode(phc.group(5)).length != HASH_BYTES;
    } catch (IllegalArgumentException malformed) {
      return true;
    }
  }
}
