-- The OpenID Connect provider's state (feature: auth).

CREATE TABLE clients (
  client_id                 VARCHAR(64)  NOT NULL,
  name                      VARCHAR(200) NOT NULL,
  client_type               VARCHAR(16)  NOT NULL,
  -- Space-separated lists: URIs and scope tokens never contain spaces (validated on write).
  redirect_uris             TEXT         NOT NULL,
  post_logout_redirect_uris TEXT         NOT NULL,
  backchannel_logout_uri    VARCHAR(2000) NULL,
  scopes                    TEXT         NOT NULL,
  jwks                      TEXT         NULL,
  source_system             VARCHAR(64)  NULL,
  organisation_ods          VARCHAR(10)  NULL,
  active                    BOOLEAN      NOT NULL,
  created_at                DATETIME(6)  NOT NULL,
  updated_at                DATETIME(6)  NOT NULL,
  CONSTRAINT pk_clients PRIMARY KEY (client_id)
);

-- Authorization codes: single use, 60 s, bound to client, redirect URI and PKCE challenge.
CREATE TABLE authorization_codes (
  code_hash      CHAR(64)      NOT NULL,
  client_id      VARCHAR(64)   NOT NULL,
  account_id     CHAR(36)      NOT NULL,
  redirect_uri   VARCHAR(2000) NOT NULL,
  code_challenge VARCHAR(128)  NOT NULL,
  scope          VARCHAR(1000) NOT NULL,
  nonce          VARCHAR(512)  NULL,
  acr            VARCHAR(2)    NOT NULL,
  auth_time      DATETIME(6)   NOT NULL,
  family_id      CHAR(36)      NOT NULL,
  created_at     DATETIME(6)   NOT NULL,
  expires_at     DATETIME(6)   NOT NULL,
  used_at        DATETIME(6)   NULL,
  CONSTRAINT pk_authorization_codes PRIMARY KEY (code_hash)
);
CREATE INDEX ix_authorization_codes_expiry ON authorization_codes (expires_at);

-- Refresh tokens: opaque, hashed, rotated on every use. A family is everything issued from one
-- sign-in; presenting a rotated token revokes the whole family.
CREATE TABLE refresh_tokens (
  id          CHAR(36)      NOT NULL,
  token_hash  CHAR(64)      NOT NULL,
  family_id   CHAR(36)      NOT NULL,
  client_id   VARCHAR(64)   NOT NULL,
  account_id  CHAR(36)      NOT NULL,
  scope       VARCHAR(1000) NOT NULL,
  acr         VARCHAR(2)    NOT NULL,
  auth_time   DATETIME(6)   NOT NULL,
  created_at  DATETIME(6)   NOT NULL,
  expires_at  DATETIME(6)   NOT NULL,
  rotated_at  DATETIME(6)   NULL,
  revoked_at  DATETIME(6)   NULL,
  CONSTRAINT pk_refresh_tokens PRIMARY KEY (id),
  CONSTRAINT uq_refresh_tokens_hash UNIQUE (token_hash)
);
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX ix_refresh_tokens_account ON refresh_tokens (account_id);
