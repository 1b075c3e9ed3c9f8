#!/usr/bin/env bash
# Query plans of the resident's record reads (records/RecordQueries, records/DocumentQueries) at
# council scale: 10,000 residents, 12,000 linked subjects, 100,000 records, 10,000 documents.
#
#   bash bench/records-explain.sh            # MariaDB or MySQL 8 on 127.0.0.1:3306 as root
#   DB_HOST=db DB_PORT=3306 DB_USER=portal DB_PASSWORD=... bash bench/records-explain.sh
#
# Creates a scratch schema, applies the Flyway migrations (src/main/resources/db/migration, in
# version order) with the mysql client, seeds it with INSERT ... SELECT over a numbers table (a
# few seconds), prints EXPLAIN and the executed plan (MariaDB: ANALYZE FORMAT=JSON; MySQL 8:
# EXPLAIN ANALYZE) of each query for a typical resident and for a heavy one (1,000 records, first
# and eleventh page), and drops the schema, also on failure.
#
# The SQL below is the SQL of RecordQueries and DocumentQueries: keep the two in step.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
host=${DB_HOST:-127.0.0.1}
port=${DB_PORT:-3306}
user=${DB_USER:-root}
export MYSQL_PWD=${DB_PASSWORD:-}
schema="portal_explain_$$"

# The schema's collation for the session too, as the service's connections have it.
db() {
  mysql --protocol=TCP -h"$host" -P"$port" -u"$user" --default-character-set=utf8mb4 \
    --init-command="SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci" "$@"
}

db -e "CREATE DATABASE $schema CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
trap 'db -e "DROP DATABASE IF EXISTS $schema"' EXIT

echo "== schema: $(ls "$root"/src/main/resources/db/migration/V*__*.sql | wc -l) migrations"
for file in $(ls "$root"/src/main/resources/db/migration/V*__*.sql | sort -V); do
  db "$schema" < "$file"
done

version=$(db -N -s -e "SELECT VERSION()")
echo "== server: $version"

start=$(date +%s)
db "$schema" <<'SQL'
-- 0..99,999
CREATE TABLE bench_digits (d INT NOT NULL PRIMARY KEY);
INSERT INTO bench_digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
CREATE TABLE bench_numbers (n INT NOT NULL PRIMARY KEY);
INSERT INTO bench_numbers
SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d
  FROM bench_digits a, bench_digits b, bench_digits c, bench_digits e, bench_digits f;

-- A UUID-shaped id made from a number and a kind digit, so rows can point at each other.
-- Subjects 0..9,999: council tax accounts; 10,000..11,999: properties (a second subject for
-- residents 0..1,999).
INSERT INTO record_subjects (id, subject_type, subject_ref, postcode, created_at, updated_at)
SELECT CONCAT('00000001-0000-4000-8000-', LPAD(n, 12, '0')),
       IF(n < 10000, 'COUNCIL_TAX_ACCOUNT', 'PROPERTY'),
       IF(n < 10000, CONCAT('CT', n), CONCAT(100000000 + n)),
       'LE1 6ZG', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
  FROM bench_numbers WHERE n < 12000;

-- Resident r (account ...0002...r) is linked to subject r; residents below 2,000 also to 10,000+r.
INSERT INTO record_links (id, account_id, subject_id, method, linked_at)
SELECT CONCAT('00000003-0000-4000-8000-', LPAD(n, 12, '0')),
       CONCAT('00000002-0000-4000-8000-', LPAD(n, 12, '0')),
       CONCAT('00000001-0000-4000-8000-', LPAD(n, 12, '0')),
       'ONE_TIME_CODE', UTC_TIMESTAMP(6)
  FROM bench_numbers WHERE n < 10000;
INSERT INTO record_links (id, account_id, subject_id, method, linked_at)
SELECT CONCAT('00000003-0000-4000-8000-', LPAD(10000 + n, 12, '0')),
       CONCAT('00000002-0000-4000-8000-', LPAD(n, 12, '0')),
       CONCAT('00000001-0000-4000-8000-', LPAD(10000 + n, 12, '0')),
       'REFERENCE_AND_POSTCODE', UTC_TIMESTAMP(6)
  FROM bench_numbers WHERE n < 2000;

-- 100,000 records: the first 1,000 about subject 0 (resident 0, the heavy one), the rest spread
-- over all 12,000 subjects (about 8 each). Categories rotate; one in 20 is hidden from residents;
-- one in 10 asks for P2; times one minute apart going back from 2026-01-01.
INSERT INTO records (id, source_system, external_ref, subject_id, category, title, status, summary,
                     resident_visible, partner_shareable, min_assurance, source_updated_at,
                     created_at, updated_at)
SELECT CONCAT('00000004-0000-4000-8000-', LPAD(n, 12, '0')),
       'COUNCIL_TAX', CONCAT('REF-', n),
       CONCAT('00000001-0000-4000-8000-', LPAD(IF(n < 1000, 0, n MOD 12000), 12, '0')),
       ELT(1 + n MOD 11, 'COUNCIL_TAX', 'BUSINESS_RATES', 'BENEFITS', 'PARKING', 'PLANNING',
           'WASTE', 'HOUSING', 'LIBRARY', 'SOCIAL_CARE', 'ASSISTIVE_TECHNOLOGY', 'OTHER'),
       CONCAT('Record ', n), 'Issued', REPEAT('x', 200),
       n MOD 20 <> 7, FALSE, IF(n MOD 10 = 3, 'P2', 'P1'),
       1767225600000000 - n * 60000000,
       UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
  FROM bench_numbers;

