# Shared by the bench scripts (sourced, not run): tools, the fresh MariaDB schema, starting the
# packaged jar on loopback, wrk runs with their median, the machine line and the result line that
# bench/run.sh collects. Every script stays runnable alone.
#
# Environment:
#   BENCH_JAVA_OPTS  JVM options of the service under test (default below: sized for 2 cores and a
#                    250 MB budget); "none" for the JVM's defaults.
#   BENCH_JAVA       the java command that runs the service under test and the JMH baselines (default
#                    java on PATH; e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java: the service runs
#                    on 17 to 25, and ES256 costs a quarter as much on 25).
#   BENCH_RESULTS    when set (bench/run.sh sets it), each scenario appends its result line here.
#   BENCH_WARMUP     seconds of uncounted wrk warm-up before the counted runs (default 5).
#   BENCH_WRK_TIMEOUT  wrk counts a request unanswered after this long as an error (default 10s).
#   DB_HOST/DB_PORT  MariaDB or MySQL (default 127.0.0.1:3306, user root, no password).

bench_default_java_opts="-Xmx160m -Xss512k -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m"
bench_java_opts=${BENCH_JAVA_OPTS:-$bench_default_java_opts}
bench_java=${BENCH_JAVA:-java}
# Argon2id's 19 MiB working memory is native (libargon2): two malloc arenas keep glibc from caching
# a freed block per thread (RSS), as the Kubernetes Deployment sets it.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
[ "$bench_java_opts" = none ] && bench_java_opts=
db_host=${DB_HOST:-127.0.0.1}
db_port=${DB_PORT:-3306}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/target/resident-portal.jar"
work=$(mktemp -d)
schema=
pid=
base=
ready_ms=
database=()

bench_cleanup() {
  if [ -n "$pid" ] && kill "$pid" 2> /dev/null; then wait "$pid" 2> /dev/null || true; fi
  pid=
  if [ -n "$schema" ]; then mysql -h"$db_host" -P"$db_port" -uroot -e "DROP DATABASE IF EXISTS $schema" || true; fi
  rm -rf "$work"
}
trap bench_cleanup EXIT

bench_need_jar() {
  [ -f "$jar" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 1; }
}

# wrk is Debian's package: installed when missing (as root), reading the package lists first if
# this machine has none yet.
bench_need_wrk() {
  command -v wrk > /dev/null && return
  { apt-get install -y --no-install-recommends wrk || { apt-get update && apt-get install -y --no-install-recommends wrk; }; } > /dev/null
}

bench_need_jose() {
  [ -d "$root/tools/node_modules/jose" ] || (cd "$root/tools" && npm ci --silent --no-audit --no-fund)
}

sql() { mysql -h"$db_host" -P"$db_port" -uroot "$schema" "$@"; }

# A fresh schema for this scenario (dropped on exit) and the service's environment for it.
bench_schema() { # name [extra JDBC parameters]
  schema="portal_bench_$1_$$"
  mysql -h"$db_host" -P"$db_port" -uroot -e "CREATE DATABASE $schema CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  database=(
    "DATASOURCES_DEFAULT_URL=jdbc:mysql://$db_host:$db_port/$schema?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true${2:-}"
    DATASOURCES_DEFAULT_USERNAME=root DATASOURCES_DEFAULT_PASSWORD=
    "PORTAL_KEYS_ENCRYPTION_KEY=$(openssl rand -base64 32)"
    PORTAL_EMAIL_OUTBOX="$work/outbox" PORTAL_DATA_DIR="$work/data")
}

# The jar's command line tools (--rebuild-uptake, --verify-audit...) on the scenario's schema, with
# the JVM's default options: they are set-up, not the service under test (--rebuild-uptake holds
# the roll-ups in memory and needs more heap than the service's 160m).
portal() { (cd "$work" && env "${database[@]}" java ${BENCH_TOOL_JAVA_OPTS:-} -jar "$jar" "$@"); }

# Starts the packaged jar on 127.0.0.1:PORT with the schema's environment and any extra VAR=value,
# waits for /health/readiness; sets pid (the java process itself), base and ready_ms.
bench_start() { # port [VAR=value...]
  local port=$1
  shift
  local started
  started=$(date +%s%N)
  (cd "$work" && exec env MICRONAUT_SERVER_PORT="$port" MICRONAUT_SERVER_HOST=127.0.0.1 \
    PORTAL_ISSUER="http://127.0.0.1:$port" "${database[@]}" "$@" \
    "$bench_java" $bench_java_opts -jar "$jar" > "$work/log" 2>&1) &
  pid=$!
  base="http://127.0.0.1:$port"
  until curl -sf "$base/health/readiness" > /dev/null; do
    kill -0 "$pid" 2> /dev/null || { cat "$work/log"; exit 1; }
    sleep 0.05
  done
  ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}

bench_stop() {
  if [ -n "$pid" ] && kill "$pid" 2> /dev/null; then wait "$pid" 2> /dev/null || true; fi
  pid=
}

# Resident memory of the service now (VmRSS), in MB.
bench_rss_mb() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$pid/status"; }

# A resident signed up through the API (one Argon2id hash); its hash is then copied by SQL seeds.
bench_sign_up() { # email password
  curl -sf -o /dev/null "$base/api/v1/accounts" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\",\"givenName\":\"Bench\",\"familyName\":\"Seed\"}"
}

