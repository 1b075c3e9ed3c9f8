package uk.gov.residentportal.uptake;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Sql;

/** Test data for the report pages: signed-in browsers, areas of their own, ledger entries. */
final class ReportPageFixtures {
  private ReportPageFixtures() {}

  /** Signs in through the real form and returns the browser session cookie's value. */
  static String sessionOf(Portal portal, String email) {
    CodeVerifier verifier = new CodeVerifier();
    Portal.Response redirect =
        portal.submitSignIn(
            portal.openSignIn(portal.authorizeParams(verifier, "st-1", "n-1"), verifier),
            email,
            Portal.PASSWORD);
    if (redirect.status() != 302) {
      throw new AssertionError("sign-in failed: " + redirect.status() + " " + redirect.body());
    }
    return cookie(redirect, "portal_session");
  }

  /** The value a response's Set-Cookie gives the named cookie. */
  static String cookie(Portal.Response response, String name) {
    return response.headers().allValues("set-cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .findFirst()
        .map(c -> c.substring(name.length() + 1, c.indexOf(';')))
        .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers()));
  }

  /** The whole Set-Cookie header of the named cookie. */
  static String setCookie(Portal.Response response, String name) {
    return response.headers().allValues("set-cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers()));
  }

  /** A new area of this test's own (a random code) with one full postcode in it. */
  record Area(String code, String name, String postcode) {}

  static Area area(String name, Long population) {
    String code =
        "T"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 9)
                .toUpperCase(Locale.ROOT);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String postcode =
        "ZZ"
            + (10 + random.nextInt(89))
            + " "
            + random.nextInt(10)
            + (char) ('A' + random.nextInt(26))
            + (char) ('A' + random.nextInt(26));
    Sql.update(
        "INSERT INTO uptake_areas (area_code, name, population, population_source, population_year)"
            + " VALUES (?, ?, ?, ?, ?)",
        code,
        name,
        population,
        population == null ? null : "Test mid-year estimate",
        population == null ? null : 2020);
    Sql.update(
        "INSERT INTO uptake_postcode_areas (postcode_key, area_code) VALUES (?, ?)",
        postcode,
        code);
    return new Area(code, name, postcode);
  }

  /** An account the ledger counts: signed up (and verified, erased) at the given instants. */
  static String account(
      UptakeLedger ledger,
      TransactionOperations<Connection> transactions,
      Area area,
      Instant signedUp,
      Instant verified,
      Instant erased) {
    String id = UUID.randomUUID().toString();
    transactions.executeWrite(
        status -> {
          ledger.signedUp(id, area.postcode(), signedUp);
          if (verified != null) {
            ledger.verified(id, verified);
          }
          if (erased != null) {
            ledger.erased(id, erased);
          }
          return null;
        });
    return id;
  }
}
