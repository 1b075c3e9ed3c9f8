#!/usr/bin/env bash
# The whole benchmark suite (issue 7) in one command, against the packaged jar on MariaDB:
#
#   ./mvnw -q -DskipTests package
#   bash bench/run.sh [seconds-per-run] [connections] [runs]      # defaults 15 32 3: about 15 min
#   bash bench/run.sh --report [the same arguments]   # results.md again from target/bench (no runs)
#
# Writes target/bench/results.md (docs/PERFORMANCE.md-ready tables: each scenario's median run
# with throughput, p50, p99, errors, its ratio to its bare-cost baseline, the target and whether it
# is met; the JMH baselines; RSS per scenario; the machine), target/bench/results.tsv (one line a
# scenario) and a log per scenario in target/bench/.
#
# Each scenario is its own script (runnable alone, see its header), each on a fresh MariaDB schema
# (127.0.0.1:3306, root) that it drops afterwards, each starting the jar on 127.0.0.1 with
# BENCH_JAVA_OPTS (bench/lib.sh has the default), wrk (Debian) on the same 2 cores:
#   startup-and-memory.sh  start to ready (and RSS after 20 sign-ups), BENCH_STARTUP_RUNS (5) starts
#   client-credentials.sh  client_credentials, a fresh private_key_jwt assertion per request
#   refresh-token.sh       refresh_token with rotation, one chain per connection
#   password-sign-in.sh    sign-ins through the real form (page, CSRF, POST), BENCH_SIGNIN_CONNECTIONS (8)
#   records-list.sh        resident records list, 100,000 records over 10,000 residents
#   partner-lookup.sh      audited partner lookups, every answered one audited, chains verified
#   uptake-report.sh       uptake report at BENCH_UPTAKE_ACCOUNTS (1,000,000) accounts
# then the JMH baselines (bench/jmh, built with ./mvnw -f bench/jmh/pom.xml): one Argon2id hash at
# our parameters, one ES256 signature, one assertion verification, on 1 and 2 threads.
# "RSS after the load" is the largest VmRSS of a scenario's service read right after its runs.
#
# Other settings (environment): BENCH_SCENARIOS (space-separated names from the list above plus
# jmh, default all), BENCH_WARMUP (5 s of wrk before the counted runs), BENCH_JMH_ARGS (default
# "-wi 3 -w 2s -i 5 -r 2s"), BENCH_GRANT_RATE_CAP (assertions made per second of run, 8,000).
set -uo pipefail
report_only=
if [ "${1:-}" = --report ]; then report_only=yes; shift; fi
seconds=${1:-${BENCH_SECONDS:-15}}
connections=${2:-${BENCH_CONNECTIONS:-32}}
runs=${3:-${BENCH_RUNS:-3}}
signin_connections=${BENCH_SIGNIN_CONNECTIONS:-8}
startup_runs=${BENCH_STARTUP_RUNS:-5}
uptake_accounts=${BENCH_UPTAKE_ACCOUNTS:-1000000}
scenarios=${BENCH_SCENARIOS:-startup client-credentials refresh-token password-sign-in records-list partner-lookup uptake-report jmh}
jmh_args=${BENCH_JMH_ARGS:--wi 3 -w 2s -i 5 -r 2s}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/target/bench"
[ -f "$root/target/resident-portal.jar" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 1; }
mkdir -p "$out"
export BENCH_RESULTS="$out/results.tsv"
if [ -n "$report_only" ]; then
  scenarios=
