#!/usr/bin/env bash
# Checks every real-GPU capture file in a directory with `simulate mma --check`.
# Usage: scripts/check-captures.sh DIR [SIMULATE]
# (The project's own tests use the 1000-line copies in Tests/TensorCoreEngineTests/Captures;
# this script runs full capture sets, such as the 5000-line originals, wherever they are.)
set -uo pipefail
DIR=${1:?usage: check-captures.sh DIR [SIMULATE]}
BIN=${2:-.build/release/simulate}
cd "$(dirname "$0")/.."
declare -A ARCH=([v100]=nvidia-v100-sxm2 [a100]=nvidia-a100-sxm4-80gb [a2]=nvidia-a2 [ada]=nvidia-rtx1000-ada
                 [h100]=nvidia-h100-sxm [h200]=nvidia-h200-sxm [b200]=nvidia-b200)
failed=0
for f in "$DIR"/*.tsv; do
    name=$(basename "$f" .tsv)
    IFS=- read -r gpu a b c <<< "$name"
    if [ "$a" = mmasync ]; then input=$b; output=$c; inst=mma.sync; else input=$a; output=$b; inst=wmma; fi
    case "$input" in
        e4m3|e5m2) if [ "$inst" = wmma ]; then
                       if { [ "$gpu" = h100 ] || [ "$gpu" = h200 ]; } && [ "$output" = f32 ]; then inst=wgmma; else inst=mma.sync; fi
                   fi ;;
    esac
    printf '%-28s ' "$name"
    "$BIN" mma --arch "Architectures/${ARCH[$gpu]}.json" --types "$input,$input,$output,$output" --instruction "$inst" \
        --check --vectors "$f" | head -1 || failed=1
done
exit $failed
