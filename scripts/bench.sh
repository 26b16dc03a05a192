#!/usr/bin/env bash
# `npm run bench` (issue #3): put/get through the packaged app in the real engine, next to the bare engine
# transfer (test/fixtures/transfer-app) and raw IPFS add/cat, in one run; writes docs/PERFORMANCE.md.
# Options go to dev/bench/main.ts: --sizes 1,5,20,50  --reps N  --quick (1 MB, once, no write)  --no-write
set -euo pipefail
cd "$(dirname "$0")/.."
unset NODE_ENV # the engine skips every permission check when NODE_ENV=test

bash scripts/setup.sh
node scripts/package.mjs
node scripts/package.mjs --app test/fixtures/transfer-app --out dist/transfer.zip
exec node --import tsx dev/bench/main.ts "$@"
