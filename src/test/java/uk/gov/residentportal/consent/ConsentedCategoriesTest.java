package uk.gov.residentportal.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.consent.ConsentSteps.Resident;
import uk.gov.residentportal.support.Portal;

/**
 * What partners' requests are checked against: {@link ConsentService#consentedCategories}, after
 * consents granted and withdrawn over the resident API.
 */
@MicronautTest(transactional = false)
class ConsentedCategoriesTest {
  @Inject EmbeddedServer server;
  @Inject ConsentService consentService;

  ConsentSteps steps;
  Resident resident;
  String trust;
  String practice;

  @BeforeEach
  void setUp() {
    steps = new ConsentSteps(new Portal(server.getURI()));
    resident = steps.resident();
    trust = ConsentSteps.organisation("Leicester trust", true);
    practice = ConsentSteps.organisation("Oakham practice", true);
  }

  private java.util.Set<String> categoriesFor(String ods) {
    return consentService.consentedCategories(resident.id(), ods, Purpose.DIRECT_CARE);
  }

  @Test
  void isEmptyWithoutConsent() {
    assertThat(categoriesFor(trust)).isEmpty();
  }

  @Test
  void joinsConsentsForAllNhsPartnersWithThoseForTheOrganisation() {
    steps.granted(resident.token(), "ALL_NHS", "HOUSING");
    steps.granted(resident.token(), trust, "BENEFITS", "HOUSING");
    steps.granted(resident.token(), trust, "SOCIAL_CARE");

    assertThat(categoriesFor(trust)).containsExactly("BENEFITS", "HOUSING", "SOCIAL_CARE");
  }

  @Test
  void ignoresConsentsForAnotherOrganisation() {
    steps.granted(resident.token(), practice, "SOCIAL_CARE");
    steps.granted(resident.token(), "ALL_NHS", "WASTE");

    assertThat(categoriesFor(trust)).containsExactly("WASTE");
    assertThat(categoriesFor(practice)).containsExactly("SOCIAL_CARE", "WASTE");
  }

  @Test
  void coversOtherCareProvidersOnlyWithAConsentNamingThem() {
    String careHome = ConsentSteps.organisation("Rutland care home", "OTHER_CARE_PROVIDER", true);
    steps.granted(resident.token(), "ALL_NHS", "HOUSING");
    assertThat(categoriesFor(careHome)).isEmpty();
    assertThat(categoriesFor(trust)).containsExactly("HOUSING");

    steps.granted(resident.token(), careHome, "SOCIAL_CARE");
    assertThat(categoriesFor(careHome)).containsExactly("SOCIAL_CARE");
  }

  @Test
  void ignoresWithdrawnConsentsFromTheNextCallOn() {
    String all = (String) steps.granted(resident.token(), "ALL_NHS", "HOUSING").get("id");
    String own = (String) steps.granted(resident.token(), trust, "BENEFITS").get("id");
    assertThat(categoriesFor(trust)).containsExactly("BENEFITS", "HOUSING");

    assertThat(steps.withdraw(resident.token(), all).status()).isEqualTo(204);
    assertThat(categoriesFor(trust)).containsExactly("BENEFITS");

    assertThat(steps.withdraw(resident.token(), own).status()).isEqualTo(204);
    assertThat(categoriesFor(trust)).isEmpty();
  }

  @Test
  void ignoresOtherResidentsConsents() {
    Resident other = steps.resident();
    steps.granted(other.token(), "ALL_NHS", "HOUSING");

    assertThat(categoriesFor(trust)).isEmpty();
  }
}
