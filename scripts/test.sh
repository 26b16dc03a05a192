#!/usr/bin/env bash
# The whole test suite, as CI runs it: setup, lint, types, then unit, integration (a real IPFS node on
# 127.0.0.1) and end-to-end tests (the packaged app inside the real Apps-Engine and its Deno runtime), all on the
# pinned engine; then the compatibility matrix: the e2e files in MATRIX_E2E on every older engine that
# package.json aliases (docs/COMPATIBILITY.md). MATRIX_E2E=all runs every e2e file there; MATRIX_E2E= skips it.
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

run_tests() { node --import tsx --import ./dev/host/engine.ts --test --test-concurrency=1 --test-reporter=spec "$@"; }

mapfile -t files < <(find test/unit test/integration test/e2e -name '*.test.ts' 2>/dev/null | sort)
echo "== tests (${#files[@]} files, pinned engine)"
started=$SECONDS
run_tests "${files[@]}"
echo "== pinned engine: $((SECONDS - started)) s"

# the reduced set: install, the engine contracts, every entry point, store/get/share, the room-access checks
# and two server instances over one database
MATRIX_E2E=${MATRIX_E2E-host-engine host-smoke engine-contracts app-store-get app-sharing app-room-access app-cluster}
if [ "$MATRIX_E2E" = all ]; then
  mapfile -t matrix_files < <(find test/e2e -name '*.test.ts' | sort)
else
  matrix_files=()
  for name in $MATRIX_E2E; do matrix_files+=("test/e2e/$name.test.ts"); done
fi
mapfile -t engines < <(node -e '
  const deps = require("./package.json").devDependencies;
  for (const spec of Object.values(deps)) {
    const m = /^npm:@rocket\.chat\/apps-engine@(.+)$/.exec(spec);
    if (m) console.log(m[1]);
  }')
for engine in "${engines[@]}"; do
  [ ${#matrix_files[@]} -gt 0 ] || break
  echo "== engine $engine (${#matrix_files[@]} e2e files)"
  started=$SECONDS
  ENGINE=$engine run_tests "${matrix_files[@]}"
  echo "== engine $engine: $((SECONDS - started)) s"
done
