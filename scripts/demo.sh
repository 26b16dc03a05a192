#!/usr/bin/env bash
# `npm run demo`: a non-interactive walk-through (store → directory → get by key → share, expiry → get with the
# password → archive mode: an owner turns it on, an upload is archived, opened outside, a member gets it back)
# on the playground's setup: a local IPFS node and the packaged app in the real Apps-Engine + Deno runtime. Exits 0 only if every step held.
set -euo pipefail
cd "$(dirname "$0")/.."
unset NODE_ENV # the engine skips every permission check when NODE_ENV=test

bash scripts/setup.sh
node scripts/package.mjs
exec node --import tsx dev/playground/demo.ts "$@"
