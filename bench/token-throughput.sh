#!/usr/bin/env bash
# Access tokens per second for client_credentials with a private_key_jwt assertion (RFC 7523),
# the path every back-office system and NHS partner takes before each batch of calls.
#
#   bash bench/token-throughput.sh [seconds] [concurrency] [h2|mariadb]
#
# Starts target/resident-portal.jar in a fresh folder (h2: the embedded default; mariadb: a fresh
# schema on 127.0.0.1:3306, dropped afterwards) with one BACK_OFFICE client whose EC P-256 key the
# driver generates, waits for /health/readiness, warms up for 5 s, then runs bench/TokenThroughput.java
# (Java's single-file launcher, the jar on the class path for Nimbus JOSE) for [seconds] with
# [concurrency] callers. Every request signs a new assertion, so each token costs one signature
# check and one insert of its jti. Listens on 127.0.0.1 only and stops the jar it started. Not part
# of any test command.
set -euo pipefail
seconds=${1:-20}
concurrency=${2:-8}
db=${3:-h2}
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/target/resident-portal.jar"
[ -f "$jar" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 1; }
port=${BENCH_PORT:-18081}
base="http://127.0.0.1:$port"
work=$(mktemp -d)
schema=""
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$schema" ]; then mysql -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $schema" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

driver=(java -cp "$jar" "$root/bench/TokenThroughput.java")
"${driver[@]}" keygen "$work/key.json" bench-system BENCH > "$work/clients.json"

env_args=(MICRONAUT_SERVER_PORT=$port MICRONAUT_SERVER_HOST=127.0.0.1 PORTAL_ISSUER=$base
  PORTAL_CLIENTS_FILE=$work/clients.json PORTAL_DEMO_CLIENT=false PORTAL_DATA_DIR=$work/data
  PORTAL_EMAIL_OUTBOX=$work/outbox)
if [ "$db" = mariadb ]; then
  schema="portal_bench_tokens_$$"
  mysql -h127.0.0.1 -uroot -e "CREATE DATABASE $schema"
  env_args+=("DATASOURCES_DEFAULT_URL=jdbc:mysql://127.0.0.1:3306/$schema?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true"
    DATASOURCES_DEFAULT_USERNAME=root DATASOURCES_DEFAULT_PASSWORD=)
else
  env_args+=("DATASOURCES_DEFAULT_URL=jdbc:h2:file:$work/data/portal;MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE")
fi
(cd "$work" && exec env "${env_args[@]}" java -jar "$jar" > "$work/log" 2>&1) &
pid=$!
until curl -sf "$base/health/readiness" > /dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.1
done
echo "database=$db"
"${driver[@]}" run "$base" bench-system "$work/key.json" "$seconds" "$concurrency" 5
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
