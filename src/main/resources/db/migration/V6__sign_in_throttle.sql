-- Failed sign-in counters (feature: auth, BruteForceProtection). One row per key: the SHA-256 of a
-- normalised email address (kind ACCOUNT; counted whether or not an account has that address, and
-- the address itself is never stored) or of a client IP address (kind ADDRESS). Every replica
-- reads and updates the same rows, so a lock holds whichever replica the next attempt reaches.
--   failures         consecutive failures (ACCOUNT: a successful sign-in sets it back to 0)
--   window_start     start of the current one-hour window; window_failures counts failures in it
--   locks            locks so far, so each lock lasts longer than the one before
--   locked_until     no attempt is checked before this time (NULL: not locked)
--   last_failure_at  the progressive delay runs from here; rows idle long enough are deleted
CREATE TABLE sign_in_throttle (
  kind            VARCHAR(8)  NOT NULL,
  key_hash        CHAR(64)    NOT NULL,
  failures        INT         NOT NULL,
  window_start    DATETIME(6) NOT NULL,
  window_failures INT         NOT NULL,
  locks           INT         NOT NULL,
  locked_until    DATETIME(6) NULL,
  last_failure_at DATETIME(6) NOT NULL,
  CONSTRAINT pk_sign_in_throttle PRIMARY KEY (kind, key_hash)
);
CREATE INDEX ix_sign_in_throttle_last_failure ON sign_in_throttle (last_failure_at);