-- 10,000 documents: one on every tenth record.
INSERT INTO record_documents (id, record_id, name, content_type, size_bytes, sha256, storage_key,
                              created_at, updated_at)
SELECT CONCAT('00000005-0000-4000-8000-', LPAD(n, 12, '0')),
       CONCAT('00000004-0000-4000-8000-', LPAD(n, 12, '0')),
       CONCAT('letter-', n, '.pdf'), 'application/pdf', 12345, REPEAT('0', 64),
       CONCAT('key-', n), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
  FROM bench_numbers WHERE n MOD 10 = 0;

DROP TABLE bench_numbers;
DROP TABLE bench_digits;
ANALYZE TABLE record_subjects, record_links, records, record_documents;
SQL
echo "== seeded in $(( $(date +%s) - start ))s:" \
  "$(db -N -s "$schema" -e "SELECT CONCAT((SELECT COUNT(DISTINCT account_id) FROM record_links), ' residents, ', (SELECT COUNT(*) FROM record_links), ' links, ', (SELECT COUNT(*) FROM records), ' records, ', (SELECT COUNT(*) FROM record_documents), ' documents')")"

if [[ "$version" == *MariaDB* ]]; then
  analyze="ANALYZE FORMAT=JSON"
else
  analyze="EXPLAIN ANALYZE"
fi

# The SQL of RecordQueries and DocumentQueries with the parameters written in, as MySQL
# Connector/J sends them (client-side prepared statements).
list_sql() { # account, micros, id, limit
  cat <<SQL
SELECT r.id, r.category, r.title, r.status, r.source_updated_at, r.source_system
  FROM record_links l
  JOIN records r ON r.subject_id = l.subject_id
 WHERE l.account_id = '$1'
   AND r.resident_visible = TRUE
   AND r.min_assurance <= 'P1'
   AND r.category IN ('ASSISTIVE_TECHNOLOGY', 'BENEFITS', 'BUSINESS_RATES', 'COUNCIL_TAX',
                      'HOUSING', 'LIBRARY', 'OTHER', 'PARKING', 'PLANNING', 'WASTE')
   AND (r.source_updated_at < $2
        OR (r.source_updated_at = $2 AND r.id < '$3'))
 ORDER BY r.source_updated_at DESC, r.id DESC
 LIMIT ${4:-21}
SQL
}

record_sql() { # record, account
  cat <<SQL
SELECT r.*
  FROM records r
  JOIN record_links l ON l.subject_id = r.subject_id AND l.account_id = '$2'
 WHERE r.id = '$1'
   AND r.resident_visible = TRUE
   AND r.min_assurance <= 'P1'
   AND r.category IN ('ASSISTIVE_TECHNOLOGY', 'BENEFITS', 'BUSINESS_RATES', 'COUNCIL_TAX',
                      'HOUSING', 'LIBRARY', 'OTHER', 'PARKING', 'PLANNING', 'WASTE')
SQL
}

# As Micronaut Data writes findByRecordIdOrderByName and findByIdAndRecordId.
documents_sql() { # record
  echo "SELECT * FROM record_documents WHERE record_id = '$1' ORDER BY name ASC"
}
document_sql() { # document, record
  echo "SELECT * FROM record_documents WHERE id = '$1' AND record_id = '$2'"
}

plan() {
  local title=$1 sql=$2
  echo
  echo "== $title"
  db -t "$schema" -e "EXPLAIN $sql"
  db -N -r -s "$schema" -e "$analyze $sql"
}

account() { printf '00000002-0000-4000-8000-%012d' "$1"; }
record() { printf '00000004-0000-4000-8000-%012d' "$1"; }
document() { printf '00000005-0000-4000-8000-%012d' "$1"; }
start=9223372036854775807
# The heavy resident's eleventh page continues below its 200th visible record.
read -r micros_200 id_200 < <(db -N -s "$schema" -e "SELECT source_updated_at, id FROM (
  $(list_sql "$(account 0)" $start '' 200)) page ORDER BY source_updated_at, id LIMIT 1")

plan "list, first page, typical resident (1 subject, 8 records)" \
  "$(list_sql "$(account 4242)" $start '')"
plan "list, first page, resident with 2 subjects (17 records)" \
  "$(list_sql "$(account 1234)" $start '')"
plan "list, first page, heavy resident (2 subjects, 1,016 records)" \
  "$(list_sql "$(account 0)" $start '')"
plan "list, page 11 (after 200 records), heavy resident" \
  "$(list_sql "$(account 0)" "$micros_200" "$id_200")"
plan "one record (own)" "$(record_sql "$(record 4242)" "$(account 4242)")"
plan "one record (someone else's: two index look-ups, no row)" \
  "$(record_sql "$(record 4243)" "$(account 4242)")"
plan "documents of a record" "$(documents_sql "$(record 4240)")"
plan "one document of a record" "$(document_sql "$(document 4240)" "$(record 4240)")"
