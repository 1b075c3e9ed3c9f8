-- The key ring that signs tokens (feature: auth). In the database so every replica signs with the
-- same ACTIVE key and publishes the same JWKS. The private JWK is stored only encrypted:
-- AES-256-GCM under the key-encryption key (PORTAL_KEYS_ENCRYPTION_KEY, never in the database),
-- a random 96-bit IV per row and the kid as additional authenticated data, so a dump alone yields
-- no usable signing key and a ciphertext cannot be moved to another kid.
--   NEXT     published in the JWKS, not signing yet (relying parties learn it before it signs)
--   ACTIVE   signs new tokens; exactly one. active_slot is 1 for it and NULL otherwise, and is
--            unique, so the database itself refuses a second ACTIVE key (racing replicas).
--   RETIRED  no longer signs; published until publish_until, when every token it signed has
--            expired; then deleted.
CREATE TABLE signing_keys (
  kid                VARCHAR(128)  NOT NULL,
  alg                VARCHAR(8)    NOT NULL,
  status             VARCHAR(8)    NOT NULL,
  active_slot        TINYINT       NULL,
  public_jwk         TEXT          NOT NULL,
  private_jwk_iv     VARBINARY(12) NOT NULL,
  private_jwk_sealed BLOB          NOT NULL,
  created_at         DATETIME(6)   NOT NULL,
  activated_at       DATETIME(6)   NULL,
  retired_at         DATETIME(6)   NULL,
  publish_until      DATETIME(6)   NULL,
  CONSTRAINT pk_signing_keys PRIMARY KEY (kid),
  CONSTRAINT uq_signing_keys_active UNIQUE (active_slot)
);
