package uk.gov.residentportal.account;

/**
 * A feature's part of a resident's subject access export. Each feature that holds data about an
 * account implements this, so the export stays complete as features are added.
 */
public interface ExportContributor {
  /** The key of this part in the export document. */
  String section();

  /** Everything this feature holds about the account, as serialisable values. */
  Object export(String accountId);
}
