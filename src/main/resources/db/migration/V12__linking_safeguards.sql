-- Safeguards on linking accounts to council records (feature: records): a limit on failed
-- reference + postcode attempts per reference, sliding-window counters, and indexes for erasure and
-- housekeeping.

-- The failures of the window before the current one, weighted down as the current window ages (a
-- sliding-window counter, see records/FailureWindow): no double allowance at a window's boundary.
ALTER TABLE link_attempts ADD COLUMN previous_failures INT NOT NULL DEFAULT 0;
-- Housekeeping deletes rows idle for two windows.
CREATE INDEX ix_link_attempts_window ON link_attempts (window_start);

-- Failed reference + postcode attempts per council tax account reference, from every account, in a
-- 24-hour sliding window. Keyed by a keyed hash (HMAC) of the canonical reference, never the
-- reference itself; counted whether or not the reference exists, so a row says nothing about that.
CREATE TABLE link_reference_attempts (
  reference_hash    CHAR(64)    NOT NULL,
  window_start      DATETIME(6) NOT NULL,
  failures          INT         NOT NULL,
  previous_failures INT         NOT NULL,
  CONSTRAINT pk_link_reference_attempts PRIMARY KEY (reference_hash)
);
CREATE INDEX ix_link_reference_attempts_window ON link_reference_attempts (window_start);

-- Erasure clears used_by of the codes an account used: found by index, so that the update locks
-- only those rows and not every code (a full scan would lock them all under REPEATABLE READ).
CREATE INDEX ix_link_codes_used_by ON link_codes (used_by);
