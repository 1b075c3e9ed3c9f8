package uk.gov.residentportal.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.partner.PartnerSteps.PARTNER_RX1;
import static uk.gov.residentportal.partner.PartnerSteps.PARTNER_RX2;
import static uk.gov.residentportal.partner.PartnerSteps.RESIDENTS;
import static uk.gov.residentportal.partner.PartnerSteps.RX1;
import static uk.gov.residentportal.partner.PartnerSteps.RX2;
import static uk.gov.residentportal.partner.PartnerSteps.assertInvalidField;
import static uk.gov.residentportal.partner.PartnerSteps.auditOf;
import static uk.gov.residentportal.partner.PartnerSteps.audits;
import static uk.gov.residentportal.partner.PartnerSteps.consent;
import static uk.gov.residentportal.partner.PartnerSteps.link;
import static uk.gov.residentportal.partner.PartnerSteps.newSubject;
import static uk.gov.residentportal.partner.PartnerSteps.notFoundBody;
import static uk.gov.residentportal.partner.PartnerSteps.withdraw;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.partner.PartnerSteps.Resident;
import uk.gov.residentportal.records.DocumentStore;
import uk.gov.residentportal.records.RecordIngestion;
import uk.gov.residentportal.support.Portal;

/** A partner reading a resident's records and documents: shareable, consented, audited. */
@MicronautTest(transactional = false)
class PartnerRecordsTest {
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

  /** A P1 resident linked to one council tax account with records of several kinds. */
  private record Case(
      Resident resident,
      String housing,
      String housingHidden,
      String councilTax,
      String benefits,
      String consentId) {}

  private Case aCase() {
    Resident resident = steps.resident("P1");
    String subject = newSubject();
    String housing = steps.record(subject, "HOUSING", true, 3);
    String housingHidden = steps.record(subject, "HOUSING", false, 4);
    String councilTax = steps.record(subject, "COUNCIL_TAX", true, 2);
    String benefits = steps.record(subject, "BENEFITS", true, 1);
    steps.record(newSubject(), "HOUSING", true, 5); // someone else's
    link(resident.accountId(), subject);
    String consentId = consent(resident.accountId(), RX1, "HOUSING", "COUNCIL_TAX");
    return new Case(resident, housing, housingHidden, councilTax, benefits, consentId);
  }

  @SuppressWarnings("unchecked")
  private static List<String> ids(Portal.Response page) {
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    return ((List<Map<String, Object>>) page.json().get("records"))
        .stream().map(r -> (String) r.get("id")).toList();
  }

  @Test
  void listsOnlyShareableRecordsInConsentedCategoriesAndAuditsTheirIds() {
    Case c = aCase();
    String id = steps.partnerId(PARTNER_RX1, c.resident());
    String requestId = UUID.randomUUID().toString();

    Portal.Response page =
        portal.get(
            RESIDENTS + "/" + id + "/records", steps.token(PARTNER_RX1), "X-Request-ID", requestId);

    // Not the record the council did not mark shareable, not BENEFITS (no consent for it).
    assertThat(ids(page)).containsExactly(c.housing(), c.councilTax());
    assertThat(auditOf(requestId))
        .isEqualTo(
            "PARTNER_RECORDS_READ SUCCESS RX1 DIRECT_CARE "
                + c.resident().accountId()
                + " "
                + c.housing()
                + " "
                + c.councilTax());
  }

  @Test
  void filtersByCategoryAndGivesNothingForACategoryNotShared() {
    Case c = aCase();
    String records = RESIDENTS + "/" + steps.partnerId(PARTNER_RX1, c.resident()) + "/records";

    assertThat(ids(steps.call(PARTNER_RX1, records + "?category=COUNCIL_TAX")))
        .containsExactly(c.councilTax());
    assertThat(ids(steps.call(PARTNER_RX1, records + "?category=BENEFITS"))).isEmpty();
    assertInvalidField(steps.call(PARTNER_RX1, records + "?category=NOPE"), "category");
  }

  @Test
  void pagesWithACursor() {
    Case c = aCase();
    String records = RESIDENTS + "/" + steps.partnerId(PARTNER_RX1, c.resident()) + "/records";

    Portal.Response first = steps.call(PARTNER_RX1, records + "?limit=1");
    assertThat(ids(first)).containsExactly(c.housing());
    String cursor = (String) first.json().get("nextCursor");
    Portal.Response second = steps.call(PARTNER_RX1, records + "?limit=1&cursor=" + cursor);
    assertThat(ids(second)).containsExactly(c.councilTax());
    assertThat(second.json()).doesNotContainKey("nextCursor");
  }

