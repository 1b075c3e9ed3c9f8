#!/usr/bin/env bash
# The uptake report (GET /api/v1/reports/uptake) at council scale on MariaDB: 1,000,000 synthetic
# accounts signed up over ten years (2016-12-01..2026-11-30, or up to today) across 12 sample
# areas, then the ten-year report by month for the whole council and for one area.
#
#   bash bench/uptake-report.sh [accounts] [sequential-requests] [wrk-seconds] [wrk-connections]
#
# Creates a fresh schema (127.0.0.1:3306, root), migrates it (the jar's --rebuild-uptake on the
# empty schema), loads a sample postcode→area table and populations with SQL, and times
# --generate-accounts. Then --rebuild-uptake at that size (the cross-check must agree), the row
# counts of the ledger and roll-ups, and the report's SQL through ANALYZE FORMAT=JSON (MariaDB;
# EXPLAIN ANALYZE on MySQL 8): which tables are read and how many rows (never accounts). Then
# starts target/resident-portal.jar, signs in a MANAGER (signed up through the API, verified and
# given the role with SQL), and per report: a warm-up, N sequential requests timed by curl
# (time_total: p50, p90, p99, one connection each), and wrk throughput (Debian package; installed
# when missing) with bench/uptake-report.lua on the same 2 cores. Stops the jar and drops the
# schema, also on failure. UPTAKE_MONTH_ONLY=1 (bench/run.sh) measures the baseline and the
# whole council by month only.
set -euo pipefail
count=${1:-1000000}
requests=${2:-200}
seconds=${3:-10}
connections=${4:-8}
source "$(dirname "$0")/lib.sh"
bench_need_jar
bench_need_wrk
bench_need_jose
bench_schema uptake "&rewriteBatchedStatements=true"

today=$(date -u +%F)
from=2016-12-01
to=2026-11-30
[[ "$to" > "$today" ]] && to=$today
area=E05000003

echo "== migrating the schema (--rebuild-uptake on the empty database)"
portal --rebuild-uptake > "$work/migrate" 2>&1 || { cat "$work/migrate"; exit 1; }

# 12 sample areas (made-up codes and populations, Leicester-like districts and sectors): the
# districts LE1..LE9, two sectors of LE2 and one full postcode with areas of their own.
sql <<'SQL'
INSERT INTO uptake_areas (area_code, name, population, population_source, population_year) VALUES
 ('E05000001', 'Castle', 24000, 'bench sample', 2025), ('E05000002', 'Knighton', 18000, 'bench sample', 2025),
 ('E05000003', 'Stoneygate', 17000, 'bench sample', 2025), ('E05000004', 'Westcotes', 12000, 'bench sample', 2025),
 ('E05000005', 'Belgrave', 15500, 'bench sample', 2025), ('E05000006', 'Aylestone', 13000, 'bench sample', 2025),
 ('E05000007', 'Evington', 16000, 'bench sample', 2025), ('E05000008', 'Humberstone', 14000, 'bench sample', 2025),
 ('E05000009', 'Beaumont Leys', 21000, 'bench sample', 2025), ('E05000010', 'Braunstone', 19000, 'bench sample', 2025),
 ('E05000011', 'Rushey Mead', 15000, 'bench sample', 2025), ('E05000012', 'Troon', NULL, NULL, NULL);
INSERT INTO uptake_postcode_areas (postcode_key, area_code) VALUES
 ('LE1', 'E05000001'), ('LE2', 'E05000002'), ('LE2 1', 'E05000003'), ('LE2 3', 'E05000003'),
 ('LE3', 'E05000004'), ('LE4', 'E05000005'), ('LE5', 'E05000006'), ('LE6', 'E05000007'),
 ('LE7', 'E05000008'), ('LE8', 'E05000009'), ('LE9', 'E05000010'), ('LE1 6ZG', 'E05000011'),
 ('LE4 9', 'E05000012');
SQL

echo "== generating $count accounts signed up $from..$to"
started=$(date +%s.%N)
portal --generate-accounts --allow-external-database --from=$from --to=$to --count="$count" \
  > "$work/generate" 2>&1 || { cat "$work/generate"; exit 1; }
generated=$(echo "$(date +%s.%N) - $started" | bc)
cat "$work/generate"
printf 'generation (JVM start to exit): %.1f s\n' "$generated"

