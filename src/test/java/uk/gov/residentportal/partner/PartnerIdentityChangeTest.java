package uk.gov.residentportal.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.partner.PartnerSteps.NOT_FOUND;
import static uk.gov.residentportal.partner.PartnerSteps.PARTNER_RX1;
import static uk.gov.residentportal.partner.PartnerSteps.PARTNER_RX2;
import static uk.gov.residentportal.partner.PartnerSteps.RESIDENTS;
import static uk.gov.residentportal.partner.PartnerSteps.RX1;
import static uk.gov.residentportal.partner.PartnerSteps.RX2;
import static uk.gov.residentportal.partner.PartnerSteps.assertProblem;
import static uk.gov.residentportal.partner.PartnerSteps.consent;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.partner.PartnerSteps.Resident;
import uk.gov.residentportal.records.DocumentStore;
import uk.gov.residentportal.records.RecordIngestion;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/**
 * An organisation's id for a resident stands for the NHS number and date of birth it matched: when
 * the resident changes either, or erases the account, every organisation's id stops working.
 */
@MicronautTest(transactional = false)
class PartnerIdentityChangeTest {
  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;
  @Inject DocumentStore store;

  Portal portal;
  PartnerSteps steps;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new PartnerSteps(portal, ingestion, store);
    PartnerSteps.activeOrganisations();
  }

  private Portal.Response patchMe(Portal.Tokens tokens, String json) {
    return portal.json("PATCH", "/api/v1/me", json, tokens.accessToken());
  }

  private Portal.Response records(String clientId, String id) {
    return steps.call(clientId, RESIDENTS + "/" + id + "/records");
  }

  private static long partnerIds(String accountId) {
    return Sql.count("SELECT COUNT(*) FROM partner_residents WHERE account_id = ?", accountId);
  }

  @Test
  void aChangedNhsNumberEndsEveryOrganisationsIdAndANewLookupGivesANewOne() {
    Resident resident = steps.resident("P1");
    consent(resident.accountId(), RX1, "HOUSING");
    consent(resident.accountId(), RX2, "HOUSING");
    String id = steps.partnerId(PARTNER_RX1, resident);
    String rx2Id = steps.partnerId(PARTNER_RX2, resident);
    assertThat(records(PARTNER_RX1, id).status()).isEqualTo(200);
    assertThat(steps.call(PARTNER_RX1, "/fhir/r4/Patient/" + id).status()).isEqualTo(200);
    Portal.Tokens tokens = portal.signIn(resident.email());
    String newNhs = PartnerSteps.newNhsNumber();

    Portal.Response changed = patchMe(tokens, "{\"nhsNumber\":\"" + newNhs + "\"}");

    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertProblem(records(PARTNER_RX1, id), 404, NOT_FOUND);
    assertProblem(records(PARTNER_RX2, rx2Id), 404, NOT_FOUND);
    Portal.Response fhir = steps.call(PARTNER_RX1, "/fhir/r4/Patient/" + id);
    assertThat(fhir.status()).isEqualTo(404);
    assertThat(fhir.body()).contains("RESOURCE_NOT_FOUND");
    assertThat(partnerIds(resident.accountId())).isZero();
    // The old number finds no one; the new one finds the resident under a new id.
    assertThat(steps.lookup(PARTNER_RX1, resident).status()).isEqualTo(404);
    Resident renumbered =
        new Resident(resident.accountId(), resident.email(), newNhs, resident.birthDate());
    String newId = steps.partnerId(PARTNER_RX1, renumbered);
    assertThat(newId).isNotEqualTo(id);
    assertThat(records(PARTNER_RX1, newId).status()).isEqualTo(200);
    // The resident stays signed in: an identity change is not a credential change.
    assertThat(portal.get("/api/v1/me", tokens.accessToken()).status()).isEqualTo(200);
    assertThat(portal.refresh(tokens.refreshToken()).status()).isEqualTo(200);
  }

  @Test
  void aChangedDateOfBirthEndsTheIdButAChangedPostcodeDoesNot() {
    Resident resident = steps.resident("P1");
    consent(resident.accountId(), RX1, "HOUSING");
    String id = steps.partnerId(PARTNER_RX1, resident);
    Portal.Tokens tokens = portal.signIn(resident.email());

    assertThat(patchMe(tokens, "{\"postcode\":\"LE2 7DR\"}").status()).isEqualTo(200);
    assertThat(records(PARTNER_RX1, id).status()).isEqualTo(200);
    // The same NHS number sent again is no change either.
    assertThat(patchMe(tokens, "{\"nhsNumber\":\"" + resident.nhsNumber() + "\"}").status())
        .isEqualTo(200);
    assertThat(records(PARTNER_RX1, id).status()).isEqualTo(200);

    String birthDate = resident.birthDate().minusDays(1).toString();
    assertThat(patchMe(tokens, "{\"dateOfBirth\":\"" + birthDate + "\"}").status()).isEqualTo(200);

    assertProblem(records(PARTNER_RX1, id), 404, NOT_FOUND);
    assertThat(partnerIds(resident.accountId())).isZero();
  }

  @Test
  void erasureForgetsEveryOrganisationsId() {
    Resident resident = steps.resident("P1");
    consent(resident.accountId(), RX1, "HOUSING");
    String id = steps.partnerId(PARTNER_RX1, resident);
    Portal.Tokens tokens = portal.signIn(resident.email());

    Portal.Response erased =
        portal.json(
            "DELETE",
            "/api/v1/me",
            "{\"password\":\"" + Portal.PASSWORD + "\"}",
            tokens.accessToken());

    assertThat(erased.status()).as(erased.body()).isIn(200, 204);
    assertThat(partnerIds(resident.accountId())).isZero();
    assertProblem(records(PARTNER_RX1, id), 404, NOT_FOUND);
  }
}
