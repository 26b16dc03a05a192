#!/usr/bin/env bash
# `npm start`: installs what is missing, packages the app, then opens the terminal playground: a local IPFS node,
# the workspace host running the packaged app in the real Apps-Engine + Deno runtime, and you as alice in #general.
# Extra arguments go to the playground (--ipfs-repo DIR, --downloads DIR, --zip FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
unset NODE_ENV # the engine skips every permission check when NODE_ENV=test

bash scripts/setup.sh
node scripts/package.mjs
exec node --import tsx dev/playground/main.ts "$@"
