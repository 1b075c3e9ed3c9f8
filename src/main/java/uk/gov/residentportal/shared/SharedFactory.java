package uk.gov.residentportal.shared;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;

/** Time and randomness come from beans so tests can fix them (STYLE.md). */
@Factory
final class SharedFactory {

  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Singleton
  SecureRandom secureRandom() {
    return new SecureRandom();
  }
}
