package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PORTAL_MACHINE_TOKEN_TTL outside 5 to 10 minutes stops the service with a clear message. */
class TokenConfigTest {
  private static TokenConfig withMachineTokenTtl(Duration ttl) {
    return new TokenConfig(
        Duration.ofMinutes(10),
        Duration.ofMinutes(10),
        Duration.ofDays(30),
        Duration.ofSeconds(60),
        ttl);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT5M", "PT7M30S", "PT10M"})
  void acceptsFiveToTenMinutes(String ttl) {
    assertThat(withMachineTokenTtl(Duration.parse(ttl)).machineTokenTtl())
        .isEqualTo(Duration.parse(ttl));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT4M59S", "PT10M1S", "PT1H", "PT0S"})
  void refusesAnythingElse_namingTheSetting(String ttl) {
    assertThatThrownBy(() -> withMachineTokenTtl(Duration.parse(ttl)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PORTAL_MACHINE_TOKEN_TTL");
  }
}
