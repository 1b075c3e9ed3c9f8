package uk.gov.residentportal.auth;

import java.util.Set;

/** Kinds of client (DESIGN.md section 4), each with the scopes it may be given. */
public enum ClientType {
  /** Browser or mobile app: no secret, PKCE S256 required. */
  PUBLIC(SignIn.SCOPES),
  /** A server-side relying party authenticating with private_key_jwt (and PKCE as well). */
  CONFIDENTIAL(SignIn.SCOPES),
  /** A council back-office system pushing records (client credentials, private_key_jwt). */
  BACK_OFFICE(Set.of("records:write", "links:write", "transactions:write")),
  /** An NHS partner organisation's system (client credentials, private_key_jwt). */
  PARTNER(Set.of("partner:resident.read"));

  private final Set<String> allowedScopes;

  ClientType(Set<String> allowedScopes) {
    this.allowedScopes = allowedScopes;
  }

  Set<String> allowedScopes() {
    return allowedScopes;
  }

  /**
   * Scopes for signing residents in; {@code account} (the resident's own account API) is given only
   * to the council's own resident app, by registration. Machine clients can never hold it, so their
   * tokens never pass as a resident's. (A holder class: enum constants are built before the enum's
   * own static fields.)
   */
  private static final class SignIn {
    static final Set<String> SCOPES = Set.of("openid", "profile", "email", "account");
  }

  /** Signs residents in (authorization code, refresh token); the others are machines. */
  boolean signsInResidents() {
    return this == PUBLIC || this == CONFIDENTIAL;
  }

  /** Authenticates with a private_key_jwt assertion (RFC 7523 section 2.2). */
  boolean usesPrivateKeyJwt() {
    return this != PUBLIC;
  }
}
