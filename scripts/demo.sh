#!/usr/bin/env bash
# The README's main-job command: run simulate on the example architectures.
set -euo pipefail
BIN=${1:-.build/release/simulate}
cd "$(dirname "$0")/.."

echo "== simulate validate Architectures/*.json"
"$BIN" validate Architectures/*.json
echo
echo "== simulate run: 1024^3 FP8 (E4M3) GEMM on H100 wgmma, LLM-like activations with outlier channels"
"$BIN" run Architectures/nvidia-h100-sxm.json --gemm 1024x1024x1024 --a-format e4m3 --b-format e4m3 \
    --data llm-outliers --quantize per-channel --seed 1
echo
echo "== simulate run: a 512^3 NVFP4 GEMM on B200 (tcgen05 block-scaled), CSV"
"$BIN" run Architectures/nvidia-b200.json --gemm 512x512x512 --a-format nvfp4 --b-format nvfp4 \
    --data llm-outliers --seed 1 --output csv
echo
echo "== simulate run: a whole Llama-2-7B decode step (KV cache of 512) on H100 in FP8, three layers bit-exact"
"$BIN" run Architectures/nvidia-h100-sxm.json --model llama-2-7b --phase decode:ctx=512 --a-format e4m3 --b-format e4m3 \
    --numerics-layers 3 --layer-grid 16
echo
echo "== simulate mma: 1 + 2^-7 x 2^-7 in E4M3: H100 wgmma keeps 13 fraction bits (1.0), B200 tcgen05 25 (1 + 2^-14)"
printf '04\t04\t3f800000\n' | "$BIN" mma --arch Architectures/nvidia-h100-sxm.json --types e4m3,e4m3,fp32,fp32
printf '04\t04\t3f800000\n' | "$BIN" mma --arch Architectures/nvidia-b200.json --types e4m3,e4m3,fp32,fp32
echo
echo "== simulate run: BitMoD's bit-serial PE array, BitMoD-3 weights (per-group FP3 types), re-checked against MPFR"
"$BIN" run Architectures/bitmod-28nm.json --gemm 256x512x1024 --a-format fp16 --b-format bitmod3 --data llm-outliers --seed 1
echo
echo "== simulate costs bitmod-paper: the BitMoD paper's Llama-2-7B comparison recomputed (QuantSim / paper)"
"$BIN" costs bitmod-paper --format summary
echo
echo "== simulate scalesim: a SCALE-Sim config and topology (compute cycles equal SCALE-Sim v3's)"
"$BIN" scalesim --config examples/scalesim/os32.cfg --topology examples/scalesim/minilm-gemms.csv
echo
echo "== simulate validate + mma: packed INT8 on DSP48E2 chains of 8; full-range operands overflow the 18-bit lane (! marks it), [-127, 127] do not"
"$BIN" validate Architectures/fpga-alveo-u280-int8.json
printf '80,80,80,80,80,80,80,80;1,2,3,4,5,6,7,8\t80,80,80,80,80,80,80,80\n81,81,81,81,81,81,81,81;1,2,3,4,5,6,7,8\t81,81,81,81,81,81,81,81\n' \
    | "$BIN" mma --arch Architectures/fpga-alveo-u280-int8.json --types int8,int8
echo
echo "== simulate run: a Llama-2-7B decode step on the Alveo U280 INT8 chains (resources, cycles, estimated energy)"
"$BIN" run Architectures/fpga-alveo-u280-int8.json --model llama-2-7b --phase decode:ctx=256 --a-format int8 --b-format int8 --kv-format int8 \
    --numerics-layers 2 --layer-grid 8
echo
echo "== simulate costs compare: the presets' energy and area against published estimates (never fitted)"
"$BIN" costs compare
