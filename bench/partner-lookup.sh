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
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/target/resident-portal.jar"
[ -f "$jar" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 1; }
command -v wrk > /dev/null || apt-get install -y --no-install-recommends wrk > /dev/null
[ -d "$root/tools/node_modules/jose" ] || (cd "$root/tools" && npm ci --silent --no-audit --no-fund)
port=18083
work=$(mktemp -d)
schema="portal_bench_partner_$$"
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  mysql -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $schema" || true
  rm -rf "$work"
}
trap cleanup EXIT
mysql -h127.0.0.1 -uroot -e "CREATE DATABASE $schema"
sql() { mysql -h127.0.0.1 -uroot "$schema" "$@"; }

# The partner's key pair: the public half is registered, the private half signs assertions.
node --input-type=module -e "
  import { createRequire } from 'node:module';
  const require = createRequire('$root/tools/package.json');
  const { generateKeyPair, exportJWK } = await import(require.resolve('jose'));
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const pub = { ...(await exportJWK(publicKey)), kid: 'bench-partner-1', alg: 'ES256', use: 'sig' };
  const priv = { ...(await exportJWK(privateKey)), kid: 'bench-partner-1', alg: 'ES256' };
  const fs = await import('node:fs');
  fs.writeFileSync('$work/key.json', JSON.stringify(priv));
  fs.writeFileSync('$work/organisations.json', JSON.stringify([
    { odsCode: 'RBEN1', name: 'Bench NHS Trust', type: 'NHS_TRUST' } ]));
  fs.writeFileSync('$work/clients.json', JSON.stringify(Array.from({ length: $clients }, (_, i) => (
    { clientId: 'bench-partner-' + i, name: 'Bench partner ' + i, type: 'PARTNER',
      organisationOds: 'RBEN1', scopes: ['partner:resident.read'], jwks: { keys: [pub] } }))));
"

kek=$(openssl rand -base64 32)
database=(
  "DATASOURCES_DEFAULT_URL=jdbc:mysql://127.0.0.1:3306/$schema?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true"
  DATASOURCES_DEFAULT_USERNAME=root DATASOURCES_DEFAULT_PASSWORD= "PORTAL_KEYS_ENCRYPTION_KEY=$kek")
(cd "$work" && exec env MICRONAUT_SERVER_PORT=$port MICRONAUT_SERVER_HOST=127.0.0.1 "${database[@]}" \
  PORTAL_ORGANISATIONS_FILE="$work/organisations.json" PORTAL_CLIENTS_FILE="$work/clients.json" \
  PORTAL_PARTNER_RATE_PER_SECOND=10000 PORTAL_PARTNER_RATE_BURST=10000 \
  PORTAL_EMAIL_OUTBOX="$work/outbox" PORTAL_DATA_DIR="$work/data" \
  java ${BENCH_JAVA_OPTS:-} -jar "$jar" > "$work/log" 2>&1) &
pid=$!
base="http://localhost:$port"
until curl -sf "$base/health/readiness" > /dev/null; do
  kill -0 $pid 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.1
done

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
with open(f"{work}/targets", "w") as t, open(f"{work}/seed.sql", "w") as s:
    s.write("SET @now = UTC_TIMESTAMP(6);\n")
    for i, (number, born) in enumerate(rows, 1):
        t.write(f"{number} {born}\n")
        account = f"00000000-0000-4000-8000-{i:012d}"
        s.write("INSERT INTO accounts (id, email, email_verified_at, given_name, family_name, postcode,"
                " date_of_birth, nhs_number, assurance, status, created_at, updated_at) VALUES"
                f" ('{account}', 'bench-{i}@example.org', @now, 'Bench', 'Resident {i}', 'LE1 5WW',"
                f" '{born}', '{number}', 'P1', 'ACTIVE', @now, @now);\n")
        s.write("INSERT INTO consents (id, account_id, organisation, categories, purpose, granted_at,"
                f" granted_by) VALUES ('30000000-0000-4000-8000-{i:012d}', '{account}', 'ALL_NHS',"
                f" 'SOCIAL_CARE HOUSING', 'DIRECT_CARE', @now, '{account}');\n")
    s.write("ANALYZE TABLE accounts, consents;\n")
PY
started=$(date +%s)
sql < "$work/seed.sql" > /dev/null
echo "seeded in $(( $(date +%s) - started )) s"

node --input-type=module - "$base" "$work/key.json" "$clients" > "$work/tokens" <<'JS'
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
const require = createRequire(process.cwd() + '/tools/package.json');
const [base, keyFile, count] = process.argv.slice(2);
const { SignJWT, importJWK } = await import(require.resolve('jose'));
const jwk = JSON.parse(readFileSync(keyFile, 'utf8'));
const key = await importJWK(jwk, jwk.alg);
for (let i = 0; i < Number(count); i++) {
  const clientId = `bench-partner-${i}`;
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'JWT' })
    .setIssuer(clientId).setSubject(clientId).setAudience(`${base}/oauth2/token`)
    .setJti(randomUUID()).setIssuedAt().setExpirationTime('4m').sign(key);
  const answer = await fetch(`${base}/oauth2/token`, { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion }) });
  const body = await answer.json();
  if (!body.access_token) throw new Error(`no token: ${answer.status} ${JSON.stringify(body)}`);
  console.log(body.access_token);
}
JS
token=$(head -1 "$work/tokens")
first=$(head -1 "$work/targets")
check=$(curl -s -o "$work/answer.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
  -H "X-Request-ID: $(cat /proc/sys/kernel/random/uuid)" \
  "$base/api/v1/partner/residents?nhsNumber=${first% *}&birthDate=${first#* }")
[ "$check" = 200 ] || { echo "lookup answered $check: $(cat "$work/answer.json")"; exit 1; }
echo "one lookup: $(cat "$work/answer.json")"

audited() { sql -N -e "SELECT COUNT(*) FROM audit_events WHERE action = 'PARTNER_LOOKUP'"; }
# Warm-up (JIT, pool), then the measured runs; the access token lasts 5 minutes.
TOKENS="$work/tokens" TARGETS="$work/targets" wrk -t2 -c"$connections" -d5s -s "$root/bench/partner-lookup.lua" "$base" > /dev/null
results=()
for i in $(seq 1 "$runs"); do
  before=$(audited)
  line=$(TOKENS="$work/tokens" TARGETS="$work/targets" wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$root/bench/partner-lookup.lua" "$base" | grep '^RESULT')
  sleep 1
  events=$(( $(audited) - before ))
  echo "run $i: requests/s p50 p99 errors = $(echo "$line" | awk '{print $3, $4 " ms", $5 " ms", $6}'), answered $(echo "$line" | awk '{print $2}'), audit events $events"
  results+=("$line")
done
printf '%s\n' "${results[@]}" | sort -k3 -n | awk -v n="$runs" 'NR == int((n + 1) / 2) {
  printf "median run: %s lookups/s, p50 %s ms, p99 %s ms, errors %s\n", $3, $4, $5, $6 }'
set +e
(cd "$work" && env "${database[@]}" PORTAL_DATA_DIR="$work/data" java -jar "$jar" --verify-audit > "$work/verify" 2>&1)
echo "audit chains after the runs: --verify-audit exit $? ($(grep -ci intact "$work/verify") intact line(s)); $(audited) PARTNER_LOOKUP events in all"
tail -3 "$work/verify"
set -e
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), MariaDB $(mysql -h127.0.0.1 -uroot -N -e 'SELECT VERSION()'), wrk -t2 -c$connections on the same machine, $clients partner clients, jar options: ${BENCH_JAVA_OPTS:-none}"
