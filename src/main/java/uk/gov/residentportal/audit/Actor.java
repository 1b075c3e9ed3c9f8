package uk.gov.residentportal.audit;

import io.micronaut.core.annotation.Nullable;

/** Who acted: a resident or staff account, an OAuth client, or the service itself. */
public record Actor(Type type, @Nullable String id) {
  public enum Type {
    ACCOUNT,
    CLIENT,
    SYSTEM
  }

  public static Actor account(String accountId) {
    return new Actor(Type.ACCOUNT, accountId);
  }

  public static Actor client(String clientId) {
    return new Actor(Type.CLIENT, clientId);
  }

  public static Actor system() {
    return new Actor(Type.SYSTEM, null);
  }
}
