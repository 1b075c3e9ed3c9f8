-- NHS partners, residents' consent and the access audit (features: partner, consent, audit).
-- One dialect for MySQL 8, MariaDB 10.11 and H2 in MySQL mode. Times are UTC.

-- NHS organisations of the partnership. The ODS code is public (NHS Organisation Data Service),
-- so it is the key; partner clients name theirs in clients.organisation_ods.
CREATE TABLE partner_organisations (
  ods_code   VARCHAR(10)  NOT NULL,
  name       VARCHAR(200) NOT NULL,
  org_type   VARCHAR(24)  NOT NULL,
  active     BOOLEAN      NOT NULL,
  created_at DATETIME(6)  NOT NULL,
  updated_at DATETIME(6)  NOT NULL,
  CONSTRAINT pk_partner_organisations PRIMARY KEY (ods_code)
);

-- The opaque id one organisation knows a resident by: random, made on the organisation's first
-- successful lookup, meaningless to any other organisation.
CREATE TABLE partner_residents (
  id         CHAR(36)    NOT NULL,
  ods_code   VARCHAR(10) NOT NULL,
  account_id CHAR(36)    NOT NULL,
  created_at DATETIME(6) NOT NULL,
  CONSTRAINT pk_partner_residents PRIMARY KEY (id),
  CONSTRAINT uq_partner_residents UNIQUE (ods_code, account_id)
);
CREATE INDEX ix_partner_residents_account ON partner_residents (account_id);

-- A resident's consent to share record categories with one organisation (its ODS code) or with
-- every NHS partner (ALL_NHS). Rows are never updated but to withdraw: the history stays.
CREATE TABLE consents (
  id           CHAR(36)      NOT NULL,
  account_id   CHAR(36)      NOT NULL,
  organisation VARCHAR(10)   NOT NULL,
  -- Space-separated category codes (validated on write; codes hold no spaces).
  categories   VARCHAR(1000) NOT NULL,
  purpose      VARCHAR(24)   NOT NULL,
  granted_at   DATETIME(6)   NOT NULL,
  granted_by   VARCHAR(64)   NOT NULL,
  withdrawn_at DATETIME(6)   NULL,
  withdrawn_by VARCHAR(64)   NULL,
  CONSTRAINT pk_consents PRIMARY KEY (id)
);
CREATE INDEX ix_consents_account ON consents (account_id, withdrawn_at);

-- Partners find a resident by NHS number (and date of birth).
CREATE INDEX ix_accounts_nhs_number ON accounts (nhs_number);

-- Partner clients' own rate limit; NULL takes portal.partner.rate-limit.
ALTER TABLE clients ADD COLUMN rate_limit_per_second INT NULL;
ALTER TABLE clients ADD COLUMN rate_limit_burst INT NULL;

-- The audit trail: hash chains. Writers on every replica append at once, so there are several
-- chains (docs/adr/0007): an append locks its chain's head row, links the event to the head's
-- hash and moves the head, all in the transaction of the access it records.
CREATE TABLE audit_chains (
  chain_id  INT      NOT NULL,
  last_seq  BIGINT   NOT NULL,
  last_hash CHAR(64) NOT NULL,
  CONSTRAINT pk_audit_chains PRIMARY KEY (chain_id)
);
INSERT INTO audit_chains (chain_id, last_seq, last_hash) VALUES
  (0, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (1, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (2, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (3, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (4, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (5, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (6, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (7, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (8, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (9, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (10, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (11, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (12, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (13, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (14, 0, '0000000000000000000000000000000000000000000000000000000000000000'),
  (15, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_events (
  id               CHAR(36)    NOT NULL,
  chain_id         INT         NOT NULL,
  seq              BIGINT      NOT NULL,
  -- Microseconds since the epoch (UTC): exact on all three databases (see records/EpochMicros).
  occurred_at      BIGINT      NOT NULL,
  action           VARCHAR(40) NOT NULL,
  outcome          VARCHAR(16) NOT NULL,
  actor_type       VARCHAR(16) NOT NULL,
  actor_id         VARCHAR(64) NULL,
  organisation_ods VARCHAR(10) NULL,
  purpose          VARCHAR(24) NULL,
  -- The resident the event is about: the account id, a pseudonym that erasure leaves meaningless.
  subject          CHAR(36)    NULL,
  -- Space-separated record ids.
  record_ids       TEXT        NULL,
  request_id       VARCHAR(128) NULL,
  prev_hash        CHAR(64)    NOT NULL,
  hash             CHAR(64)    NOT NULL,
  CONSTRAINT pk_audit_events PRIMARY KEY (id),
  CONSTRAINT uq_audit_events_chain UNIQUE (chain_id, seq)
);
CREATE INDEX ix_audit_events_subject ON audit_events (subject, occurred_at);
