-- Signed checkpoints of the audit chains (docs/adr/0007). Every interval one replica writes the
-- head of every chain with an HMAC under a key derived from the key-encryption key, which is not in
-- the database: someone who can only write to the database can rewrite a chain's events and its
-- head consistently, but not the checkpoint that vouches for the head it had.
CREATE TABLE audit_checkpoints (
  -- The interval the checkpoint is for (made_at / interval): one per interval, whichever replica
  -- comes first.
  slot     BIGINT        NOT NULL,
  -- Microseconds since the epoch (UTC).
  made_at  BIGINT        NOT NULL,
  -- "chain:seq:hash" of every chain, ';'-separated, in chain order.
  heads    VARCHAR(2000) NOT NULL,
  mac      CHAR(64)      NOT NULL,
  CONSTRAINT pk_audit_checkpoints PRIMARY KEY (slot)
);
