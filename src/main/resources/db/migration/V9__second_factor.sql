-- Second factor (feature: account): a TOTP authenticator (RFC 6238) per account and its recovery
-- codes. The TOTP seed must be read back to check codes, so it is encrypted (AES-256-GCM under a
-- key-encryption key that is not in the database); recovery codes are kept as HMAC-SHA256 under a
-- key derived from it.
CREATE TABLE account_totp (
  account_id     CHAR(36)     NOT NULL,
  secret_sealed  VARCHAR(200) NOT NULL,
  created_at     DATETIME(6)  NOT NULL,
  confirmed_at   DATETIME(6)  NULL,
  -- The last 30-second step whose code was accepted: a code is never accepted twice (RFC 6238 5.2).
  last_used_step BIGINT       NULL,
  CONSTRAINT pk_account_totp PRIMARY KEY (account_id),
  CONSTRAINT fk_account_totp_account FOREIGN KEY (account_id) REFERENCES accounts (id)
);

CREATE TABLE account_recovery_codes (
  id         CHAR(36)    NOT NULL,
  account_id CHAR(36)    NOT NULL,
  code_hash  CHAR(64)    NOT NULL,
  created_at DATETIME(6) NOT NULL,
  used_at    DATETIME(6) NULL,
  CONSTRAINT pk_account_recovery_codes PRIMARY KEY (id),
  CONSTRAINT uq_account_recovery_codes UNIQUE (account_id, code_hash),
  CONSTRAINT fk_account_recovery_codes_account FOREIGN KEY (account_id) REFERENCES accounts (id)
);
