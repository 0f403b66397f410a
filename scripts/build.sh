#!/usr/bin/env bash
# `npm run build`: compiles Recon to dist/ (tsconfig.build.json) and copies the files it reads at run time next to
# the compiled modules (the store's .sql statements and migrations are found through import.meta.url).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist
npx tsc -p tsconfig.build.json
(cd server && find . -type f ! -name '*.ts' -exec install -D -m 644 {} ../dist/server/{} \;)
