#!/usr/bin/env bash
# Resident records list (GET /api/v1/me/records) throughput and latency on MariaDB with 100,000
# records over 10,000 residents, median of runs.
#
#   bash bench/records-list.sh [seconds-per-run] [connections] [runs] [signed-in-residents]
#
# Starts target/resident-portal.jar on a fresh MariaDB schema (127.0.0.1:3306, root), signs up one
# resident through the API, then fills the schema with SQL (the bench seeds tables directly; the
# API would take minutes): 10,000 active P1 residents sharing that resident's password hash, one
# council tax account subject each, linked, with 10 records each across categories. Signs in the
# first N residents through the real form (Argon2id, outside the timing), then runs wrk (Debian
# package; installed when missing) with bench/records-list.lua, a different resident per request.
# Listens on 127.0.0.1 only; stops the jar and drops the schema. wrk shares the 2 cores.
set -euo pipefail
seconds=${1:-20}
connections=${2:-32}
runs=${3:-3}
signed_in=${4:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/target/resident-portal.jar"
[ -f "$jar" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 1; }
command -v wrk > /dev/null || apt-get install -y --no-install-recommends wrk > /dev/null
port=18082
work=$(mktemp -d)
schema="portal_bench_records_$$"
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  mysql -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $schema" || true
  rm -rf "$work"
}
trap cleanup EXIT
mysql -h127.0.0.1 -uroot -e "CREATE DATABASE $schema"
sql() { mysql -h127.0.0.1 -uroot "$schema" "$@"; }

cat > "$work/clients.json" <<JSON
[{"clientId": "bench-app", "name": "Bench resident app", "type": "PUBLIC",
  "redirectUris": ["http://localhost/bench/callback"], "scopes": ["openid", "account"]}]
JSON
(cd "$work" && exec env MICRONAUT_SERVER_PORT=$port MICRONAUT_SERVER_HOST=127.0.0.1 \
  "DATASOURCES_DEFAULT_URL=jdbc:mysql://127.0.0.1:3306/$schema?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true" \
  DATASOURCES_DEFAULT_USERNAME=root DATASOURCES_DEFAULT_PASSWORD= \
  PORTAL_KEYS_ENCRYPTION_KEY="$(openssl rand -base64 32)" \
  PORTAL_CLIENTS_FILE="$work/clients.json" PORTAL_EMAIL_OUTBOX="$work/outbox" PORTAL_DATA_DIR="$work/data" \
  java ${BENCH_JAVA_OPTS:-} -jar "$jar" > "$work/log" 2>&1) &
pid=$!
base="http://127.0.0.1:$port"
until curl -sf "$base/health/readiness" > /dev/null; do
  kill -0 $pid 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.1
done

password="violet tractor summer lantern"
curl -sf -o /dev/null "$base/api/v1/accounts" -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench-seed@example.org\",\"password\":\"$password\",\"givenName\":\"Bench\",\"familyName\":\"Seed\"}"

echo "seeding 10,000 residents, 10,000 links and 100,000 records..."
started=$(date +%s)
sql > /dev/null <<SQL
SET @hash = (SELECT password_hash FROM accounts WHERE email = 'bench-seed@example.org');
SET @now = UTC_TIMESTAMP(6);
INSERT INTO accounts (id, email, email_verified_at, password_hash, given_name, family_name,
  assurance, status, created_at, updated_at)
SELECT CONCAT('00000000-0000-4000-8000-', LPAD(seq, 12, '0')), CONCAT('bench-', seq, '@example.org'),
  @now, @hash, 'Bench', CONCAT('Resident ', seq), 'P1', 'ACTIVE', @now, @now
FROM seq_1_to_10000;
INSERT INTO record_subjects (id, subject_type, subject_ref, postcode, created_at, updated_at)
SELECT CONCAT('10000000-0000-4000-8000-', LPAD(seq, 12, '0')), 'COUNCIL_TAX_ACCOUNT',
  CONCAT('CT', LPAD(seq, 8, '0')), 'LE1 5WW', @now, @now
FROM seq_1_to_10000;
INSERT INTO record_links (id, account_id, subject_id, method, linked_at)
SELECT CONCAT('20000000-0000-4000-8000-', LPAD(seq, 12, '0')),
  CONCAT('00000000-0000-4000-8000-', LPAD(seq, 12, '0')),
  CONCAT('10000000-0000-4000-8000-', LPAD(seq, 12, '0')), 'REFERENCE_AND_POSTCODE', @now
