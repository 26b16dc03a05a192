#!/usr/bin/env bash
# The whole test suite, as CI runs it: setup, lint, types, then unit, integration (a real IPFS node on
# 127.0.0.1) and end-to-end tests (the packaged app inside the real Apps-Engine and its Deno runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
unset NODE_ENV # the engine skips every permission check when NODE_ENV=test

bash scripts/setup.sh
echo "== lint"
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
echo "== types"
npx tsc --noEmit -p tsconfig.json
echo "== package"
node scripts/package.mjs

mapfile -t files < <(find test/unit test/integration test/e2e -name '*.test.ts' 2>/dev/null | sort)
echo "== tests (${#files[@]} files)"
node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
