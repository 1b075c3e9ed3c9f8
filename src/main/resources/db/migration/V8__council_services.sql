-- The council services catalogue (feature: catalogue): every service the council runs, whether
-- residents can use it online, and the OIDC client it signs residents in with, if any. SSO
-- coverage is counted from it.
CREATE TABLE council_services (
  id         CHAR(36)     NOT NULL,
  name       VARCHAR(200) NOT NULL,
  department VARCHAR(200) NOT NULL,
  online     BOOLEAN      NOT NULL,
  client_id  VARCHAR(64)  NULL,
  created_at DATETIME(6)  NOT NULL,
  updated_at DATETIME(6)  NOT NULL,
  CONSTRAINT pk_council_services PRIMARY KEY (id),
  -- A name is unique within its department (the catalogue has one row per service).
  CONSTRAINT uq_council_services_name UNIQUE (department, name)
);
-- Keyset paging in name order.
CREATE INDEX ix_council_services_name ON council_services (name, id);
