-- Uptake reports (feature: uptake). Exact counts over time without scanning accounts per request.
--
-- verified counts the accounts that are verified (an erasure takes one off); verifications counts
-- the verifications made that day (the GDS completion rate), never less.
--
-- uptake_changes is the ledger: one row per change to what the reports count (a sign-up, an email
-- verified, a first link to a council record or the last one removed, an erasure, a move between
-- areas, the first sign-in of a day), with the change to each count on the UTC day it happened.
-- uptake_daily and uptake_monthly are the sums of the ledger by day (or month) and area, kept in
-- the same transaction as the change; `--rebuild-uptake` recomputes them from the ledger. Area '*'
-- is the whole council; '' is an account whose postcode is in no loaded area.
--
-- Active accounts: an account signing in on day d after last being active on day p adds +1 on d
-- and -1 on d + 7 (or 30) when d - p >= 7 (or 30); otherwise it moves its -1 from p + 7 to d + 7.
-- The number of accounts active in the 7 days up to day x is the sum of active_7d up to x.
-- These are kept on area '*' only: a ledger row for area '*' counts for the whole council alone,
-- any other row for its area and for '*'.

-- The postcode → area lookup the council loads (PORTAL_AREAS_FILE): a full postcode ("LE1 6ZG"),
-- a sector ("LE1 6") or a district ("LE1"); the longest key that matches wins.
CREATE TABLE uptake_postcode_areas (
  postcode_key VARCHAR(8)  NOT NULL,
  area_code    VARCHAR(16) NOT NULL,
  CONSTRAINT pk_uptake_postcode_areas PRIMARY KEY (postcode_key)
);

-- The areas and their population (PORTAL_POPULATION_FILE, e.g. ONS mid-year estimates).
CREATE TABLE uptake_areas (
  area_code         VARCHAR(16)  NOT NULL,
  name              VARCHAR(100) NOT NULL,
  population        INT          NULL,
  population_source VARCHAR(200) NULL,
  population_year   SMALLINT     NULL,
  CONSTRAINT pk_uptake_areas PRIMARY KEY (area_code)
);

-- What the reports last counted for each account (its area, verified, linked, erased, last day
-- active): the change a new event makes is computed from it, under its row lock.
CREATE TABLE uptake_accounts (
  account_id     CHAR(36)    NOT NULL,
  area_code      VARCHAR(16) NOT NULL,
  signed_up_on   DATE        NOT NULL,
  verified       BOOLEAN     NOT NULL,
  linked         BOOLEAN     NOT NULL,
  erased         BOOLEAN     NOT NULL,
  last_active_on DATE        NULL,
  CONSTRAINT pk_uptake_accounts PRIMARY KEY (account_id)
);

CREATE TABLE uptake_changes (
  id          BIGINT      NOT NULL AUTO_INCREMENT,
  on_day      DATE        NOT NULL,
  area_code   VARCHAR(16) NOT NULL,
  sign_ups    INT         NOT NULL,
  accounts    INT         NOT NULL,
  verified    INT         NOT NULL,
  verifications INT       NOT NULL,
  linked      INT         NOT NULL,
  erased      INT         NOT NULL,
  active_7d   INT         NOT NULL,
  active_30d  INT         NOT NULL,
  recorded_at DATETIME(6) NOT NULL,
  CONSTRAINT pk_uptake_changes PRIMARY KEY (id)
);

CREATE TABLE uptake_daily (
  area_code  VARCHAR(16) NOT NULL,
  on_day     DATE        NOT NULL,
  sign_ups   INT         NOT NULL,
  accounts   INT         NOT NULL,
  verified   INT         NOT NULL,
  verifications INT      NOT NULL,
  linked     INT         NOT NULL,
  erased     INT         NOT NULL,
  active_7d  INT         NOT NULL,
  active_30d INT         NOT NULL,
  CONSTRAINT pk_uptake_daily PRIMARY KEY (area_code, on_day)
);

-- on_day is the first day of the month.
CREATE TABLE uptake_monthly (
  area_code  VARCHAR(16) NOT NULL,
  on_day     DATE        NOT NULL,
  sign_ups   INT         NOT NULL,
  accounts   INT         NOT NULL,
  verified   INT         NOT NULL,
  verifications INT      NOT NULL,
  linked     INT         NOT NULL,
  erased     INT         NOT NULL,
  active_7d  INT         NOT NULL,
  active_30d INT         NOT NULL,
  CONSTRAINT pk_uptake_monthly PRIMARY KEY (area_code, on_day)
);

