package uk.gov.residentportal.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.inject.Singleton;

/**
 * Argon2id through Password4j (a maintained library with PHC-format hashes), so the parameters
 * travel with each hash and a change of configuration can be detected per password.
 */
@Singleton
final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final Argon2Function current;
  // A fixed hash at the current cost, checked when no account matches so that the answer takes as
  // long as for a real account (no enumeration by timing).
  private final String decoy;

  PasswordHasher(PasswordConfig config) {
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
    return Password.hash(password).addRandomSalt(SALT_BYTES).with(current).getResult();
  }

  /** Verifies with the parameters stored in the hash itself. */
  boolean matches(String password, String storedHash) {
    if (storedHash == null) {
      return false;
    }
    try {
      return Password.check(password, storedHash)
          .with(Argon2Function.getInstanceFromHash(storedHash));
    } catch (RuntimeException malformed) {
      return false;
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
