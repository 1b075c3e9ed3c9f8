package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.gov.residentportal.support.Portal;

/** Names and addresses end up in emails the council sends: only real ones are taken. */
@MicronautTest(transactional = false)
class SignUpInputRulesTest {
  @Inject EmbeddedServer server;

  private Portal.Response signUp(String email, String givenName) {
    return new Portal(server.getURI())
        .json(
            "POST",
            "/api/v1/accounts",
            "{\"email\":\""
                + email
                + "\",\"password\":\""
                + Portal.PASSWORD
                + "\",\"givenName\":\""
                + givenName
                + "\",\"familyName\":\"Smith\"}",
            null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"O'Brien-Smith", "Zoë", "José María", "St. John", "Nguyễn", "D’Arcy"})
  void acceptsRealNames(String name) {
    assertThat(signUp(Portal.newEmail(), name).status()).isEqualTo(201);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Visit https://evil.example", "Ada1", "<b>Ada</b>", "pay@now", "-Ada"})
  void refusesNamesThatAreNotNames(String name) {
    Portal.Response response = signUp(Portal.newEmail(), name);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json()).containsEntry("type", "urn:resident-portal:problem:validation");
    assertThat(response.body()).contains("\"field\":\"givenName\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ann@my_domain.uk", "ann@exa mple.org", "ann..b@example.org"})
  void refusesAddressesMailCannotBeSentTo(String email) {
    Portal.Response response = signUp(email, "Ann");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("\"field\":\"email\"");
  }
}
