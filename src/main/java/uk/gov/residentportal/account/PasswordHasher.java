package uk.gov.residentportal.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.inject.Singleton;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import uk.gov.residentportal.web.ProblemException;

/**
 * Argon2id through Password4j (a maintained library with PHC-format hashes), so the parameters
 * travel with each hash and a change of configuration can be detected per password.
 */
@Singleton
final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private static final long WAIT_SECONDS = 10;

  private final Argon2Function current;
  // Package-private for PasswordHasherTest.
  final Semaphore permits;
  // A fixed hash at the current cost, checked when no account matches so that the answer takes as
  // long as for a real account (no enumeration by timing).
  private final String decoy;

  PasswordHasher(PasswordConfig config) {
    this.permits = new Semaphore(config.maxConcurrentHashes(), true);
    this.current =
        Argon2Function.getInstance(
            config.argon2MemoryKib(),
            config.argon2Iterations(),
            config.argon2Parallelism(),
            HASH_BYTES,
            Argon2.ID);
    this.decoy = hash("decoy password never used by anyone");
  }

  String hash(String password) {
    return limited(
        () -> Password.hash(password).addRandomSalt(SALT_BYTES).with(current).getResult());
  }

  /** Verifies with the parameters stored in the hash itself. */
  boolean matches(String password, String storedHash) {
    if (storedHash == null) {
      return false;
    }
    Argon2Function function;
    try {
      function = Argon2Function.getInstanceFromHash(storedHash);
    } catch (RuntimeException malformed) {
      return false;
    }
    // A check costs what a hash costs (the stored parameters' memory and time): same permits.
    return limited(
        () -> {
          try {
            return Password.check(password, storedHash).with(function);
          } catch (RuntimeException malformed) {
            return false;
          }
        });
  }

  /** Runs one Argon2id computation when a permit is free: each holds its memory on the heap. */
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
    try {
      Argon2Function used = Argon2Function.getInstanceFromHash(storedHash);
      return used.getMemory() != current.getMemory()
          || used.getIterations() != current.getIterations()
          || used.getParallelism() != current.getParallelism()
          || used.getVariant() != current.getVariant()
          || used.getOutputLength() != current.getOutputLength();
    } catch (RuntimeException malformed) {
      return true;
    }
  }
}
