#!/usr/bin/env bash
# Resident records list (GET /api/v1/me/records) throughput and latency on MariaDB with 100,000
# records over 10,000 residents, median of runs.
#
#   bash bench/records-list.sh [seconds-per-run] [connections] [runs] [signed-in-residents]
#
# Starts target/resident-portal.jar on a fresh MariaDB schema (127.0.0.1:3306, root), signs up one
# resident through the API, then fills the schema with SQL (the bench seeds tables directly; the
# API would take minutes): 10,000 active P1 residents sharing that resident's password hash, one
# council tax account subject each, linked, with 10 records each across categories. Signs in the
# first N residents through the real form (Argon2id, outside the timing), then runs wrk (Debian
# package; installed when missing) with bench/records-list.lua, a different resident per request.
# Listens on 127.0.0.1 only; stops the jar and drops the schema. wrk shares the 2 cores.
set -euo pipefail
seconds=${1:-20}
connections=${2:-32}
runs=${3:-3}
signed_in=${4:-200}
source "$(dirname "$0")/lib.sh"
bench_need_jar
bench_need_wrk
bench_need_jose

echo "[$(bench_app_client '["openid", "account"]')]" > "$work/clients.json"
bench_schema records
bench_start 18082 PORTAL_CLIENTS_FILE="$work/clients.json"

echo "seeding 10,000 residents, 10,000 links and 100,000 records..."
started=$(date +%s)
bench_seed_residents 10000
sql > /dev/null <<SQL
SET @now = UTC_TIMESTAMP(6);
INSERT INTO record_subjects (id, subject_type, subject_ref, postcode, created_at, updated_at)
SELECT CONCAT('10000000-0000-4000-8000-', LPAD(seq, 12, '0')), 'COUNCIL_TAX_ACCOUNT',
  CONCAT('CT', LPAD(seq, 8, '0')), 'LE1 5WW', @now, @now
FROM seq_1_to_10000;
INSERT INTO record_links (id, account_id, subject_id, method, linked_at)
SELECT CONCAT('20000000-0000-4000-8000-', LPAD(seq, 12, '0')),
  CONCAT('00000000-0000-4000-8000-', LPAD(seq, 12, '0')),
  CONCAT('10000000-0000-4000-8000-', LPAD(seq, 12, '0')), 'REFERENCE_AND_POSTCODE', @now
FROM seq_1_to_10000;
INSERT INTO records (id, source_system, external_ref, subject_id, category, title, status, summary,
  resident_visible, partner_shareable, min_assurance, source_updated_at, created_at, updated_at)
SELECT UUID(), 'COUNCIL_TAX', CONCAT('R', seq),
  CONCAT('10000000-0000-4000-8000-', LPAD((seq - 1) % 10000 + 1, 12, '0')),
  ELT((seq % 6) + 1, 'COUNCIL_TAX', 'PARKING', 'WASTE', 'HOUSING', 'BENEFITS', 'SOCIAL_CARE'),
  CONCAT('Record ', seq), 'Open', 'A record for the benchmark', (seq % 10) <> 0, FALSE, 'P1',
  1767225600000000 + seq * 1000000, @now, @now
FROM seq_1_to_100000;
ANALYZE TABLE accounts, record_subjects, record_links, records \G
SQL
echo "seeded in $(( $(date +%s) - started )) s"

echo "signing in $signed_in residents..."
emails=()
for i in $(seq 1 "$signed_in"); do emails+=("bench-$(( i * 37 % 10000 + 1 ))@example.org"); done
bench_sign_in "openid account" "${emails[@]}" | cut -d' ' -f1 > "$work/tokens"
[ "$(wc -l < "$work/tokens")" -ge 1 ] || { echo "no tokens"; exit 1; }
first=$(head -1 "$work/tokens")
check=$(curl -s -o "$work/page.json" -w '%{http_code}' -H "Authorization: Bearer $first" "$base/api/v1/me/records?limit=20")
[ "$check" = 200 ] || { echo "records list answered $check: $(cat "$work/page.json")"; exit 1; }
echo "one page: $(head -c 300 "$work/page.json")..."

bench_wrk_runs "$root/bench/records-list.lua" "$connections" "$seconds" "$runs" TOKENS="$work/tokens"
bench_result_median records_list "requests/s" \
  "wrk -t2 -c$connections, ${seconds} s runs, $signed_in residents' tokens in turn"
echo "machine: $(bench_machine)"
