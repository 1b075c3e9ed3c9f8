-- Erasure deletes an account's authorization codes (auth/AccountEventsListener): without an index
-- on account_id that DELETE locked every row it scanned, so erasures running at once deadlocked
-- on each other (found by the uptake concurrency test).
CREATE INDEX ix_authorization_codes_account ON authorization_codes (account_id);
