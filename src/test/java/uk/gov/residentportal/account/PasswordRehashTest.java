package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/** Raising the Argon2 cost re-hashes each password at its owner's next sign-in. */
@MicronautTest(transactional = false)
@Property(name = "portal.passwords.argon2-iterations", value = "3")
class PasswordRehashTest {
  @Inject EmbeddedServer server;
  @Inject AccountRepository accounts;

  @Test
  void rehashesAnOlderHashOnSignIn() {
    Portal portal = new Portal(server.getURI());
    String email = Portal.newEmail();
    String id = portal.signUpAndVerify(email);
    String current = accounts.findById(id).orElseThrow().passwordHash();
    String older =
        new PasswordHasher(new PasswordConfig(19456, 2, 1, 4))
            .hash(PasswordPolicy.normalise(Portal.PASSWORD));
    accounts.rehash(id, current, older);

    portal.signIn(email);

    String after = accounts.findById(id).orElseThrow().passwordHash();
    assertThat(after).startsWith("$argon2id$v=19$m=19456,t=3,p=1$").isNotEqualTo(older);
  }
}
