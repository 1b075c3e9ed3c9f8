-- Client assertions already used (feature: auth). RFC 7523 section 3 and the NHS API platform
-- rules: a private_key_jwt assertion's jti is used once per client within its lifetime. The
-- primary key makes the check atomic across replicas: the second insert of the same jti fails.
-- jti is stored as its SHA-256 (hex) so any length fits the key. Rows are deleted after
-- expires_at (the assertion's exp plus the allowed clock skew).
CREATE TABLE client_assertions (
  client_id  VARCHAR(64) NOT NULL,
  jti_hash   CHAR(64)    NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  CONSTRAINT pk_client_assertions PRIMARY KEY (client_id, jti_hash)
);
CREATE INDEX ix_client_assertions_expiry ON client_assertions (expires_at);