  @Test
  void consentForAnotherCategoryShowsOnlyThatCategory() {
    Case c = aCase();
    consent(c.resident().accountId(), RX2, "BENEFITS");
    String id = steps.partnerId(PARTNER_RX2, c.resident());

    assertThat(ids(steps.call(PARTNER_RX2, RESIDENTS + "/" + id + "/records")))
        .containsExactly(c.benefits());
    assertThat(steps.call(PARTNER_RX2, RESIDENTS + "/" + id + "/records/" + c.housing()).status())
        .isEqualTo(404);
  }

  @Test
  void refusesTheNextRequestOnceConsentIsWithdrawn() {
    Case c = aCase();
    String records = RESIDENTS + "/" + steps.partnerId(PARTNER_RX1, c.resident()) + "/records";
    assertThat(ids(steps.call(PARTNER_RX1, records))).hasSize(2);

    withdraw(c.consentId());

    Portal.Response refused = steps.call(PARTNER_RX1, records);
    notFoundBody(refused);
    assertThat(audits("PARTNER_RECORDS_READ", "NOT_FOUND", PARTNER_RX1, c.resident().accountId()))
        .isEqualTo(1);
    assertThat(steps.lookup(PARTNER_RX1, c.resident()).status()).isEqualTo(404);
  }

  @Test
  void anotherOrganisationsIdFindsNothing() {
    Case c = aCase();
    consent(c.resident().accountId(), RX2, "HOUSING");
    String rx1Id = steps.partnerId(PARTNER_RX1, c.resident());

    Portal.Response other = steps.call(PARTNER_RX2, RESIDENTS + "/" + rx1Id + "/records");
    Portal.Response unknown =
        steps.call(PARTNER_RX2, RESIDENTS + "/" + UUID.randomUUID() + "/records");
    Portal.Response garbage = steps.call(PARTNER_RX2, RESIDENTS + "/not-an-id/records");

    assertThat(notFoundBody(other))
        .isEqualTo(notFoundBody(unknown))
        .isEqualTo(notFoundBody(garbage));
  }

  @Test
  void readsARecordWithItsDocumentsAndDownloadsOne() {
    Case c = aCase();
    String doc = steps.document(c.housing(), "tenancy letter.txt", "Dear resident");
    String id = steps.partnerId(PARTNER_RX1, c.resident());
    String record = RESIDENTS + "/" + id + "/records/" + c.housing();

    Portal.Response detail = steps.call(PARTNER_RX1, record);
    assertThat(detail.status()).as(detail.body()).isEqualTo(200);
    assertThat(detail.json()).containsEntry("id", c.housing()).containsEntry("category", "HOUSING");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> documents =
        (List<Map<String, Object>>) detail.json().get("documents");
    assertThat(documents).singleElement().satisfies(d -> assertThat(d).containsEntry("id", doc));

    String requestId = UUID.randomUUID().toString();
    Portal.Response file =
        portal.get(
            record + "/documents/" + doc, steps.token(PARTNER_RX1), "X-Request-ID", requestId);
    assertThat(file.status()).isEqualTo(200);
    assertThat(file.body()).isEqualTo("Dear resident");
    assertThat(file.contentType()).startsWith("text/plain");
    assertThat(file.header("Content-Disposition")).startsWith("attachment; filename=\"tenancy");
    assertThat(file.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(file.header("Cache-Control")).isEqualTo("no-store");
    assertThat(auditOf(requestId))
        .isEqualTo(
            "PARTNER_DOCUMENT_READ SUCCESS RX1 DIRECT_CARE "
                + c.resident().accountId()
                + " "
                + c.housing());
  }

  @Test
  void refusesDocumentsOfRecordsTheOrganisationMayNotRead() {
    Case c = aCase();
    String hiddenDoc = steps.document(c.housingHidden(), "notes.txt", "not for partners");
    String benefitsDoc = steps.document(c.benefits(), "award.txt", "not consented");
    String housingDoc = steps.document(c.housing(), "letter.txt", "shareable");
    String base = RESIDENTS + "/" + steps.partnerId(PARTNER_RX1, c.resident()) + "/records/";

    notFoundBody(steps.call(PARTNER_RX1, base + c.housingHidden()));
    notFoundBody(steps.call(PARTNER_RX1, base + c.housingHidden() + "/documents/" + hiddenDoc));
    notFoundBody(steps.call(PARTNER_RX1, base + c.benefits() + "/documents/" + benefitsDoc));
    // A shareable record's document under another record id.
    notFoundBody(steps.call(PARTNER_RX1, base + c.councilTax() + "/documents/" + housingDoc));
    assertThat(audits("PARTNER_DOCUMENT_READ", "NOT_FOUND", PARTNER_RX1, c.resident().accountId()))
        .isEqualTo(3);
  }
}
