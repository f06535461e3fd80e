#!/bin/bash
# A Slurm job array that runs one shard of a sweep per task; merge the shard logs afterwards:
#   sbatch --array=1-16 Sweeps/slurm-array.sh SPEC.yaml results
#   simulate sweep merge results/shard-*.jsonl --log results/merged.jsonl
#SBATCH --job-name=quantsim-sweep
#SBATCH --cpus-per-task=4
#SBATCH --time=04:00:00
set -euo pipefail
spec=$1
out=$2
mkdir -p "$out"
# --resume: a requeued task continues its shard where it stopped.
.build/release/simulate sweep run "$spec" --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" \
    --log "$out/shard-${SLURM_ARRAY_TASK_ID}.jsonl" --resume --jobs "${SLURM_CPUS_PER_TASK:-1}"
