package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Sql;

/**
 * PORTAL_CLIENTS_FILE upserts (every replica, every start): a new client or a changed registration
 * is audited as the system; the same entry again writes and audits nothing.
 */
@MicronautTest(transactional = false)
class ClientsFileAuditTest {
  @Inject ClientService clients;

  private static ClientRegistration entry(String clientId, String name, String redirect) {
    return new ClientRegistration(
        clientId,
        name,
        ClientType.PUBLIC,
        List.of(redirect),
        List.of(),
        null,
        List.of("openid"),
        null,
        null,
        null,
        null);
  }

  private static long audited(String action, String clientId) {
    return Sql.count(
        "SELECT COUNT(*) FROM audit_events WHERE action = ? AND record_ids = ?"
            + " AND actor_type = 'SYSTEM' AND actor_id IS NULL AND outcome = 'SUCCESS'",
        action,
        clientId);
  }

  private static String updatedAt(String clientId) {
    return Sql.string("SELECT updated_at FROM clients WHERE client_id = ?", clientId);
  }

  @Test
  void aNewClientIsAuditedAsRegisteredBySystem_andTheSameEntryAgainChangesNothing() {
    String id = "file-" + UUID.randomUUID().toString().substring(0, 8);

    clients.upsert(entry(id, "Library", "https://library.example/cb"));
    String firstUpdate = updatedAt(id);
    clients.upsert(entry(id, "Library", "https://library.example/cb"));
    clients.upsert(entry(id, "Library", "https://library.example/cb"));

    assertThat(audited("ADMIN_CLIENT_REGISTERED", id)).isEqualTo(1);
    assertThat(audited("ADMIN_CLIENT_CHANGED", id)).isZero();
    assertThat(updatedAt(id)).isEqualTo(firstUpdate);
  }

  @Test
  void aChangedRegistrationIsAuditedAsChangedBySystem() {
    String id = "file-" + UUID.randomUUID().toString().substring(0, 8);
    clients.upsert(entry(id, "Library", "https://library.example/cb"));

    clients.upsert(entry(id, "Library", "https://library.example/callback"));
    clients.upsert(entry(id, "Libraries", "https://library.example/callback"));
    clients.upsert(entry(id, "Libraries", "https://library.example/callback"));

    assertThat(audited("ADMIN_CLIENT_REGISTERED", id)).isEqualTo(1);
    assertThat(audited("ADMIN_CLIENT_CHANGED", id)).isEqualTo(2);
    assertThat(Sql.string("SELECT name FROM clients WHERE client_id = ?", id))
        .isEqualTo("Libraries");
  }

  @Test
  void anAdministratorsDeactivationIsNoChangeTheFileUndoes() {
    String id = "file-" + UUID.randomUUID().toString().substring(0, 8);
    clients.upsert(entry(id, "Library", "https://library.example/cb"));
    Sql.update("UPDATE clients SET active = FALSE WHERE client_id = ?", id);

    clients.upsert(entry(id, "Library", "https://library.example/cb"));

    assertThat(Sql.count("SELECT COUNT(*) FROM clients WHERE client_id = ? AND active", id))
        .isZero();
    assertThat(audited("ADMIN_CLIENT_CHANGED", id)).isZero();
  }
}
