#!/usr/bin/env bash
# client_credentials grants with private_key_jwt (POST /oauth2/token), a fresh assertion (unique
# jti) per request: throughput and latency on MariaDB, median of runs.
#
#   bash bench/client-credentials.sh [seconds-per-run] [connections] [runs]
#
# Starts target/resident-portal.jar on a fresh MariaDB schema (127.0.0.1:3306, root) with one
# BACK_OFFICE client whose ES256 key is made for the run (bench/bench.mjs, jose). Before each run
# (and the warm-up) it signs seconds x BENCH_GRANT_RATE_CAP assertions (default 8,000 a second,
# above the 3,200/s target; each with its own jti and exp five minutes ahead, the service's limit)
# into a file of ready form bodies; wrk (Debian package; installed when missing) with
# bench/client-credentials.lua sends one per request. Every grant takes the whole path: the
# assertion's ES256 signature and claims checked, its jti inserted to refuse replays (across
# replicas), an access token signed. The load generator is wrk, not node: pre-made assertions and
# a C load generator leave far more of the 2 shared cores to the service and MariaDB than signing
# in node per request would. Listens on 127.0.0.1 only; stops the jar and drops the schema.
set -euo pipefail
seconds=${1:-15}
connections=${2:-32}
runs=${3:-3}
rate_cap=${BENCH_GRANT_RATE_CAP:-8000}
source "$(dirname "$0")/lib.sh"
bench_need_jar
bench_need_wrk
bench_need_jose

node "$root/bench/bench.mjs" key "$work" bench-1
cat > "$work/clients.json" <<JSON
[{"clientId": "bench-backoffice", "name": "Bench back office", "type": "BACK_OFFICE",
  "sourceSystem": "BENCH", "scopes": ["records:write"], "jwks": {"keys": [$(cat "$work/public.json")]}}]
JSON
bench_schema grants
bench_start 18085 PORTAL_CLIENTS_FILE="$work/clients.json"

assertions() { # count
  node "$root/bench/bench.mjs" assertions "$work/key.json" bench-backoffice "$base/oauth2/token" "$1" > "$work/assertions"
}
assertions 1
check=$(curl -s -o "$work/answer.json" -w '%{http_code}' "$base/oauth2/token" \
  -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$work/assertions")
[ "$check" = 200 ] || { echo "client_credentials answered $check: $(cat "$work/answer.json")"; exit 1; }
echo "one grant: $(head -c 120 "$work/answer.json")..."

fresh_assertions() { assertions $(( rate_cap * $1 )); } # seconds
count_used() { sql -N -e "SELECT COUNT(*) FROM client_assertions"; }
BENCH_BEFORE_RUN=fresh_assertions bench_wrk_runs "$root/bench/client-credentials.lua" "$connections" "$seconds" "$runs" ASSERTIONS="$work/assertions"
echo "jti rows stored (every grant's assertion, warm-up included): $(count_used)"
bench_result_median client_credentials "grants/s" \
  "wrk -t2 -c$connections, ${seconds} s runs"
echo "machine: $(bench_machine)"
