#!/usr/bin/env bash
# `npm run demo`: services up, Recon in the background, then the reference takeout system with traffic and faults
# in the foreground. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh
bash scripts/ensure-ui.sh

# A first admin to sign in with: the one given, or a fresh random password, printed below for this run.
export RECON_ADMIN_USER="${RECON_ADMIN_USER:-admin}"
if [ -z "${RECON_ADMIN_PASSWORD:-}" ]; then
  RECON_ADMIN_PASSWORD="$(node -e 'process.stdout.write(require("node:crypto").randomBytes(12).toString("base64url"))')"
  export RECON_ADMIN_PASSWORD
fi

port="${PORT:-8080}"
npx tsx server/main.ts &
recon_pid=$!
trap 'kill -INT "$recon_pid" 2>/dev/null || true; wait "$recon_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:${port}/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$recon_pid" 2>/dev/null; then echo "Recon did not start (see above)." >&2; exit 1; fi
  sleep 0.5
done
echo "Recon: http://127.0.0.1:${port}  (web UI; API /api/...; metrics /metrics)"
echo "Sign in as ${RECON_ADMIN_USER} with password ${RECON_ADMIN_PASSWORD}"
npx tsx demo/main.ts "$@"
