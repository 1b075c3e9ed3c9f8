-- Records from the council's back-office systems, their documents, and residents' links to them
-- (feature: records). Records are about a subject (a council tax account, a property, a person, an
-- NHS number), never about a portal account: they arrive before, and whether or not, the resident
-- has one. A link joins an account to a subject; the resident then sees the subject's records.

-- One row per (type, reference), shared by every source system that writes about it.
CREATE TABLE record_subjects (
  id           CHAR(36)    NOT NULL,
  subject_type VARCHAR(24) NOT NULL,
  subject_ref  VARCHAR(64) NOT NULL,
  -- Canonical postcode from the latest upsert that gave one: what linking by reference matches.
  postcode     VARCHAR(8)  NULL,
  created_at   DATETIME(6) NOT NULL,
  updated_at   DATETIME(6) NOT NULL,
  CONSTRAINT pk_record_subjects PRIMARY KEY (id),
  CONSTRAINT uq_record_subjects_ref UNIQUE (subject_type, subject_ref)
);

CREATE TABLE records (
  id                CHAR(36)      NOT NULL,
  source_system     VARCHAR(40)   NOT NULL,
  external_ref      VARCHAR(100)  NOT NULL,
  subject_id        CHAR(36)      NOT NULL,
  category          VARCHAR(40)   NOT NULL,
  title             VARCHAR(200)  NOT NULL,
  status            VARCHAR(60)   NULL,
  summary           VARCHAR(4000) NULL,
  resident_visible  BOOLEAN       NOT NULL,
  partner_shareable BOOLEAN       NOT NULL,
  -- 'P0' < 'P1' < 'P2' as text, so "meets the minimum" is a plain comparison in SQL.
  min_assurance     VARCHAR(2)    NOT NULL,
  -- The source system's own time of the change, in microseconds since 1970-01-01T00:00Z (an
  -- integer: Connector/J drops DATETIME fractions on MariaDB): ordering of upserts, newest first.
  source_updated_at BIGINT        NOT NULL,
  created_at        DATETIME(6)   NOT NULL,
  updated_at        DATETIME(6)   NOT NULL,
  CONSTRAINT pk_records PRIMARY KEY (id),
  CONSTRAINT uq_records_source UNIQUE (source_system, external_ref),
  CONSTRAINT fk_records_subject FOREIGN KEY (subject_id) REFERENCES record_subjects (id)
);
-- A resident's list: per linked subject, newest first, keyset (source_updated_at, id).
CREATE INDEX ix_records_subject_time ON records (subject_id, source_updated_at, id);

-- Document metadata; the bytes are behind DocumentStore (document_chunks by default).
CREATE TABLE record_documents (
  id           CHAR(36)     NOT NULL,
  record_id    CHAR(36)     NOT NULL,
  name         VARCHAR(200) NOT NULL,
  content_type VARCHAR(100) NOT NULL,
  size_bytes   BIGINT       NOT NULL,
  sha256       CHAR(64)     NOT NULL,
  storage_key  VARCHAR(100) NOT NULL,
  created_at   DATETIME(6)  NOT NULL,
  updated_at   DATETIME(6)  NOT NULL,
  CONSTRAINT pk_record_documents PRIMARY KEY (id),
  CONSTRAINT uq_record_documents_name UNIQUE (record_id, name),
  CONSTRAINT fk_record_documents_record FOREIGN KEY (record_id) REFERENCES records (id)
);

-- The default DocumentStore (DatabaseDocumentStore): a document's bytes in chunks of 256 KiB,
-- addressed by an opaque storage key and numbered from 0. Chunks keep every statement far below
-- max_allowed_packet (16MB on MariaDB by default; Connector/J sends bytes hex-encoded, twice their
-- size) and let a download read one chunk per short query instead of the whole file.
CREATE TABLE document_chunks (
  storage_key VARCHAR(100) NOT NULL,
  seq         INT          NOT NULL,
  content     MEDIUMBLOB   NOT NULL,
  CONSTRAINT pk_document_chunks PRIMARY KEY (storage_key, seq)
);

-- A resident's account linked to a subject, with how and when.
CREATE TABLE record_links (
  id         CHAR(36)    NOT NULL,
  account_id CHAR(36)    NOT NULL,
  subject_id CHAR(36)    NOT NULL,
  method     VARCHAR(24) NOT NULL,
  linked_at  DATETIME(6) NOT NULL,
  CONSTRAINT pk_record_links PRIMARY KEY (id),
  CONSTRAINT uq_record_links_account_subject UNIQUE (account_id, subject_id),
  CONSTRAINT fk_record_links_subject FOREIGN KEY (subject_id) REFERENCES record_subjects (id)
);
CREATE INDEX ix_record_links_subject ON record_links (subject_id);

-- One-time linking codes printed on letters: only a keyed hash of the code is kept.
CREATE TABLE link_codes (
  id            CHAR(36)     NOT NULL,
  subject_id    CHAR(36)     NOT NULL,
  code_hash     CHAR(64)     NOT NULL,
  issued_by     VARCHAR(64)  NOT NULL,
  created_at    DATETIME(6)  NOT NULL,
  expires_at    DATETIME(6)  NOT NULL,
  used_at       DATETIME(6)  NULL,
  used_by       CHAR(36)     NULL,
  CONSTRAINT pk_link_codes PRIMARY KEY (id),
  CONSTRAINT uq_link_codes_hash UNIQUE (code_hash),
  CONSTRAINT fk_link_codes_subject FOREIGN KEY (subject_id) REFERENCES record_subjects (id)
);
CREATE INDEX ix_link_codes_expiry ON link_codes (expires_at);

-- Failed linking attempts per account in a fixed one-hour window, shared by every replica; the row
-- is locked while an attempt is counted (see LinkAttempts).
CREATE TABLE link_attempts (
  account_id   CHAR(36)    NOT NULL,
  window_start DATETIME(6) NOT NULL,
  failures     INT         NOT NULL,
  CONSTRAINT pk_link_attempts PRIMARY KEY (account_id)
);
