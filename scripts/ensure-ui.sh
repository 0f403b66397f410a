#!/usr/bin/env bash
# Builds the web UI (ui/ → ui/dist, Vite) when the build is missing or older than a UI source file, so `npm start`,
# `npm run demo` and `npm test` serve the UI that matches the code. Takes milliseconds when the build is current.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f ui/dist/index.html ] ||
  [ -n "$(find ui -path ui/dist -prune -o -type f -newer ui/dist/index.html -print -quit)" ] ||
  [ package-lock.json -nt ui/dist/index.html ]; then
  echo "ui: building the web UI (npm run build:ui)…" >&2
  npx vite build --config ui/vite.config.ts --logLevel warn >&2
fi