echo "== --rebuild-uptake at this size"
started=$(date +%s.%N)
set +e
portal --rebuild-uptake > "$work/rebuild" 2>&1
rebuilt=$?
set -e
cat "$work/rebuild"
printf 'rebuild and cross-check (JVM start to exit): %.1f s, exit %d\n' "$(echo "$(date +%s.%N) - $started" | bc)" "$rebuilt"
[ "$rebuilt" = 0 ] || exit 1

sql -e "ANALYZE TABLE accounts, uptake_accounts, uptake_changes, uptake_daily, uptake_monthly" > /dev/null
echo "== rows"
sql -t -e "SELECT (SELECT COUNT(*) FROM accounts) accounts, (SELECT COUNT(*) FROM uptake_accounts) uptake_accounts,
  (SELECT COUNT(*) FROM uptake_changes) uptake_changes, (SELECT COUNT(*) FROM uptake_daily) uptake_daily,
  (SELECT COUNT(*) FROM uptake_monthly) uptake_monthly,
  (SELECT COUNT(*) FROM uptake_daily WHERE area_code = '*') daily_council,
  (SELECT COUNT(*) FROM uptake_daily WHERE area_code = '$area') daily_area"

version=$(sql -N -s -e "SELECT VERSION()")
if [[ "$version" == *MariaDB* ]]; then analyze="ANALYZE FORMAT=JSON"; else analyze="EXPLAIN ANALYZE"; fi
month_start=$(date -u -d "$to" +%Y-%m-01)
before=$(date -u -d "$from - 1 day" +%F)
before_month=$(date -u -d "$before" +%Y-%m-01)
sums="SUM(sign_ups), SUM(accounts), SUM(verified), SUM(verifications), SUM(linked), SUM(erased), SUM(active_7d), SUM(active_30d)"
# The statements UptakeReports runs for one report by month from the first of a month to the end
# of one (parameters written in): keep in step with it.
codes=$(sql -N -s -e "SELECT GROUP_CONCAT(QUOTE(area_code)) FROM (SELECT DISTINCT area_code FROM uptake_monthly WHERE area_code <> '*') a")
report_sql() { # area, condition on area_code for byArea, its area codes
  cat <<SQL
SELECT area_code, name, population, population_source, population_year FROM uptake_areas ORDER BY name, area_code;
SELECT 1 FROM uptake_monthly WHERE area_code = '$1' LIMIT 1;
SELECT $sums FROM uptake_monthly WHERE area_code = '$1' AND on_day < '$before_month';
SELECT $sums FROM uptake_daily WHERE area_code = '$1' AND on_day >= '$before_month' AND on_day <= '$before';
SELECT on_day, sign_ups, accounts, verified, verifications, linked, erased, active_7d, active_30d FROM uptake_monthly WHERE area_code = '$1' AND on_day >= '$from' AND on_day <= '$to' ORDER BY on_day;
SELECT area_code, SUM(CASE WHEN on_day < '$month_start' THEN accounts ELSE 0 END), SUM(CASE WHEN on_day < '$month_start' THEN 1 ELSE 0 END) FROM uptake_monthly WHERE area_code $2 GROUP BY area_code;
SELECT area_code, SUM(accounts) FROM uptake_daily WHERE area_code IN ($3) AND on_day >= '$month_start' AND on_day <= '$to' GROUP BY area_code;
SELECT SUM(online), SUM(total) FROM uptake_transactions WHERE on_day >= '$from' AND on_day <= '$to';
SQL
}
plans() { # title area key
  echo
  echo "== report SQL, $1: table, access, key, rows read (r_rows x loops), time"
  while IFS= read -r statement; do
    [ -n "$statement" ] || continue
    sql -N -r -s -e "$analyze ${statement%;}" | python3 -c '
import json, sys
text = sys.stdin.read()
try:
    plan = json.loads(text)
except ValueError:
    print("   ", text.strip().replace("\n", " ")[:300]); sys.exit()
found = []
def walk(node):
    if isinstance(node, dict):
        if "table" in node and isinstance(node["table"], dict) and "table_name" in node["table"]:
            t = node["table"]
            found.append("%s %s key=%s rows=%s x %s %.2f ms" % (t["table_name"], t.get("access_type"),
                t.get("key"), t.get("r_rows"), t.get("r_loops"), t.get("r_table_time_ms", 0)))
        for v in node.values(): walk(v)
    elif isinstance(node, list):
        for v in node: walk(v)
walk(plan)
print("   ", "; ".join(found) or "(no table read)", "| total %.2f ms" % plan["query_block"].get("r_total_time_ms", 0))
'
  done < <(report_sql "$2" "$3" "$4")
}
plans "whole council" '*' "<> '*'" "$codes"
plans "area $area" "$area" "= '$area'" "'$area'"

