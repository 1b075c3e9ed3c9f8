package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import uk.gov.residentportal.shared.SecretTokens;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * Sign-in attempts from chosen source addresses (the test contexts trust X-Forwarded-For, as the
 * service trusts a configured proxy header), and the counter rows as another replica sees them.
 */
final class BruteForceSteps {
  static final String WRONG = "not the password at all";

  private final Portal portal;
  private final Portal.SignInPage page;

  BruteForceSteps(Portal portal) {
    this.portal = portal;
    CodeVerifier verifier = new CodeVerifier();
    this.page = portal.openSignIn(portal.authorizeParams(verifier, "st", "n"), verifier);
  }

  /** A private address (RFC 1918), almost surely one no other test uses. */
  static String newAddress() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
  }

  Response attempt(String email, String password, String address) {
    Map<String, String> form = new LinkedHashMap<>(page.hidden());
    form.put("csrf_token", page.csrfToken());
    form.put("email", email);
    form.put("password", password);
    return portal.form(
        "/oauth2/authorize",
        form,
        "Cookie",
        "portal_csrf=" + page.csrfCookie(),
        "X-Forwarded-For",
        address);
  }

  /** Wrong passwords, each from a new address (so only the account counts up). */
  void fail(String email, int times) {
    for (int i = 0; i < times; i++) {
      Response response = attempt(email, WRONG, newAddress());
      if (response.status() != 401) {
        throw new AssertionError("failure " + (i + 1) + " answered " + response.status());
      }
    }
  }

  static String accountKey(String email) {
    return SecretTokens.hash(email.strip().toLowerCase(Locale.ROOT));
  }

  static String addressKey(String address) {
    return SecretTokens.hash(address);
  }

  /** Lets the delay since the last failure pass, as if the resident waited. */
  static void waitOutDelay(String email) {
    AuthSteps.update(
        "UPDATE sign_in_throttle SET last_failure_at = DATE_SUB(last_failure_at, INTERVAL 1 HOUR)"
            + " WHERE kind = 'ACCOUNT' AND key_hash = ?",
        accountKey(email));
  }

  /** Lets a lock (and the delay) run out, as if the resident waited. */
  static void waitOutLock(String kind, String keyHash) {
    AuthSteps.update(
        "UPDATE sign_in_throttle SET last_failure_at = DATE_SUB(last_failure_at, INTERVAL 1 HOUR),"
            + " locked_until = DATE_SUB(locked_until, INTERVAL 1 HOUR)"
            + " WHERE kind = ? AND key_hash = ?",
        kind,
        keyHash);
  }

  /** One counter row as the database holds it, or null. */
  static Map<String, Object> row(String kind, String keyHash) {
    try (Connection c =
            DriverManager.getConnection(
                System.getProperty("datasources.default.url"),
                System.getProperty("datasources.default.username"),
                System.getProperty("datasources.default.password"));
        PreparedStatement s =
            c.prepareStatement(
                "SELECT failures, window_failures, locks, locked_until, last_failure_at,"
                    + " TIMESTAMPDIFF(SECOND, last_failure_at, locked_until) AS lock_seconds"
                    + " FROM sign_in_throttle WHERE kind = ? AND key_hash = ?")) {
      s.setString(1, kind);
      s.setString(2, keyHash);
      try (ResultSet rows = s.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          row.put(rows.getMetaData().getColumnLabel(i), rows.getObject(i));
        }
        return row;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test query failed", e);
    }
  }

  static Map<String, Object> accountRow(String email) {
    return row("ACCOUNT", accountKey(email));
  }
}
