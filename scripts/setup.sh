#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine, and nothing twice:
# npm packages, the Deno runtime's offline cache, and the local IPFS node used by tests and `npm start`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
fi
node scripts/ensure-deno.mjs
bash scripts/ensure-ipfs-node.sh