bench_password="violet tractor summer lantern"

# COUNT active P1 residents bench-1..COUNT@example.org (ids 00000000-0000-4000-8000-<n>), verified,
# all with the password hash of one resident signed up through the API (the API would take minutes).
bench_seed_residents() { # count
  bench_sign_up bench-seed@example.org "$bench_password"
  sql <<SQL
SET @hash = (SELECT password_hash FROM accounts WHERE email = 'bench-seed@example.org');
SET @now = UTC_TIMESTAMP(6);
INSERT INTO accounts (id, email, email_verified_at, password_hash, given_name, family_name,
  assurance, status, created_at, updated_at)
SELECT CONCAT('00000000-0000-4000-8000-', LPAD(seq, 12, '0')), CONCAT('bench-', seq, '@example.org'),
  @now, @hash, 'Bench', CONCAT('Resident ', seq), 'P1', 'ACTIVE', @now, @now
FROM seq_1_to_$1;
SQL
}

# A public sign-in client for bench_sign_in (PORTAL_CLIENTS_FILE), with the given scopes.
bench_app_client() { # scopes as a JSON list
  echo "{\"clientId\": \"bench-app\", \"name\": \"Bench resident app\", \"type\": \"PUBLIC\",
    \"redirectUris\": [\"http://localhost/bench/callback\"], \"scopes\": $1}"
}

# Signs the given residents in through the real form (bench/bench.mjs sign-in), four at a time:
# "access_token refresh_token" a line.
bench_sign_in() { # scope email...
  local scope=$1
  shift
  node "$root/bench/bench.mjs" sign-in "$base" bench-app "$scope" "$bench_password" "$@"
}

# wrk against $base: an uncounted warm-up, then RUNS counted runs of SECONDS with CONNECTIONS on
# two threads. The Lua script prints "RESULT requests rps p50_ms p99_ms errors [extra]"; a script may
# set BENCH_BEFORE_RUN to a command run before each run with its seconds (fresh assertions) and BENCH_AFTER_RUN to one
# given each run's RESULT line (checks). Prints each run and sets
# median (the line of the run with the median rate) and runs_rps (every run's rate).
bench_wrk_runs() { # lua connections seconds runs [VAR=value...]
  local lua=$1 connections=$2 seconds=$3 runs=$4
  shift 4
  local lines=() line i
  if [ "${BENCH_WARMUP:-5}" -gt 0 ]; then
    ${BENCH_BEFORE_RUN:-true} "${BENCH_WARMUP:-5}"
    env "$@" wrk -t2 -c"$connections" --timeout "${BENCH_WRK_TIMEOUT:-10s}" -d"${BENCH_WARMUP:-5}s" -s "$lua" "$base" > /dev/null
  fi
  runs_rps=
  for i in $(seq 1 "$runs"); do
    ${BENCH_BEFORE_RUN:-true} "$seconds"
    line=$(env "$@" wrk -t2 -c"$connections" --timeout "${BENCH_WRK_TIMEOUT:-10s}" -d"${seconds}s" --latency -s "$lua" "$base" | grep '^RESULT')
    echo "run $i: $(echo "$line" | awk '{ printf "%s/s, p50 %s ms, p99 %s ms, errors %s (%s in all)", $3, $4, $5, $6, $2 }')"
    [ -z "${BENCH_AFTER_RUN:-}" ] || $BENCH_AFTER_RUN "$line"
    lines+=("$line")
    runs_rps+="${runs_rps:+, }$(echo "$line" | awk '{print $3}')"
  done
  median=$(printf '%s\n' "${lines[@]}" | sort -k3 -n | awk -v n="$runs" 'NR == int((n + 1) / 2)')
  echo "median run: $(echo "$median" | awk '{ printf "%s/s, p50 %s ms, p99 %s ms, errors %s", $3, $4, $5, $6 }')"
}

bench_median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

bench_machine() {
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -m | awk '/Mem:/ { printf "%.0f", $2 / 1024 }') GiB RAM, $("$bench_java" -version 2>&1 | head -1), $(mysql -h"$db_host" -P"$db_port" -uroot -N -e 'SELECT CONCAT(VERSION(), " (innodb_buffer_pool_size ", @@innodb_buffer_pool_size DIV 1048576, " MiB)")'), load generator on the same machine, JVM options: ${bench_java_opts:-none}"
}

# The result line of the median run of bench_wrk_runs, with the service's RSS now.
bench_result_median() { # scenario unit note
  local rate p50 p99 errors
  read -r _ _ rate p50 p99 errors <<< "$median"
  bench_result "$1" "$rate" "$2" "$p50" "$p99" "$errors" "$(bench_rss_mb)" "$runs_rps" "$3"
}

# One line for bench/run.sh, tab-separated: scenario, throughput, unit, p50 ms, p99 ms, errors,
# RSS MB after the load, runs, note. Also printed.
bench_result() { # scenario throughput unit p50 p99 errors rss runs note
  local line
  line=$(printf '%s\t' "$@")
  echo "result: ${line%$'\t'}" | tr '\t' '|'
  if [ -n "${BENCH_RESULTS:-}" ]; then printf '%s\n' "${line%$'\t'}" >> "$BENCH_RESULTS"; fi
}
