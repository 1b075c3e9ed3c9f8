-- Browser sessions for single sign-on (feature: auth). The cookie holds a 256-bit random value;
-- only its SHA-256 is kept here, so a database dump signs nobody in. In the database, not in a
-- replica's memory, so any replica serves any browser.
CREATE TABLE browser_sessions (
  -- The public id: the `sid` claim of ID and logout tokens, and the id in /api/v1/me/sessions.
  id              CHAR(36)     NOT NULL,
  secret_hash     CHAR(64)     NOT NULL,
  account_id      CHAR(36)     NOT NULL,
  acr             VARCHAR(2)   NOT NULL,
  -- Space-separated RFC 8176 method values (pwd).
  amr             VARCHAR(100) NOT NULL,
  auth_time       DATETIME(6)  NOT NULL,
  created_at      DATETIME(6)  NOT NULL,
  last_seen_at    DATETIME(6)  NOT NULL,
  -- Sliding: moved forward as the session is used, never past expires_at.
  idle_expires_at DATETIME(6)  NOT NULL,
  -- Absolute: created_at plus the maximum age.
  expires_at      DATETIME(6)  NOT NULL,
  ended_at        DATETIME(6)  NULL,
  -- A short description of the browser from its User-Agent, for the resident's list of devices.
  device          VARCHAR(100) NOT NULL,
  CONSTRAINT pk_browser_sessions PRIMARY KEY (id),
  CONSTRAINT uq_browser_sessions_secret UNIQUE (secret_hash)
);
CREATE INDEX ix_browser_sessions_account ON browser_sessions (account_id, ended_at);
CREATE INDEX ix_browser_sessions_expiry ON browser_sessions (expires_at);
CREATE INDEX ix_browser_sessions_idle ON browser_sessions (idle_expires_at);
CREATE INDEX ix_browser_sessions_ended ON browser_sessions (ended_at);

-- The clients that got a code in a session: who to send a back-channel logout token when it ends.
CREATE TABLE browser_session_clients (
  id         CHAR(36)    NOT NULL,
  session_id CHAR(36)    NOT NULL,
  client_id  VARCHAR(64) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  CONSTRAINT pk_browser_session_clients PRIMARY KEY (id),
  CONSTRAINT uq_browser_session_clients UNIQUE (session_id, client_id),
  CONSTRAINT fk_browser_session_clients_session FOREIGN KEY (session_id)
    REFERENCES browser_sessions (id) ON DELETE CASCADE
);

-- What was issued in a session ends with it (logout, revocation from the list of devices).
ALTER TABLE authorization_codes ADD COLUMN session_id CHAR(36) NULL;
CREATE INDEX ix_authorization_codes_session ON authorization_codes (session_id);
ALTER TABLE refresh_tokens ADD COLUMN session_id CHAR(36) NULL;
CREATE INDEX ix_refresh_tokens_session ON refresh_tokens (session_id);
