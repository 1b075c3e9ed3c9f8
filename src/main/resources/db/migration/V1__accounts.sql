-- Resident and staff accounts (feature: account).
-- One dialect for MySQL 8, MariaDB 10.11 and H2 in MySQL mode. Times are UTC, DATETIME(6).
CREATE TABLE accounts (
  id                CHAR(36)     NOT NULL,
  email             VARCHAR(254) NULL,
  email_verified_at DATETIME(6)  NULL,
  password_hash     VARCHAR(255) NULL,
  given_name        VARCHAR(100) NULL,
  family_name       VARCHAR(100) NULL,
  postcode          VARCHAR(8)   NULL,
  date_of_birth     DATE         NULL,
  nhs_number        CHAR(10)     NULL,
  assurance         VARCHAR(2)   NOT NULL,
  status            VARCHAR(24)  NOT NULL,
  created_at        DATETIME(6)  NOT NULL,
  updated_at        DATETIME(6)  NOT NULL,
  last_sign_in_at   DATETIME(6)  NULL,
  deleted_at        DATETIME(6)  NULL,
  CONSTRAINT pk_accounts PRIMARY KEY (id),
  -- Erased accounts hold NULL here, so the address can register afresh.
  CONSTRAINT uq_accounts_email UNIQUE (email)
);

CREATE TABLE account_roles (
  account_id CHAR(36)    NOT NULL,
  role       VARCHAR(16) NOT NULL,
  granted_at DATETIME(6) NOT NULL,
  CONSTRAINT pk_account_roles PRIMARY KEY (account_id, role),
  CONSTRAINT fk_account_roles_account FOREIGN KEY (account_id) REFERENCES accounts (id)
);

-- Email verification and password reset tokens: only the SHA-256 of the 256-bit value is kept.
CREATE TABLE account_tokens (
  id         CHAR(36)    NOT NULL,
  account_id CHAR(36)    NOT NULL,
  purpose    VARCHAR(20) NOT NULL,
  token_hash CHAR(64)    NOT NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  used_at    DATETIME(6) NULL,
  CONSTRAINT pk_account_tokens PRIMARY KEY (id),
  CONSTRAINT uq_account_tokens_hash UNIQUE (token_hash),
  CONSTRAINT fk_account_tokens_account FOREIGN KEY (account_id) REFERENCES accounts (id)
);
CREATE INDEX ix_account_tokens_account ON account_tokens (account_id, purpose);
