#!/usr/bin/env bash
# `npm run bench` (issues #3, #5): put/get through the app in the real engine, next to the naive path (one
# getBufferById + one whole add; one whole cat + one uploadBuffer) run by test/fixtures/transfer-app against the
# same IPFS node, the engine's delivery floor and the crypto alone, in one run; writes docs/PERFORMANCE.md.
# Options go to dev/bench/main.ts: --sizes 1,5,20,50,100 (MiB)  --reps N  --quick (1 MiB, once, no write)
# --no-write  --app-zip <zip> | --ref <commit> (default: the working tree, packaged with its size cap raised)
set -euo pipefail
cd "$(dirname "$0")/.."
unset NODE_ENV # the engine skips every permission check when NODE_ENV=test

bash scripts/setup.sh
node scripts/package.mjs --app test/fixtures/transfer-app --out dist/transfer.zip
exec node --import tsx dev/bench/main.ts "$@"
