#!/usr/bin/env bash
# Password sign-ins through the real form, CSRF included: completed sign-ins a second on MariaDB,
# median of runs.
#
#   bash bench/password-sign-in.sh [seconds-per-run] [connections] [runs] [residents]
#
# Starts target/resident-portal.jar on a fresh MariaDB schema (127.0.0.1:3306, root) with a public
# sign-in client and N residents (default 1,000: bench-N@example.org, one signed up through the
# API, its hash copied by SQL, so each sign-in checks a real Argon2id hash at our parameters). wrk
# (Debian package; installed when missing) with bench/password-sign-in.lua then signs them in turn:
# GET /oauth2/authorize (the sign-in page, its csrf_token and cookie), POST /oauth2/authorize with
# the form (CSRF token, cookie, Origin, email, password), complete when answered 302 to the client
# with a code. Sign-ins a second count completed sign-ins; p50/p99 are over both requests. The
# target is 0.9 x the bare Argon2id rate on 2 threads (bench/jmh, reported by bench/run.sh). The
# service computes at most PORTAL_MAX_CONCURRENT_HASHES (4) hashes at once, so connections beyond
# that wait in its queue. Listens on 127.0.0.1 only; stops the jar and drops the schema.
set -euo pipefail
seconds=${1:-15}
connections=${2:-8}
runs=${3:-3}
residents=${4:-1000}
source "$(dirname "$0")/lib.sh"
bench_need_jar
bench_need_wrk
bench_need_jose

echo "[$(bench_app_client '["openid"]')]" > "$work/clients.json"
bench_schema signin
bench_start 18087 PORTAL_CLIENTS_FILE="$work/clients.json"
bench_seed_residents "$residents"
# One sign-in by node first: the flow works end to end.
bench_sign_in openid bench-1@example.org > /dev/null
echo "one sign-in through the form: ok"

query="client_id=bench-app&redirect_uri=http%3A%2F%2Flocalhost%2Fbench%2Fcallback&response_type=code&scope=openid&state=s&code_challenge_method=S256&code_challenge=$(printf 'bench-verifier-0123456789-0123456789-0123' | openssl dgst -sha256 -binary | basenc --base64url | tr -d '=')"
signed_in() { sql -N -e "SELECT COUNT(*) FROM browser_sessions" 2> /dev/null || echo "?"; }
before=$(signed_in)
bench_wrk_runs "$root/bench/password-sign-in.lua" "$connections" "$seconds" "$runs" \
  AUTHORIZE_QUERY="$query" PASSWORD="$bench_password" RESIDENTS="$residents" ORIGIN="$base"
echo "sessions created by the runs (warm-up included): $(( $(signed_in) - before ))"
bench_result_median password_sign_in "sign-ins/s" \
  "wrk -t2 -c$connections, ${seconds} s runs, $residents residents; p50/p99 over the page GET and the form POST"
echo "machine: $(bench_machine)"