echo
echo "== starting the service"
echo "[$(bench_app_client '["openid", "account"]')]" > "$work/clients.json"
bench_start 18084 PORTAL_CLIENTS_FILE="$work/clients.json"
bench_sign_up bench-manager@example.org "$bench_password"
sql -e "UPDATE accounts SET status = 'ACTIVE', email_verified_at = UTC_TIMESTAMP(6) WHERE email = 'bench-manager@example.org';
  INSERT INTO account_roles (account_id, role, granted_at)
  SELECT id, 'MANAGER', UTC_TIMESTAMP(6) FROM accounts WHERE email = 'bench-manager@example.org';"
bench_sign_in "openid account" bench-manager@example.org | cut -d' ' -f1 > "$work/tokens"
token=$(head -1 "$work/tokens")

measure() { # title path
  local path=$2
  local answer
  answer=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $token" "$base$path")
  [ "$(echo "$answer" | tail -1)" = 200 ] || { echo "$path answered: $answer"; exit 1; }
  echo
  echo "== $1: GET $path"
  echo "$answer" | head -1 | python3 -c '
import json, sys
r = json.load(sys.stdin)
if "series" not in r: print("    ", json.dumps(r)[:200]); sys.exit()
print("    totalAccounts %s, verified %s, linked %s, deleted %s, active 7d/30d %s/%s, %d periods, %d areas, %d bytes"
      % (r["totalAccounts"], r["verifiedAccounts"], r["linkedAccounts"], r["deletedAccounts"],
         r.get("activeAccounts7d"), r.get("activeAccounts30d"), len(r["series"]), len(r["byArea"]),
         len(json.dumps(r))))'
  for _ in $(seq 1 50); do curl -s -o /dev/null -H "Authorization: Bearer $token" "$base$path"; done
  for _ in $(seq 1 "$requests"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$base$path"
  done | sort -n | awk '{ t[NR] = $1 * 1000 } END {
    printf "%.1f %.1f %.1f %.1f %d\n", t[int(NR * 0.5 + 0.5)], t[int(NR * 0.9 + 0.5)], t[int(NR * 0.99 + 0.5)], t[NR], NR }' > "$work/sequential"
  read -r seq_p50 seq_p90 seq_p99 seq_max _ < "$work/sequential"
  echo "    $requests sequential requests (curl time_total): p50 $seq_p50 ms, p90 $seq_p90 ms, p99 $seq_p99 ms, max $seq_max ms"
  line=$(TOKENS="$work/tokens" REPORT_PATH="$path" wrk -t2 -c"$connections" -d"${seconds}s" --latency \
    -s "$root/bench/uptake-report.lua" "$base" | grep '^RESULT')
  echo "$line" | awk -v c="$connections" -v s="$seconds" '{ printf "    wrk -t2 -c%s %ss: %s reports/s, p50 %s ms, p99 %s ms, errors %s\n", c, s, $3, $4, $5, $6 }'
}
measure "baseline: the same bearer-token path, one small query (SSO coverage)" "/api/v1/reports/sso-coverage"
measure "whole council, ten years by month" "/api/v1/reports/uptake?from=$from&to=$to&interval=month"
month_line=$line month_p50=$seq_p50 month_p99=$seq_p99
if [ -z "${UPTAKE_MONTH_ONLY:-}" ]; then
  measure "area $area, ten years by month" "/api/v1/reports/uptake?from=$from&to=$to&interval=month&area=$area"
  measure "whole council, ten years by day" "/api/v1/reports/uptake?from=$from&to=$to&interval=day"
fi
rss=$(bench_rss_mb)
read -r _ _ rate _ _ errors <<< "$month_line"
bench_result uptake_report "$rate" "reports/s" "$month_p50" "$month_p99" "$errors" "$rss" "-" \
  "$count accounts; whole council, ten years by month; p50/p99 of $requests sequential requests (curl), reports/s with wrk -t2 -c$connections ${seconds} s"
echo
echo "machine: $(bench_machine)"
