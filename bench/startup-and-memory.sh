#!/usr/bin/env bash
# Start-up time to ready and resident memory of the packaged jar, median of N runs.
#
#   bash bench/startup-and-memory.sh [runs] [h2|mariadb]
#
# Each run starts target/resident-portal.jar in a fresh folder (h2: the embedded default, a new
# database each time; mariadb: a fresh schema on 127.0.0.1:3306, migrated by the start, dropped
# afterwards), times until /health/readiness answers, signs up 20 residents (Argon2id each), then
# reads VmRSS. JVM options: BENCH_JAVA_OPTS (bench/lib.sh). Listens on 127.0.0.1 only and stops
# the jar itself. The load generator (curl) runs on the same machine.
set -euo pipefail
runs=${1:-5}
db=${2:-h2}
source "$(dirname "$0")/lib.sh"
bench_need_jar
ready=(); rss_mb=()
for i in $(seq 1 "$runs"); do
  rm -rf "${work:?}"/*
  if [ "$db" = mariadb ]; then bench_schema "startup_$i"; fi
  bench_start 18080
  ready+=("$ready_ms")
  for n in $(seq 1 20); do bench_sign_up "bench-$n@example.org" "$bench_password"; done
  rss_mb+=("$(bench_rss_mb)")
  echo "run $i: ready in $ready_ms ms, RSS after 20 sign-ups $(bench_rss_mb) MB"
  bench_stop
  if [ "$db" = mariadb ]; then mysql -h"$db_host" -P"$db_port" -uroot -e "DROP DATABASE $schema"; schema=; fi
done
# A restart as production does it: the schema already migrated (Kubernetes: by the migration Job,
# so the pods run with FLYWAY_DATASOURCES_DEFAULT_ENABLED=false),
# and an application class-data-sharing archive (AppCDS, JDK 17+) made once by a training start,
# so classes load mapped from the archive instead of being parsed and verified again.
if [ "$db" = mariadb ]; then
  bench_schema "startup_cds"
  plain_opts=$bench_java_opts
  bench_java_opts="$plain_opts -XX:ArchiveClassesAtExit=$work/../portal-cds-$$.jsa"
  bench_start 18080
  bench_sign_up "bench-cds@example.org" "$bench_password"
  bench_stop
  bench_java_opts="$plain_opts -XX:SharedArchiveFile=$work/../portal-cds-$$.jsa"
  restart=()
  for i in $(seq 1 "$runs"); do
    # As the Kubernetes pods start: the migration Job has run, so they do not migrate.
    bench_start 18080 FLYWAY_DATASOURCES_DEFAULT_ENABLED=false
    restart+=("$ready_ms")
    echo "restart $i (migrated schema, AppCDS): ready in $ready_ms ms"
    bench_stop
  done
  bench_java_opts=$plain_opts
  rm -f "$work/../portal-cds-$$.jsa"
  bench_result "startup_cds" - - "$(bench_median "${restart[@]}")" - 0 - "${restart[*]}" \
    "restart to ready (ms, median of $runs) on a migrated schema (no Flyway, as the pods) with an AppCDS archive"
fi
echo "database=$db runs=$runs ready_ms=[${ready[*]}] median_ready_ms=$(bench_median "${ready[@]}") rss_mb=[${rss_mb[*]}] median_rss_mb=$(bench_median "${rss_mb[@]}")"
bench_result "startup_$db" - - "$(bench_median "${ready[@]}")" - 0 "$(bench_median "${rss_mb[@]}")" "${ready[*]}" \
  "start to ready (ms, median of $runs), RSS after 20 sign-ups"
echo "machine: $(bench_machine)"
