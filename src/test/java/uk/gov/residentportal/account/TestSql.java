package uk.gov.residentportal.account;

import uk.gov.residentportal.shared.SecretTokens;
import uk.gov.residentportal.support.Sql;

/**
 * Direct access to the test schema for what HTTP cannot do (let time pass) or cannot show (how many
 * rows exist). Connects with the settings support/TestDatabase gives the running service.
 */
final class TestSql {
  private TestSql() {}

  /** Makes an emailed one-time token expired: its expiry moves before its creation. */
  static void expire(String token) {
    int updated =
        Sql.update(
            "UPDATE account_tokens SET expires_at = DATE_SUB(created_at, INTERVAL 1 SECOND)"
                + " WHERE token_hash = ?",
            SecretTokens.hash(token));
    if (updated != 1) {
      throw new AssertionError("no stored token to expire");
    }
  }

  static long accountsWithEmail(String email) {
    return count("SELECT COUNT(*) FROM accounts WHERE email = ?", email);
  }

  static long count(String sql, String parameter) {
    return Sql.count(sql, parameter);
  }

  static String string(String sql, String parameter) {
    return Sql.string(sql, parameter);
  }
}
