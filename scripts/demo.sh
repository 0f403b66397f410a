#!/usr/bin/env bash
# `npm run demo`: services up, then the reference takeout system with traffic and faults until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh
exec npx tsx demo/main.ts "$@"
