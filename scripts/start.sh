#!/usr/bin/env bash
# `npm start`: services checked, then Recon (web UI, HTTP API, /metrics, reconcilers) on $PORT (default 8080), as
# compiled JavaScript under plain node (built first when dist/ or ui/dist is missing or older than a source file).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh
if [ ! -f dist/server/main.js ] ||
  [ -n "$(find server reconcilers package-lock.json tsconfig.json tsconfig.build.json -newer dist/server/main.js -print -quit)" ]; then
  bash scripts/build.sh
fi
bash scripts/ensure-ui.sh
exec node dist/server/main.js