FROM seq_1_to_10000;
INSERT INTO records (id, source_system, external_ref, subject_id, category, title, status, summary,
  resident_visible, partner_shareable, min_assurance, source_updated_at, created_at, updated_at)
SELECT UUID(), 'COUNCIL_TAX', CONCAT('R', seq),
  CONCAT('10000000-0000-4000-8000-', LPAD((seq - 1) % 10000 + 1, 12, '0')),
  ELT((seq % 6) + 1, 'COUNCIL_TAX', 'PARKING', 'WASTE', 'HOUSING', 'BENEFITS', 'SOCIAL_CARE'),
  CONCAT('Record ', seq), 'Open', 'A record for the benchmark', (seq % 10) <> 0, FALSE, 'P1',
  1767225600000000 + seq * 1000000, @now, @now
FROM seq_1_to_100000;
ANALYZE TABLE accounts, record_subjects, record_links, records \G
SQL
echo "seeded in $(( $(date +%s) - started )) s"

echo "signing in $signed_in residents..."
node --input-type=module - "$base" "$password" "$signed_in" > "$work/tokens" <<'JS'
import { createHash, randomBytes } from 'node:crypto';
const [base, password, count] = process.argv.slice(2);
const redirectUri = 'http://localhost/bench/callback';
const form = (fields, extra = {}) => ({ method: 'POST', redirect: 'manual',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra }, body: new URLSearchParams(fields) });
async function signIn(email) {
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({ client_id: 'bench-app', redirect_uri: redirectUri, response_type: 'code',
    scope: 'openid account', state: 's', code_challenge_method: 'S256',
    code_challenge: createHash('sha256').update(verifier).digest('base64url') });
  const page = await fetch(`${base}/oauth2/authorize?${params}`, { redirect: 'manual' });
  const csrf = (await page.text()).match(/name="csrf_token" value="([^"]+)"/)[1];
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const answer = await fetch(`${base}/oauth2/authorize`,
    form({ ...Object.fromEntries(params), csrf_token: csrf, email, password }, { cookie, origin: base }));
  const code = new URL(answer.headers.get('location')).searchParams.get('code');
  const tokens = await (await fetch(`${base}/oauth2/token`, form({ grant_type: 'authorization_code', code,
    redirect_uri: redirectUri, client_id: 'bench-app', code_verifier: verifier }))).json();
  return tokens.access_token;
}
for (let i = 1; i <= Number(count); i += 4) {
  const batch = [];
  for (let j = i; j < i + 4 && j <= Number(count); j++) batch.push(signIn(`bench-${j * 37 % 10000 + 1}@example.org`));
  for (const token of await Promise.all(batch)) console.log(token);
}
JS
[ "$(wc -l < "$work/tokens")" -ge 1 ] || { echo "no tokens"; exit 1; }
first=$(head -1 "$work/tokens")
check=$(curl -s -o "$work/page.json" -w '%{http_code}' -H "Authorization: Bearer $first" "$base/api/v1/me/records?limit=20")
[ "$check" = 200 ] || { echo "records list answered $check: $(cat "$work/page.json")"; exit 1; }
echo "one page: $(head -c 300 "$work/page.json")..."

# Warm-up (JIT, pool), then the measured runs.
TOKENS="$work/tokens" wrk -t2 -c"$connections" -d5s -s "$root/bench/records-list.lua" "$base" > /dev/null
results=()
for i in $(seq 1 "$runs"); do
  line=$(TOKENS="$work/tokens" wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$root/bench/records-list.lua" "$base" | grep '^RESULT')
  echo "run $i: requests/s p50 p99 errors = $(echo "$line" | awk '{print $3, $4 " ms", $5 " ms", $6}')"
  results+=("$line")
done
printf '%s\n' "${results[@]}" | sort -k3 -n | awk -v n="$runs" 'NR == int((n + 1) / 2) {
  printf "median run: %s requests/s, p50 %s ms, p99 %s ms, errors %s\n", $3, $4, $5, $6 }'
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), MariaDB $(mysql -h127.0.0.1 -uroot -N -e 'SELECT VERSION()'), wrk -t2 -c$connections on the same machine, jar options: ${BENCH_JAVA_OPTS:-none}"
