-- Revoked access tokens and grants (feature: auth). Access tokens are JWTs checked without a
-- database round trip for their signature; what was revoked before they expire is listed here, by
-- the token's jti or by the grant (refresh-token family) it came from. Rows are useless once
-- expires_at passes and are deleted then.
CREATE TABLE token_revocations (
  revoked_id CHAR(36)    NOT NULL,
  kind       VARCHAR(8)  NOT NULL,
  revoked_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  CONSTRAINT pk_token_revocations PRIMARY KEY (revoked_id)
);
CREATE INDEX ix_token_revocations_expiry ON token_revocations (expires_at);
