package uk.gov.residentportal.audit;

import jakarta.inject.Singleton;
import uk.gov.residentportal.account.ExportContributor;

/**
 * The resident's access log in their subject access export: UK GDPR Art. 15(1)(c) gives them the
 * recipients of their data, and the NHS partners that read it are those.
 */
@Singleton
final class AccessLogExport implements ExportContributor {
  private final AccessLog log;

  AccessLogExport(AccessLog log) {
    this.log = log;
  }

  @Override
  public String section() {
    return "partnerAccesses";
  }

  @Override
  public Object export(String accountId) {
    return log.all(accountId);
  }
}
