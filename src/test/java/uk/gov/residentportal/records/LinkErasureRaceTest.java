package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.residentportal.records.LinkSteps.UNAUTHORIZED;
import static uk.gov.residentportal.records.LinkSteps.assertProblem;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/**
 * A link is never stored for an account being erased: linking and erasure both lock the account's
 * row first. The test holds that lock itself, from its own connection, to put the other side in the
 * middle of the race.
 */
@MicronautTest(transactional = false)
class LinkErasureRaceTest {
  @Inject EmbeddedServer server;
  @Inject RecordIngestion ingestion;

  Portal portal;
  LinkSteps steps;
  ExecutorService background;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    steps = new LinkSteps(portal, ingestion);
    background = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void tearDown() {
    background.shutdownNow();
  }

  @Test
  void aLinkWaitingForAnErasureThatCommitsIsRefusedAndNothingIsStored() throws Exception {
    LinkSteps.Subject subject = steps.councilTaxAccount();
    String email = Portal.newEmail();
    String accountId = portal.signUpAndVerify(email);
    String resident = portal.signIn(email).accessToken();
    Future<Portal.Response> link;
    try (Connection erasure = LinkSteps.connect()) {
      erasure.setAutoCommit(false);
      lockAccount(erasure, accountId);

      link = background.submit(() -> steps.linkByReference(resident, subject));
      assertThat(waitingStatement())
          .as("the link waits for the account's row")
          .hasValueSatisfying(sql -> assertThat(sql).containsIgnoringCase("from accounts"));
      try (PreparedStatement s =
          erasure.prepareStatement("UPDATE accounts SET status = 'ERASED' WHERE id = ?")) {
        s.setString(1, accountId);
        s.executeUpdate();
      }
      erasure.commit();
    }

    assertProblem(link.get(30, TimeUnit.SECONDS), 401, UNAUTHORIZED);
    assertThat(LinkSteps.count("SELECT COUNT(*) FROM record_links WHERE account_id = ?", accountId))
        .isZero();
    assertThat(LinkSteps.string("SELECT assurance FROM accounts WHERE id = ?", accountId))
        .isEqualTo("P0");
  }

  @Test
  void erasureTakesTheAccountsRowBeforeAnythingElse() throws Exception {
    String email = Portal.newEmail();
    String accountId = portal.signUpAndVerify(email);
    String resident = portal.signIn(email).accessToken();
    assertThat(steps.linkByReference(resident, steps.councilTaxAccount()).status()).isEqualTo(201);
    Future<Portal.Response> erased;
    try (Connection linking = LinkSteps.connect()) {
      linking.setAutoCommit(false);
      lockAccount(linking, accountId);

      erased =
          background.submit(
              () ->
                  portal.json(
                      "DELETE",
                      "/api/v1/me",
                      "{\"password\":\"" + Portal.PASSWORD + "\"}",
                      resident));
      // What it waits on is its first locking statement: the account's row, not its links.
      assertThat(waitingStatement())
          .hasValueSatisfying(
              sql -> assertThat(sql).containsIgnoringCase("from accounts").contains("FOR UPDATE"));
      linking.commit();
    }

    Portal.Response response = erased.get(30, TimeUnit.SECONDS);
    assertThat(response.status()).as(response.body()).isEqualTo(204);
    assertThat(LinkSteps.count("SELECT COUNT(*) FROM record_links WHERE account_id = ?", accountId))
        .isZero();
  }

  private static void lockAccount(Connection connection, String accountId) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement("SELECT id FROM accounts WHERE id = ? FOR UPDATE")) {
      s.setString(1, accountId);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  /**
   * The statement another connection to this test schema has been running for a second or more,
   * waiting up to 10 seconds for one: the service's statement waiting for the lock the test holds.
   * (From the process list: MariaDB does not list a transaction in innodb_trx while its first
   * statement waits for a lock during the optimizer's read of a row by primary key.)
   */
  private static Optional<String> waitingStatement() throws SQLException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    try (Connection c = LinkSteps.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT info FROM information_schema.processlist WHERE db = DATABASE()"
                    + " AND id <> CONNECTION_ID() AND command = 'Query' AND time >= 1")) {
      while (Instant.now().isBefore(deadline)) {
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            return Optional.ofNullable(rs.getString(1));
          }
        }
        Thread.sleep(100);
      }
    }
    return Optional.empty();
  }
}
