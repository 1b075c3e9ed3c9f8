#!/usr/bin/env bash
# refresh_token grants with rotation (POST /oauth2/token): throughput and latency on MariaDB,
# median of runs; each connection chains its own tokens.
#
#   bash bench/refresh-token.sh [seconds-per-run] [connections] [runs]
#
# Starts target/resident-portal.jar on a fresh MariaDB schema (127.0.0.1:3306, root) with a public
# sign-in client and one resident per connection (bench-N@example.org, one signed up through the
# API, its hash copied by SQL). Before each run (and the warm-up) it signs every one of them in
# through the real form (bench/bench.mjs: authorize page, CSRF token, form POST, code for tokens
# with PKCE; Argon2id each, outside the timing) and gives wrk (Debian package; installed when
# missing) with bench/refresh-token.lua one refresh token per connection: each answer's new
# refresh token is the next request's, so every request rotates a chain (the old token consumed by
# a conditional update, the new one inserted, an access token and an ID token signed with ES256).
# Chains are seeded anew per run because wrk stops with requests in flight, whose rotated tokens it
# never reads. wrk, not node, generates the load: far lighter on the 2 shared cores. Listens on
# 127.0.0.1 only; stops the jar and drops the schema.
set -euo pipefail
seconds=${1:-15}
connections=${2:-32}
runs=${3:-3}
source "$(dirname "$0")/lib.sh"
bench_need_jar
bench_need_wrk
bench_need_jose

echo "[$(bench_app_client '["openid"]')]" > "$work/clients.json"
bench_schema refresh
bench_start 18086 PORTAL_CLIENTS_FILE="$work/clients.json"
bench_seed_residents "$connections"
emails=()
for i in $(seq 1 "$connections"); do emails+=("bench-$i@example.org"); done
seed_chains() {
  bench_sign_in openid "${emails[@]}" > "$work/tokens"
  [ "$(grep -vc ' -$' "$work/tokens")" = "$connections" ] || { echo "sign-ins gave no refresh tokens"; cat "$work/tokens"; exit 1; }
}
seed_chains
check=$(curl -s -o "$work/answer.json" -w '%{http_code}' "$base/oauth2/token" \
  -d grant_type=refresh_token -d client_id=bench-app --data-urlencode "refresh_token=$(head -1 "$work/tokens" | cut -d' ' -f2)")
[ "$check" = 200 ] || { echo "refresh answered $check: $(cat "$work/answer.json")"; exit 1; }
echo "one refresh: $(head -c 120 "$work/answer.json")..."

BENCH_BEFORE_RUN=seed_chains bench_wrk_runs "$root/bench/refresh-token.lua" "$connections" "$seconds" "$runs" \
  TOKENS="$work/tokens" CLIENT_ID=bench-app
bench_result_median refresh_token "refreshes/s" \
  "wrk -t2 -c$connections, ${seconds} s runs, one chain per connection"
echo "machine: $(bench_machine)"
