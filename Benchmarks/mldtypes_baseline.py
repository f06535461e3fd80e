"""ml_dtypes baseline for `quantsim-bench`: casts of N binary32 values, median of 5 runs.

Prints a JSON object of values per second: e4m3 (float32 -> float8_e4m3fn), e2m1
(float32 -> float4_e2m1fn), decode_e4m3 (float8_e4m3fn -> float32). Same distribution as the
Swift benchmark: uniform in [-3, 3).
"""
import json
import sys
import time

import ml_dtypes
import numpy as np


def median_rate(fn, n, runs=5):
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return n / times[len(times) // 2]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16 * 1024 * 1024
    x = (np.random.default_rng(2).random(n, dtype=np.float64) * 2 - 1).astype(np.float32) * 3
    codes = x.astype(ml_dtypes.float8_e4m3fn)
    result = {
        "e4m3": median_rate(lambda: x.astype(ml_dtypes.float8_e4m3fn), n),
        "e2m1": median_rate(lambda: x.astype(ml_dtypes.float4_e2m1fn), n),
        "decode_e4m3": median_rate(lambda: codes.astype(np.float32), n),
        "version_major": float(ml_dtypes.__version__.split(".")[1]),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
