package uk.gov.residentportal.auth;

/** Kinds of client (DESIGN.md section 4). */
public enum ClientType {
  /** Browser or mobile app: no secret, PKCE S256 required. */
  PUBLIC,
  /** A server-side relying party authenticating with private_key_jwt. */
  CONFIDENTIAL,
  /** A council back-office system pushing records (client credentials). */
  BACK_OFFICE,
  /** An NHS partner organisation's system (client credentials, private_key_jwt). */
  PARTNER
}
