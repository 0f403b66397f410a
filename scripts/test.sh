#!/usr/bin/env bash
# The one command a change must pass: services, typecheck, lint, the UI build, then every test against the real
# services. Tests that share the services run in parallel first; then the browser tests (real Chromium against a
# real Recon) one file at a time; then the tests that stop or restart a service, alone.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh || exit 1
bash scripts/services.sh || exit 1
bash scripts/ensure-tools.sh || exit 1

npx tsc -p . || { echo "typecheck failed"; exit 1; }
npx tsc -p ui || { echo "typecheck of the UI failed"; exit 1; }
npx biome check . || { echo "lint/format failed (npx biome check --write . fixes formatting)"; exit 1; }

bash scripts/ensure-ui.sh || { echo "building the UI failed"; exit 1; }

mkdir -p test-results
status=0
# The shared files mostly wait (for cycles, for the broker's statistics), so at least two run at once, even where
# vitest's default (one fewer than the cores) would be one: on 2 cores that took the shared run from 401 s to 216–222 s.
shared_workers=$(node -e 'console.log(Math.max(2, require("node:os").availableParallelism() - 1))')
npx vitest run --project shared --maxWorkers="$shared_workers" --reporter=default --reporter=json \
  --outputFile.json=test-results/shared.json "$@" || status=1
npx vitest run --project e2e --reporter=default --reporter=json --outputFile.json=test-results/e2e.json "$@" || status=1
npx vitest run --project disruptive --reporter=default --reporter=json --outputFile.json=test-results/disruptive.json "$@" || status=1

# One closing line over the three runs, in the plain form CI reads.
node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of ["shared", "e2e", "disruptive"]) {
    const path = `test-results/${f}.json`;
    if (!fs.existsSync(path)) { failed += 1; continue; }
    const r = JSON.parse(fs.readFileSync(path, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    // A file that failed to load or whose hooks failed has no failed test of its own: count it as one failure.
    failed += r.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((t) => t.status === "failed")).length;
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
'
exit $status
