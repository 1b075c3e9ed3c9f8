-- Sign-in with a second factor (feature: auth). The acr of a sign-in now also says how strongly the
-- resident authenticated ("P1" with a password, "P1.Cl.Cm" with a password and an authenticator
-- app), so the columns that carry it grow.
ALTER TABLE authorization_codes MODIFY COLUMN acr VARCHAR(16) NOT NULL;
ALTER TABLE refresh_tokens MODIFY COLUMN acr VARCHAR(16) NOT NULL;
ALTER TABLE browser_sessions MODIFY COLUMN acr VARCHAR(16) NOT NULL;

-- A sign-in whose password was right and that waits for the security code: the browser holds a
-- 256-bit value in a cookie; only its SHA-256 is kept. Five minutes, five wrong codes at most.
CREATE TABLE sign_in_challenges (
  token_hash CHAR(64)     NOT NULL,
  account_id CHAR(36)     NOT NULL,
  -- The address typed at sign-in, for the brute-force counters a wrong code adds to.
  email      VARCHAR(254) NOT NULL,
  created_at DATETIME(6)  NOT NULL,
  expires_at DATETIME(6)  NOT NULL,
  attempts   INT          NOT NULL,
  CONSTRAINT pk_sign_in_challenges PRIMARY KEY (token_hash)
);
CREATE INDEX ix_sign_in_challenges_expiry ON sign_in_challenges (expires_at);
