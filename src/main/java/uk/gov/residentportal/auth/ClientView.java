package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A registered client as administrators see it; {@code jwks} holds public keys only. */
@Serdeable
@Schema(name = "Client")
record ClientView(
    String clientId,
    String name,
    ClientType type,
    List<String> redirectUris,
    List<String> postLogoutRedirectUris,
    @Nullable String backchannelLogoutUri,
    List<String> scopes,
    @Nullable @Schema(description = "The client's public signing keys (JWK Set)")
        Map<String, Object> jwks,
    @Nullable String sourceSystem,
    @Nullable String organisationOds,
    // A partner's own rate limit, absent when the default applies. A $ref alone: OpenAPI 3.0
    // allows no "nullable" beside it.
    ClientRegistration.RateLimit rateLimit,
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
        c.backchannelLogoutUri(),
        c.scopeList(),
        c.jwks() == null ? null : ClientJwks.view(c.jwks()),
        c.sourceSystem(),
        c.organisationOds(),
        rateLimitOf(c),
        c.active(),
        c.createdAt(),
        c.updatedAt());
  }

  /** The client's own rate limit as registered, or null when the default applies. */
  static ClientRegistration.RateLimit rateLimitOf(Client c) {
    return c.rateLimitPerSecond() == null && c.rateLimitBurst() == null
        ? null
        : new ClientRegistration.RateLimit(c.rateLimitPerSecond(), c.rateLimitBurst());
  }

  /** A page of clients; {@code nextCursor} is absent on the last page. */
  @Serdeable
  @Schema(name = "ClientPage")
  record Page(List<ClientView> items, @Nullable String nextCursor) {}
}
