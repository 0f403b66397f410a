#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than package-lock.json, so a fresh clone's
# `npm test` and `npm run demo` work without a separate install step.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: installing npm dependencies…" >&2
  # npm install, not npm ci: this registry's lock file lacks the other platforms' optional binaries (biome's),
  # which npm ci refuses; npm install installs exactly the locked versions all the same.
  npm install --no-audit --no-fund >&2
fi
