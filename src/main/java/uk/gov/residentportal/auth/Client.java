package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A row of {@code clients}. Lists are stored space-separated (no value may contain a space). */
@MappedEntity("clients")
record Client(
    @Id String clientId,
    String name,
    ClientType clientType,
    String redirectUris,
    String postLogoutRedirectUris,
    @Nullable String backchannelLogoutUri,
    String scopes,
    @Nullable String jwks,
    @Nullable String sourceSystem,
    @Nullable String organisationOds,
    @Nullable Integer rateLimitPerSecond,
    @Nullable Integer rateLimitBurst,
    boolean active,
    Instant createdAt,
    Instant updatedAt) {

  List<String> redirectUriList() {
    return split(redirectUris);
  }

  List<String> scopeList() {
    return split(scopes);
  }

  static String join(List<String> values) {
    return String.join(" ", values);
  }

  static List<String> split(String joined) {
    return joined == null || joined.isBlank() ? List.of() : Arrays.asList(joined.split(" "));
  }
}