else
  rm -f "$out"/*.log "$out"/results.* "$out"/jmh-*.json
  : > "$BENCH_RESULTS"
fi
source "$root/bench/lib.sh"
failed=()
started=$(date +%s)

scenario() { # name command...
  local name=$1 began
  shift
  began=$(date +%s)
  echo "== $name: $*"
  if "$@" > "$out/$name.log" 2>&1; then
    grep -E '^(run [0-9]|median run|result:)' "$out/$name.log" | sed 's/^/   /'
  else
    echo "   FAILED: see target/bench/$name.log"
    tail -5 "$out/$name.log" | sed 's/^/   /'
    failed+=("$name")
  fi
  echo "   ($(( $(date +%s) - began )) s)"
}

for name in $scenarios; do
  case $name in
    startup) scenario startup bash "$root/bench/startup-and-memory.sh" "$startup_runs" mariadb ;;
    client-credentials | refresh-token | records-list)
      scenario "$name" bash "$root/bench/$name.sh" "$seconds" "$connections" "$runs" ;;
    password-sign-in) scenario "$name" bash "$root/bench/$name.sh" "$seconds" "$signin_connections" "$runs" ;;
    partner-lookup) scenario "$name" bash "$root/bench/$name.sh" "$seconds" "$connections" "$runs" 8 ;;
    uptake-report)
      scenario "$name" env UPTAKE_MONTH_ONLY=1 bash "$root/bench/$name.sh" "$uptake_accounts" 200 "$seconds" 8 ;;
    jmh)
      jmh() {
        (cd "$root" && ./mvnw -q -f bench/jmh/pom.xml -DskipTests package) || return 1
        local threads
        for threads in 1 2; do
          # shellcheck disable=SC2086
          "$bench_java" -jar "$root/bench/jmh/target/benchmarks.jar" -f 1 -t "$threads" $jmh_args \
            -rf json -rff "$out/jmh-t$threads.json" || return 1
        done
      }
      scenario jmh jmh ;;
    *) echo "unknown scenario $name" >&2; exit 2 ;;
  esac
done

machine=$(bench_machine)
took=$(( $(date +%s) - started ))
[ -z "$report_only" ] || took=
python3 - "$out" "$machine" "$seconds" "$connections" "$runs" "$signin_connections" "$uptake_accounts" \
  "$startup_runs" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$took" "${BENCH_WARMUP:-5}" \
  > "$out/results.md" <<'PY'
import json, os, sys
out, machine, seconds, connections, runs, signin_c, accounts, startup_runs, when, took, warmup = sys.argv[1:]
rows = {}
for line in open(os.path.join(out, "results.tsv")):
    f = line.rstrip("\n").split("\t")
    if len(f) >= 9:
        rows[f[0]] = dict(zip(["name", "rate", "unit", "p50", "p99", "errors", "rss", "runs", "note"], f))

def jmh(threads):
    path = os.path.join(out, f"jmh-t{threads}.json")
    if not os.path.exists(path):
        return {}
    return {r["benchmark"].rsplit(".", 1)[1]: (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"])
            for r in json.load(open(path))}
j1, j2 = jmh(1), jmh(2)
base = {k: v[0] for k, v in j2.items()}

def num(x):
    try: return float(x)
    except (TypeError, ValueError): return None
def fmt(x, digits=0):
    return "—" if x is None else f"{x:,.{digits}f}"

argon, sign, verify = base.get("argon2idHash"), base.get("es256Sign"), base.get("assertionVerify")
baselines = {
    "client_credentials": (1 / (1 / sign + 1 / verify) if sign and verify else None,
                           "1 / (sign + verify cost)"),
    "refresh_token": (sign / 2 if sign else None, "1 / (2 signatures: access + ID token)"),
    "password_sign_in": (argon, "Argon2id hashes/s"),
    "records_list": (verify, "ES256 verifications/s (the bearer token)"),
    "partner_lookup": (verify, "ES256 verifications/s (the bearer token)"),
}
def audited(row):
    return "every answered lookup audited: yes" in row["note"] and "chains intact" in row["note"]
targets = [
    ("client_credentials", "client_credentials, private_key_jwt (fresh jti each)", "≥ 3,200/s, p99 ≤ 50 ms",
     lambda r, q: num(r["rate"]) >= 3200 and num(r["p99"]) <= 50),
    ("refresh_token", "refresh_token with rotation", "≥ 2,400/s, p99 ≤ 50 ms",
     lambda r, q: num(r["rate"]) >= 2400 and num(r["p99"]) <= 50),
    ("password_sign_in", "password sign-in through the form (CSRF)", "≥ 0.9 × Argon2id rate",
     lambda r, q: q is not None and q >= 0.9),
    ("records_list", "resident records list (100,000 records, 10,000 residents)", "≥ 5,000/s, p99 ≤ 20 ms",
     lambda r, q: num(r["rate"]) >= 5000 and num(r["p99"]) <= 20),
    ("partner_lookup", "audited partner lookup", "≥ 2,000/s, every one audited",
     lambda r, q: num(r["rate"]) >= 2000 and audited(r)),
    ("uptake_report", f"uptake report at {int(accounts):,} accounts (ten years by month)", "< 50 ms (p99, one at a time)",
     lambda r, q: num(r["p99"]) < 50),
]
print(f"# Benchmark results ({when})\n")
print(f"Machine: {machine}.\n")
print(f"`bash bench/run.sh {seconds} {connections} {runs}`: each load scenario {warmup} s of uncounted warm-up, "
      f"then {runs} runs of {seconds} s with wrk -t2 -c{connections} (password sign-in: -c{signin_c}); the table "
      f"gives the run with the median rate (its p50 and p99, from wrk over every request) and every run's rate. "
      f"Every scenario on a fresh MariaDB schema, service, MariaDB and wrk on the same machine."
      + (f" Suite: {int(took) // 60} min {int(took) % 60} s." if took else "") + "\n")
print("| scenario | throughput (median run) | p50 | p99 | errors | runs | ratio to baseline | target | met? |")
print("|---|---|---|---|---|---|---|---|---|")
for key, title, target, check in targets:
    r = rows.get(key)
    if not r:
        print(f"| {title} | not run | | | | | | {target} | — |")
        continue
    rate = num(r["rate"])
    b = baselines.get(key, (None, ""))[0]
    ratio = rate / b if (rate is not None and b) else None
    ratio_text = f"{ratio:.2f} × {baselines[key][1]}" if ratio is not None else "—"
    met = check(r, ratio) if num(r["errors"]) == 0 or key == "uptake_report" else False
    print(f"| {title} | {fmt(rate)} {r['unit']} | {r['p50']} ms | {r['p99']} ms | {r['errors']} | {r['runs']} | "
          f"{ratio_text} | {target} | {'yes' if met else '**no**'} |")
s = rows.get("startup_mariadb")
if s:
    ready = num(s["p50"])
    print(f"| start to ready (packaged jar, fresh MariaDB schema; median of {startup_runs}) | — | {fmt(ready)} ms | | "
          f"{s['errors']} | {s['runs'].replace(' ', ', ')} ms | | < 2 s | {'yes' if ready < 2000 else '**no**'} |")
s = rows.get("startup_cds")
if s:
    ready = num(s["p50"])
    print(f"| restart to ready (migrated schema, AppCDS archive; median of {startup_runs}) | — | {fmt(ready)} ms | | "
          f"{s['errors']} | {s['runs'].replace(' ', ', ')} ms | | < 2 s | {'yes' if ready < 2000 else '**no**'} |")
loads = {k: num(r["rss"]) for k, r in rows.items() if not k.startswith("startup") and num(r["rss"]) is not None}
if loads:
    worst = max(loads, key=loads.get)
    print(f"| RSS after the load (largest of the scenarios' services) | — | | | | {worst}: {fmt(loads[worst])} MB | | "
          f"< 250 MB | {'yes' if loads[worst] < 250 else '**no**'} |")

print("\n## Baselines (JMH, same run)\n")
print(f"One operation as the service does it, with its libraries and versions (bench/jmh), throughput mode, "
      f"fork 1, `{os.environ.get('BENCH_JMH_ARGS', '-wi 3 -w 2s -i 5 -r 2s')}`; ± is JMH's 99.9% error.\n")
print("| baseline | 1 thread | 2 threads |")
print("|---|---|---|")
for key, title in [("argon2idHash", "Argon2id hash (argon2-jvm, native libargon2; 19,456 KiB, 2 iterations, parallelism 1)"),
                   ("es256Sign", "ES256 token signature (nimbus-jose-jwt, as TokenSigner)"),
                   ("assertionVerify", "private_key_jwt assertion verification (parse, ES256 verify, claims)")]:
    def cell(j):
        if key not in j:
            return "not run"
        score, error = num(j[key][0]), num(j[key][1])
        return f"{score:,.1f}" + (f" ± {error:,.1f}" if error is not None and error == error else "") + " ops/s"
    print(f"| {title} | {cell(j1)} | {cell(j2)} |")
print("\nRatios use the 2-thread rates: sign-ins ÷ Argon2id hashes; client_credentials grants ÷ 1/(one signature + "
      "one verification); refreshes ÷ ½ signature rate (access and ID token); records list and partner lookups ÷ "
      "verification rate (each request verifies its bearer token).\n")

print("## Details\n")
print("| scenario | every run | RSS after its load | notes |")
print("|---|---|---|---|")
for k, r in rows.items():
    print(f"| {k} | {r['runs']} | {r['rss']} MB | {r['note']} |")
PY
[ $? = 0 ] || { echo "writing results.md failed" >&2; exit 1; }

echo
cat "$out/results.md"
echo
echo "written: target/bench/results.md ($(( $(date +%s) - started )) s)"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
