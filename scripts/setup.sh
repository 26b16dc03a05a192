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
# The browser page's test drives Debian's Chromium through playwright-core (as root it runs with --no-sandbox).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing chromium"
    apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }
  else
    echo "setup: chromium missing (apt-get install chromium); the browser test will be skipped" >&2
  fi
fi
