package uk.gov.residentportal.auth;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A registered client as administrators see it. */
@Serdeable
@Schema(name = "Client")
record ClientView(
    String clientId,
    String name,
    ClientType type,
    List<String> redirectUris,
    List<String> postLogoutRedirectUris,
    List<String> scopes,
    boolean active,
    Instant createdAt,
    Instant updatedAt) {

  static ClientView of(Client c) {
    return new ClientView(
        c.clientId(),
        c.name(),
        c.clientType(),
        c.redirectUriList(),
        Client.split(c.postLogoutRedirectUris()),
        c.scopeList(),
        c.active(),
        c.createdAt(),
        c.updatedAt());
  }

  /** A page of clients; {@code nextCursor} is absent on the last page. */
  @Serdeable
  @Schema(name = "ClientPage")
  record Page(List<ClientView> items, @io.micronaut.core.annotation.Nullable String nextCursor) {}
}
