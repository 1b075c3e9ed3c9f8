package uk.gov.residentportal.auth;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import uk.gov.residentportal.shared.SecretBox;

/** Other features seal their secrets under the signing keys' key-encryption key. */
@Factory
class SecretBoxFactory {
  @Singleton
  SecretBox secretBox(KeyEncryption encryption) {
    return encryption.box();
  }
}
