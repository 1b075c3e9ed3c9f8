#!/usr/bin/env bash
# Lints the OpenAPI description with Redocly CLI (its "recommended" rules, adjusted in redocly.yaml).
#
#   bash tools/lint-openapi.sh [path/to/openapi.yml]      (default: openapi/portal.yml)
#
# Runs offline: telemetry and the update check are off, and the CLI comes from tools/node_modules
# (npm ci in tools/ first). Skips with a message, successfully, while the file does not exist yet.
set -euo pipefail

tools_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root_dir="$(dirname "$tools_dir")"
spec="${1:-$root_dir/openapi/portal.yml}"
cli="$tools_dir/node_modules/@redocly/cli/bin/cli.js"

if [[ ! -f "$spec" ]]; then
  echo "lint-openapi: SKIPPED: ${spec#"$root_dir"/} does not exist yet (it is generated from the code); nothing to lint."
  exit 0
fi
if [[ ! -f "$cli" ]]; then
  echo "lint-openapi: Redocly CLI is not installed; run: (cd tools && npm ci)" >&2
  exit 1
fi

# Redocly CLI has no --no-telemetry flag; this variable (and `telemetry: off` in redocly.yaml) is
# how it is switched off. The other two stop it asking the npm registry for a newer version.
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NO_UPDATE_NOTIFIER=1

echo "lint-openapi: $(node "$cli" --version 2>/dev/null | tail -n 1) lint ${spec#"$root_dir"/}"
# --lint-config error: a mistake in redocly.yaml itself fails too, instead of a warning.
exec node "$cli" lint --config "$root_dir/redocly.yaml" --lint-config error --format stylish "$spec"
