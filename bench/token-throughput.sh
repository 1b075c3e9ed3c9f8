#!/usr/bin/env bash
# Tokens per second at the token endpoint on this machine: refresh_token (rotation, one chain per
# worker) and client_credentials (a fresh private_key_jwt assertion per request), median of runs.
#
#   bash bench/token-throughput.sh [seconds-per-run] [workers] [runs]
#
# Starts target/resident-portal.jar on a fresh MariaDB schema (127.0.0.1:3306, root), registers a
# sign-in client and a back-office client (its ES256 key made for this run), signs up and verifies
# one resident, runs bench/token-throughput.mjs (node, jose from tools/node_modules), then stops the
# jar and drops the schema. Listens on 127.0.0.1 only. The load generator shares the 2 cores.
set -euo pipefail
seconds=${1:-15}
workers=${2:-8}
runs=${3:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/target/resident-portal.jar"
[ -f "$jar" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 1; }
[ -d "$root/tools/node_modules/jose" ] || (cd "$root/tools" && npm ci --no-audit --no-fund --prefer-offline > /dev/null)
port=18081
work=$(mktemp -d)
schema="portal_bench_tokens_$$"
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  mysql -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $schema" || true
  rm -rf "$work"
}
trap cleanup EXIT
mysql -h127.0.0.1 -uroot -e "CREATE DATABASE $schema"

# A key pair for the back-office client: the public half is registered, the private half signs.
node --input-type=module -e "
  import { createRequire } from 'node:module';
  const require = createRequire('$root/tools/package.json');
  const { generateKeyPair, exportJWK } = await import(require.resolve('jose'));
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const pub = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'ES256', use: 'sig' };
  const priv = { ...(await exportJWK(privateKey)), kid: 'bench-1', alg: 'ES256' };
  const fs = await import('node:fs');
  fs.writeFileSync('$work/key.json', JSON.stringify(priv));
  fs.writeFileSync('$work/clients.json', JSON.stringify([
    { clientId: 'bench-app', name: 'Bench sign-in', type: 'PUBLIC',
      redirectUris: ['http://localhost/bench/callback'], scopes: ['openid'] },
    { clientId: 'bench-backoffice', name: 'Bench back office', type: 'BACK_OFFICE',
      sourceSystem: 'BENCH', scopes: ['records:write'], jwks: { keys: [pub] } },
  ]));
"

(cd "$work" && exec env MICRONAUT_SERVER_PORT=$port MICRONAUT_SERVER_HOST=127.0.0.1 \
  "DATASOURCES_DEFAULT_URL=jdbc:mysql://127.0.0.1:3306/$schema?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true" \
  DATASOURCES_DEFAULT_USERNAME=root DATASOURCES_DEFAULT_PASSWORD= \
  PORTAL_KEYS_ENCRYPTION_KEY="$(openssl rand -base64 32)" \
  PORTAL_CLIENTS_FILE="$work/clients.json" PORTAL_EMAIL_OUTBOX="$work/outbox" PORTAL_DATA_DIR="$work/data" \
  java ${BENCH_JAVA_OPTS:-} -jar "$jar" > "$work/log" 2>&1) &
pid=$!
base="http://localhost:$port"
until curl -sf "$base/health/readiness" > /dev/null; do
  kill -0 $pid 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.1
done

email="bench-$$@example.org"
password="violet tractor summer lantern"
curl -sf -o /dev/null "$base/api/v1/accounts" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\",\"givenName\":\"Bench\",\"familyName\":\"Mark\"}"
token=$(grep -rhoE 'token=[A-Za-z0-9_-]{43}' "$work/outbox" | head -1 | cut -d= -f2)
curl -sf -o /dev/null "$base/api/v1/accounts/email-verification" -H 'Content-Type: application/json' \
  -d "{\"token\":\"$token\",\"password\":\"$password\"}"

node "$root/bench/token-throughput.mjs" "$base" "$email" "$password" bench-backoffice "$work/key.json" \
  "$seconds" "$workers" "$runs"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), jar options: ${BENCH_JAVA_OPTS:-none}"
