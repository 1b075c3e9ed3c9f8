package uk.gov.residentportal.uptake;

import io.micronaut.transaction.TransactionOperations;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import uk.gov.residentportal.support.Sql;

/**
 * Accounts at chosen past moments, through the ledger's own methods (each in a transaction, as the
 * account feature calls them), in areas and postcodes of the test's own: the database is shared
 * with every other test of the run, so a test reads its own area or the difference it made.
 */
final class UptakeFixture {
  private static final AtomicInteger POSTCODES = new AtomicInteger();
  private static final String RUN = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));

  private final UptakeLedger ledger;
  private final TransactionOperations<Connection> transactions;

  UptakeFixture(UptakeLedger ledger, TransactionOperations<Connection> transactions) {
    this.ledger = ledger;
    this.transactions = transactions;
  }

  /** A new area code of this test alone, with no row in uptake_areas (yet). */
  static String newAreaCode() {
    return ("QA" + RUN + HexFormat.of().toHexDigits(POSTCODES.incrementAndGet(), 6))
        .toUpperCase(java.util.Locale.ROOT);
  }

  /** A loaded area (population null: unknown); returns its code. */
  static String area(String name, Long population) {
    String code = newAreaCode();
    Sql.update(
        "INSERT INTO uptake_areas (area_code, name, population, population_source, population_year)"
            + " VALUES (?, ?, ?, ?, ?)",
        code,
        name,
        population,
        population == null ? null : "ONS mid-year estimates",
        population == null ? null : 2022);
    return code;
  }

  /**
   * A new full postcode in {@code area} (outward code QZ.., which no real postcode uses: no other
   * test's postcode falls in it).
   */
  static String postcodeIn(String area) {
    int n = POSTCODES.incrementAndGet();
    String postcode =
        "QZ"
            + (n % 10)
            + (char) ('A' + (n / 10) % 26)
            + " "
            + (n / 260) % 10
            + (char) ('A' + (n / 2600) % 26)
            + (char) ('A' + (n / 67600) % 26);
    Sql.update(
        "INSERT INTO uptake_postcode_areas (postcode_key, area_code) VALUES (?, ?)",
        postcode,
        area);
    return postcode;
  }

  /** A new account signed up at {@code at} with this postcode; returns its id. */
  String signUp(String postcode, Instant at) {
    String id = UUID.randomUUID().toString();
    transactions.executeWrite(
        status -> {
          ledger.signedUp(id, postcode, at);
          return null;
        });
    return id;
  }

  void verify(String id, Instant at) {
    transactions.executeWrite(
        status -> {
          ledger.verified(id, at);
          return null;
        });
  }

  void link(String id, Instant at) {
    transactions.executeWrite(
        status -> {
          ledger.linked(id, true, at);
          return null;
        });
  }

  void erase(String id, Instant at) {
    transactions.executeWrite(
        status -> {
          ledger.erased(id, at);
          return null;
        });
  }

  void move(String id, String postcode, Instant at) {
    transactions.executeWrite(
        status -> {
          ledger.moved(id, postcode, at);
          return null;
        });
  }

  void signIn(String id, Instant at) {
    transactions.executeWrite(
        status -> {
          ledger.active(id, at);
          return null;
        });
  }
}
