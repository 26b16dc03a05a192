#!/usr/bin/env bash
# Installs the dev IPFS node's packages (dev/ipfs-node, ~290 MB, ~3-4 min) unless they are already there.
# Only integration tests and local development need it; the app never does.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/dev/ipfs-node"
if [ -f "$dir/node_modules/ipfs-core/package.json" ] && [ -f "$dir/node_modules/ipfs-http-server/package.json" ] \
  && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
  exit 0
fi
echo "ensure-ipfs-node: installing dev/ipfs-node (one time, a few minutes)..." >&2
npm ci --prefix "$dir" --no-audit --no-fund >&2
