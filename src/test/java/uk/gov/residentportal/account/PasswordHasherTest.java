package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher owasp = new PasswordHasher(new PasswordConfig(19456, 2, 1, 4));

  @Test
  void hashesWithArgon2idAtTheConfiguredCost() {
    String hash = owasp.hash("violet tractor summer lantern");

    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(owasp.matches("violet tractor summer lantern", hash)).isTrue();
    assertThat(owasp.matches("violet tractor summer lanterns", hash)).isFalse();
  }

  @Test
  void saltsEveryHash() {
    assertThat(owasp.hash("same password here")).isNotEqualTo(owasp.hash("same password here"));
  }

  @Test
  void knowsWhenAHashWasMadeWithOtherParameters() {
    String old = owasp.hash("violet tractor summer lantern");
    PasswordHasher stronger = new PasswordHasher(new PasswordConfig(19456, 3, 1, 4));

    assertThat(owasp.needsRehash(old)).isFalse();
    assertThat(stronger.needsRehash(old)).isTrue();
    // The old hash still verifies: its parameters are read from the hash itself.
    assertThat(stronger.matches("violet tractor summer lantern", old)).isTrue();
  }

  @Test
  void verifiesHashesMadeByEarlierReleases_password4j() {
    // Made by Password4j 1.8.4 (releases before issue 7) for "violet tractor summer lantern".
    String earlier =
        "$argon2id$v=19$m=19456,t=2,p=1$m7JeQz7ak511g4miXE1goQ"
            + "$19Bbtvdh2gVTNrqGPUToaV1SF1E3QoXmk+lcFiL0M9M";

    assertThat(owasp.matches("violet tractor summer lantern", earlier)).isTrue();
    assertThat(owasp.matches("violet tractor summer lanterN", earlier)).isFalse();
    assertThat(owasp.needsRehash(earlier)).isFalse();
  }

  @Test
  void hashesThePasswordAsUtf8() {
    String hash = owasp.hash("Łódź naïve café 東京 horse battery");

    assertThat(owasp.matches("Łódź naïve café 東京 horse battery", hash)).isTrue();
    assertThat(owasp.matches("Lodz naive cafe 東京 horse battery", hash)).isFalse();
  }

  @Test
  void knowsAHashOfAnotherLengthOrTypeNeedsRehashing() {
    assertThat(
            owasp.needsRehash(
                "$argon2i$v=19$m=19456,t=2,p=1$m7JeQz7ak511g4miXE1goQ"
                    + "$19Bbtvdh2gVTNrqGPUToaV1SF1E3QoXmk+lcFiL0M9M"))
        .isTrue();
    assertThat(
            owasp.needsRehash(
                "$argon2id$v=19$m=19456,t=2,p=1$m7JeQz7ak511g4miXE1goQ$19Bbtvdh2gVTNrqGPUToaV1SF1E3Q"))
        .isTrue();
  }

  @Test
  void refusesMissingOrMalformedHashes() {
    assertThat(owasp.matches("anything at all", null)).isFalse();
    assertThat(owasp.matches("anything at all", "not a hash")).isFalse();
    assertThat(owasp.needsRehash("not a hash")).isTrue();
    assertThat(owasp.needsRehash(null)).isTrue();
    assertThat(owasp.matches("anything at all", "$argon2id$v=19$m=19456,t=2,p=1$!!$!!")).isFalse();
  }

  @Test
  void queuesHashesBeyondTheConcurrencyLimitInsteadOfFailing() throws Exception {
    PasswordHasher one = new PasswordHasher(new PasswordConfig(19456, 2, 1, 1));
    String hash = one.hash("violet tractor summer lantern");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      var results =
          pool.invokeAll(
              java.util.Collections.nCopies(
                  3,
                  (java.util.concurrent.Callable<Boolean>)
                      () -> one.matches("violet tractor summer lantern", hash)));
      for (var result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCheckWaitsForAPermitLikeAHash() throws Exception {
    PasswordHasher one = new PasswordHasher(new PasswordConfig(19456, 2, 1, 1));
    String hash = one.hash("violet tractor summer lantern");
    java.util.concurrent.ExecutorService caller =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    one.permits.acquire();
    try {
      java.util.concurrent.CompletableFuture<Boolean> check =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> one.matches("violet tractor summer lantern", hash), caller);
      try {
        Thread.sleep(500);
        assertThat(check).as("checked without a permit").isNotDone();
      } finally {
        one.permits.release();
      }
      assertThat(check.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } finally {
      caller.shutdownNow();
    }
  }
}
