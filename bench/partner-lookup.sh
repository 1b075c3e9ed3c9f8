#!/usr/bin/env bash
# Audited partner lookups (GET /api/v1/partner/residents?nhsNumber=&birthDate=) on MariaDB:
# throughput and latency, median of runs, and a count proving every answered lookup was audited.
#
#   bash bench/partner-lookup.sh [seconds-per-run] [connections] [runs] [partner-clients]
#
# Starts target/resident-portal.jar on a fresh MariaDB schema (127.0.0.1:3306, root) with one NHS
# organisation and N PARTNER clients (default 8; one fresh ES256 key registered for each;
# private_key_jwt), their rate limit raised out of the way (PORTAL_PARTNER_RATE_PER_SECOND/BURST).
# Each client's rate limit is one bucket row in the database, so one client's requests queue on
# that row: N clients measure the service, N=1 measures one client's ceiling. Seeds 10,000 active P1 residents with
# valid NHS numbers and birth dates, each with a consent for ALL_NHS (SQL, outside the timing).
# Then runs wrk (Debian package; installed when missing) with bench/partner-lookup.lua: a different
# resident per request, a fresh X-Request-ID each. Every lookup runs the whole path: scope, request
# id, organisation active, rate limit (Bucket4j on MariaDB), match, consent, partner id, audit
# event appended to a hash chain in the same transaction. Listens on 127.0.0.1 only; stops the jar
# and drops the schema. wrk shares the 2 cores.
set -euo pipefail
seconds=${1:-20}
connections=${2:-32}
runs=${3:-3}
clients=${4:-8}
source "$(dirname "$0")/lib.sh"
bench_need_jar
bench_need_wrk
bench_need_jose

# The partners' key pair (bench/bench.mjs): the public half is registered, the private half signs.
node "$root/bench/bench.mjs" key "$work" bench-partner-1
echo '[{"odsCode": "RBEN1", "name": "Bench NHS Trust", "type": "NHS_TRUST"}]' > "$work/organisations.json"
python3 - "$work" "$clients" <<'PY'
import json, sys
work, count = sys.argv[1], int(sys.argv[2])
key = json.load(open(f"{work}/public.json"))
json.dump([{"clientId": f"bench-partner-{i}", "name": f"Bench partner {i}", "type": "PARTNER",
            "organisationOds": "RBEN1", "scopes": ["partner:resident.read"], "jwks": {"keys": [key]}}
           for i in range(count)], open(f"{work}/clients.json", "w"))
PY
bench_schema partner
bench_start 18083 PORTAL_ORGANISATIONS_FILE="$work/organisations.json" PORTAL_CLIENTS_FILE="$work/clients.json" \
  PORTAL_PARTNER_RATE_PER_SECOND=10000 PORTAL_PARTNER_RATE_BURST=10000

echo "seeding 10,000 residents with NHS numbers and consents..."
python3 - "$work" <<'PY'
import random, sys, datetime
work = sys.argv[1]
random.seed(5)
def nhs(base):
    digits = [int(c) for c in f"{base:09d}"]
    check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
    check = 0 if check == 11 else check
    return None if check == 10 else "".join(map(str, digits)) + str(check)
rows, n, seen = [], 400000000, set()
while len(rows) < 10000:
    n += random.randint(1, 97)
    number = nhs(n)
    if number and len(set(number)) > 1:
        born = datetime.date(1930, 1, 1) + datetime.timedelta(days=random.randint(0, 30000))
        rows.append((number, born.isoformat()))
# 500 rows an INSERT: one statement a row took a minute on a busy machine.
accounts, consents = [], []
with open(f"{work}/targets", "w") as t:
    for i, (number, born) in enumerate(rows, 1):
        t.write(f"{number} {born}\n")
        account = f"00000000-0000-4000-8000-{i:012d}"
        accounts.append(f"('{account}', 'bench-{i}@example.org', @now, 'Bench', 'Resident {i}', 'LE1 5WW',"
                        f" '{born}', '{number}', 'P1', 'ACTIVE', @now, @now)")
        consents.append(f"('30000000-0000-4000-8000-{i:012d}', '{account}', 'ALL_NHS', 'SOCIAL_CARE HOUSING',"
                        f" 'DIRECT_CARE', @now, '{account}')")
with open(f"{work}/seed.sql", "w") as s:
    s.write("SET @now = UTC_TIMESTAMP(6);\n")
    for k in range(0, len(rows), 500):
        s.write("INSERT INTO accounts (id, email, email_verified_at, given_name, family_name, postcode,"
                " date_of_birth, nhs_number, assurance, status, created_at, updated_at) VALUES\n"
                + ",\n".join(accounts[k:k + 500]) + ";\n")
        s.write("INSERT INTO consents (id, account_id, organisation, categories, purpose, granted_at,"
                " granted_by) VALUES\n" + ",\n".join(consents[k:k + 500]) + ";\n")
    s.write("ANALYZE TABLE accounts, consents;\n")
PY
started=$(date +%s)
sql < "$work/seed.sql" > /dev/null
echo "seeded in $(( $(date +%s) - started )) s"

partners=()
for i in $(seq 0 $(( clients - 1 ))); do partners+=("bench-partner-$i"); done
node "$root/bench/bench.mjs" client-tokens "$base" "$work/key.json" "${partners[@]}" > "$work/tokens"
token=$(head -1 "$work/tokens")
first=$(head -1 "$work/targets")
check=$(curl -s -o "$work/answer.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
  -H "X-Request-ID: $(cat /proc/sys/kernel/random/uuid)" \
  "$base/api/v1/partner/residents?nhsNumber=${first% *}&birthDate=${first#* }")
[ "$check" = 200 ] || { echo "lookup answered $check: $(cat "$work/answer.json")"; exit 1; }
echo "one lookup: $(cat "$work/answer.json")"

audited() { sql -N -e "SELECT COUNT(*) FROM audit_events WHERE action = 'PARTNER_LOOKUP'"; }
# Every answered lookup must be audited: each run's PARTNER_LOOKUP events against its 200 answers
# (events may exceed them by the requests in flight when wrk stops counting).
audited_before=
every_one_audited=yes
count_before() { audited_before=$(audited); }
count_after() { # the run's RESULT line
  sleep 1
  local events ok
  events=$(( $(audited) - audited_before ))
  ok=$(echo "$1" | awk '{ print $2 - $6 }')
  [ "$events" -ge "$ok" ] || every_one_audited=no
  echo "       $events audit events for $ok answered lookups"
}
BENCH_BEFORE_RUN=count_before BENCH_AFTER_RUN=count_after \
  bench_wrk_runs "$root/bench/partner-lookup.lua" "$connections" "$seconds" "$runs" \
  TOKENS="$work/tokens" TARGETS="$work/targets"
read -r _ _ rate p50 p99 errors <<< "$median"
rss=$(bench_rss_mb)
bench_stop
set +e
portal --verify-audit > "$work/verify" 2>&1
verify_exit=$?
set -e
echo "audit chains after the runs: --verify-audit exit $verify_exit; $(audited) PARTNER_LOOKUP events in all"
tail -3 "$work/verify"
[ "$verify_exit" = 0 ] && chains=intact || chains="NOT intact (exit $verify_exit)"
bench_result partner_lookup "$rate" "lookups/s" "$p50" "$p99" "$errors" "$rss" "$runs_rps" \
  "wrk -t2 -c$connections, ${seconds} s runs, $clients partner clients; every answered lookup audited: $every_one_audited, audit chains $chains"
echo "machine: $(bench_machine), $clients partner clients"
