#!/usr/bin/env bash
# Start-up time to ready and resident memory of the packaged jar, median of N runs.
#
#   bash bench/startup-and-memory.sh [runs] [h2|mariadb]
#
# Each run starts target/resident-portal.jar in a fresh folder (h2: the embedded default, a new
# database each time; mariadb: a fresh schema on 127.0.0.1:3306, dropped afterwards), waits for
# /health/readiness, signs up 20 residents (Argon2id each), then reads VmRSS. Listens on 127.0.0.1
# only and stops the jar itself. The load generator (curl) runs on the same machine.
set -euo pipefail
runs=${1:-5}
db=${2:-h2}
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/target/resident-portal.jar"
[ -f "$jar" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 1; }
port=18080
ready_ms=(); rss_mb=()
for i in $(seq 1 "$runs"); do
  work=$(mktemp -d)
  env_args=(MICRONAUT_SERVER_PORT=$port MICRONAUT_SERVER_HOST=127.0.0.1)
  if [ "$db" = mariadb ]; then
    schema="portal_bench_$$_$i"
    mysql -h127.0.0.1 -uroot -e "CREATE DATABASE $schema"
    env_args+=("DATASOURCES_DEFAULT_URL=jdbc:mysql://127.0.0.1:3306/$schema?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true"
      DATASOURCES_DEFAULT_USERNAME=root DATASOURCES_DEFAULT_PASSWORD= "PORTAL_KEYS_ENCRYPTION_KEY=$(openssl rand -base64 32)")
  fi
  start=$(date +%s%N)
  (cd "$work" && exec env "${env_args[@]}" java -jar "$jar" > "$work/log" 2>&1) &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health/readiness" > /dev/null; do
    kill -0 $pid 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.05
  done
  ready_ms+=($(( ($(date +%s%N) - start) / 1000000 )))
  for n in $(seq 1 20); do
    curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/accounts" -H 'Content-Type: application/json' \
      -d "{\"email\":\"bench-$n@example.org\",\"password\":\"violet tractor summer lantern\",\"givenName\":\"B\",\"familyName\":\"C\"}"
  done
  jpid=$(pgrep -f "java -jar $jar" | head -1)
  rss_mb+=($(( $(awk '/VmRSS/ {print $2}' /proc/$jpid/status) / 1024 )))
  kill $jpid; wait $pid 2>/dev/null || true
  [ "$db" = mariadb ] && mysql -h127.0.0.1 -uroot -e "DROP DATABASE $schema"
  rm -rf "$work"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "database=$db runs=$runs ready_ms=[${ready_ms[*]}] median_ready_ms=$(median "${ready_ms[@]}") rss_mb=[${rss_mb[*]}] median_rss_mb=$(median "${rss_mb[@]}")"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
