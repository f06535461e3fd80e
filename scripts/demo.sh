#!/usr/bin/env bash
# The README's main-job command: run simulate on the example architectures.
set -euo pipefail
BIN=${1:-.build/release/simulate}
cd "$(dirname "$0")/.."

echo "== simulate --help"
"$BIN" --help
echo
echo "== simulate validate Architectures/*.json"
"$BIN" validate Architectures/*.json
echo
echo "== simulate describe"
"$BIN" describe