-- One row every writer of the roll-ups locks first (SELECT ... FOR UPDATE), to its commit: the
-- writers' upserts never deadlock, and a rebuild sees no write half done.
CREATE TABLE uptake_writer (
  id INT NOT NULL,
  CONSTRAINT pk_uptake_writer PRIMARY KEY (id)
);
INSERT INTO uptake_writer (id) VALUES (1);

-- Transactions services report for the digital take-up KPI: per service (client) and UTC day, how
-- many were completed online and in all (online, phone, paper, face to face).
CREATE TABLE uptake_transactions (
  client_id   VARCHAR(64) NOT NULL,
  on_day      DATE        NOT NULL,
  online      INT         NOT NULL,
  total       INT         NOT NULL,
  reported_at DATETIME(6) NOT NULL,
  CONSTRAINT pk_uptake_transactions PRIMARY KEY (client_id, on_day)
);

-- Accounts that exist already: their history as far as the accounts table tells it. Links have no
-- date there (counted on the day the account last changed); only active accounts can be erased, so
-- an erased one counts as verified (on the day it signed up) until its erasure, and as never linked. The roll-ups are built from this
-- ledger at start-up (they are empty while the ledger is not).
INSERT INTO uptake_accounts
  (account_id, area_code, signed_up_on, verified, linked, erased, last_active_on)
SELECT id, '', CAST(created_at AS DATE), email_verified_at IS NOT NULL AND status <> 'ERASED',
       assurance <> 'P0' AND status <> 'ERASED', status = 'ERASED', CAST(last_sign_in_at AS DATE)
  FROM accounts;
INSERT INTO uptake_changes
  (on_day, area_code, sign_ups, accounts, verified, verifications, linked, erased, active_7d,
   active_30d,
   recorded_at)
SELECT CAST(created_at AS DATE), '', 1, 1, 0, 0, 0, 0, 0, 0, CURRENT_TIMESTAMP FROM accounts;
INSERT INTO uptake_changes
  (on_day, area_code, sign_ups, accounts, verified, verifications, linked, erased, active_7d,
   active_30d,
   recorded_at)
SELECT CAST(COALESCE(email_verified_at, created_at) AS DATE), '', 0, 0, 1, 1, 0, 0, 0, 0,
       CURRENT_TIMESTAMP
  FROM accounts WHERE email_verified_at IS NOT NULL OR status = 'ERASED';
INSERT INTO uptake_changes
  (on_day, area_code, sign_ups, accounts, verified, verifications, linked, erased, active_7d,
   active_30d,
   recorded_at)
SELECT CAST(updated_at AS DATE), '', 0, 0, 0, 0, 1, 0, 0, 0, CURRENT_TIMESTAMP
  FROM accounts WHERE assurance <> 'P0' AND status <> 'ERASED';
INSERT INTO uptake_changes
  (on_day, area_code, sign_ups, accounts, verified, verifications, linked, erased, active_7d,
   active_30d,
   recorded_at)
SELECT CAST(COALESCE(deleted_at, updated_at) AS DATE), '', 0, -1, -1, 0, 0, 1, 0, 0,
       CURRENT_TIMESTAMP
  FROM accounts WHERE status = 'ERASED';
INSERT INTO uptake_changes
  (on_day, area_code, sign_ups, accounts, verified, verifications, linked, erased, active_7d,
   active_30d,
   recorded_at)
SELECT CAST(last_sign_in_at AS DATE), '*', 0, 0, 0, 0, 0, 0, 1, 1, CURRENT_TIMESTAMP
  FROM accounts WHERE last_sign_in_at IS NOT NULL;
INSERT INTO uptake_changes
  (on_day, area_code, sign_ups, accounts, verified, verifications, linked, erased, active_7d,
   active_30d,
   recorded_at)
SELECT CAST(last_sign_in_at AS DATE) + INTERVAL '7' DAY, '*', 0, 0, 0, 0, 0, 0, -1, 0,
       CURRENT_TIMESTAMP
  FROM accounts WHERE last_sign_in_at IS NOT NULL;
INSERT INTO uptake_changes
  (on_day, area_code, sign_ups, accounts, verified, verifications, linked, erased, active_7d,
   active_30d,
   recorded_at)
SELECT CAST(last_sign_in_at AS DATE) + INTERVAL '30' DAY, '*', 0, 0, 0, 0, 0, 0, 0, -1,
       CURRENT_TIMESTAMP
  FROM accounts WHERE last_sign_in_at IS NOT NULL;
