#!/usr/bin/env bash
# `pnpm test`: everything CI checks, in order of cost. Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

step() { echo; echo "==> $*"; }

step "test dependencies"
bash scripts/ensure-test-deps.sh

step "native modules"
node -e "require('better-sqlite3')" 2>/dev/null || node --input-type=module -e "
  import { createRequire } from 'node:module';
  const require = createRequire(new URL('./packages/metastore/package.json', 'file://' + process.cwd() + '/'));
  require('better-sqlite3');
" || { echo 'FATAL: better-sqlite3 native module is not built: run pnpm install (needs a C++ toolchain and node headers)' >&2; exit 1; }

step "format (prettier --check)"
pnpm exec prettier --check . --log-level warn

step "generated proto code is current"
pnpm --filter @o2/proto check

step "typecheck + build (tsc -b)"
pnpm exec tsc -b

step "web UI build (vite; prints the first page's gzip size)"
pnpm --filter @o2/web build

step "lint (eslint, zero warnings)"
pnpm exec eslint . --max-warnings 0

step "README settings table is current"
node scripts/settings-table.mjs --check

step "tests (vitest)"
results="$(mktemp -d)/vitest.json"
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$results" || status=$?
# One plain closing line that CI reads: "tests: N passed, N failed, N skipped".
node scripts/test-summary.mjs "$results" || status=1
exit "$status"
