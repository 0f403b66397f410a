#!/usr/bin/env bash
# `npm start`: services checked, then Recon (HTTP API, /metrics, reconcilers) on $PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh
exec npx tsx server/main.ts
