package uk.gov.residentportal.consent;

import jakarta.inject.Singleton;
import uk.gov.residentportal.account.ExportContributor;

/**
 * The resident's consents for the subject access export: every consent ever given, in force or
 * withdrawn, with when and by whom it was granted and withdrawn (the full history).
 */
@Singleton
final class ConsentExport implements ExportContributor {
  private final ConsentService consents;

  ConsentExport(ConsentService consents) {
    this.consents = consents;
  }

  @Override
  public String section() {
    return "consents";
  }

  @Override
  public Object export(String accountId) {
    return consents.export(accountId);
  }
}
