#!/usr/bin/env bash
# `npm run demo`: services up, Recon in the background, then the reference takeout system with traffic and faults
# in the foreground. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh

port="${PORT:-8080}"
npx tsx server/main.ts &
recon_pid=$!
trap 'kill -INT "$recon_pid" 2>/dev/null || true; wait "$recon_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:${port}/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$recon_pid" 2>/dev/null; then echo "Recon did not start (see above)." >&2; exit 1; fi
  sleep 0.5
done
echo "Recon: http://127.0.0.1:${port}  (API /api/overview, /api/findings; metrics /metrics)"
npx tsx demo/main.ts "$@"
