package uk.gov.residentportal.account;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Argon2id cost. Defaults are OWASP's (m=19 MiB, t=2, p=1); raising them re-hashes each password at
 * its owner's next sign-in. Each hash holds {@code argon2-memory-kib} of memory while it runs, so
 * at most {@code max-concurrent-hashes} run at once; a request that waits too long for one is
 * answered 503 instead of exhausting memory.
 */
@ConfigurationProperties("portal.passwords")
record PasswordConfig(
    @Min(value = 8192, message = "portal.passwords.argon2-memory-kib must be at least {value}")
        @Max(
            value = 1048576,
            message = "portal.passwords.argon2-memory-kib must be at most {value}")
        int argon2MemoryKib,
    @Min(value = 1, message = "portal.passwords.argon2-iterations must be at least {value}")
        @Max(value = 20, message = "portal.passwords.argon2-iterations must be at most {value}")
        int argon2Iterations,
    @Min(value = 1, message = "portal.passwords.argon2-parallelism must be at least {value}")
        @Max(value = 16, message = "portal.passwords.argon2-parallelism must be at most {value}")
        int argon2Parallelism,
    @Min(value = 1, message = "portal.passwords.max-concurrent-hashes must be at least {value}")
        @Max(
            value = 256,
            message = "portal.passwords.max-concurrent-hashes must be at most {value}")
        int maxConcurrentHashes) {}
