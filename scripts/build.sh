#!/usr/bin/env bash
# `npm run build`: compiles Recon to dist/ (tsconfig.build.json), copies the files it reads at run time next to
# the compiled modules (the store's .sql statements and migrations are found through import.meta.url), and builds
# the web UI to ui/dist (Vite), which the server finds beside dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist
npx tsc -p tsconfig.build.json
(cd server && find . -type f ! -name '*.ts' -exec install -D -m 644 {} ../dist/server/{} \;)
npx vite build --config ui/vite.config.ts --logLevel warn
