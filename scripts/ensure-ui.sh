#!/usr/bin/env bash
# Builds the web UI (ui/ → ui/dist, Vite) when the build is missing or older than a UI source file, so `npm start`,
# `npm run demo` and `npm test` serve the UI that matches the code, with brotli and gzip copies of each bundle beside
# it. Takes milliseconds when the build is current.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f ui/dist/index.html ] ||
  [ -n "$(find ui -path ui/dist -prune -o -type f -newer ui/dist/index.html -print -quit)" ] ||
  [ package-lock.json -nt ui/dist/index.html ] ||
  # A build from before precompression (ui/vite.config.ts writes .br and .gz beside each bundle) is rebuilt.
  [ -z "$(find ui/dist/assets -name '*.js.br' -print -quit 2>/dev/null)" ]; then
  echo "ui: building the web UI (npm run build:ui)…" >&2
  npx vite build --config ui/vite.config.ts --logLevel warn >&2
fi
