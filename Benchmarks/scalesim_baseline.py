#!/usr/bin/env python3
"""Times SCALE-Sim v3 (PyPI scalesim==3.0.0, MIT) on a config and GEMM topology for `make bench`.

Usage: scalesim_baseline.py CONFIG TOPOLOGY RUNS. Prints JSON: the median seconds of RUNS calls of
run_scale() (the simulation itself; imports and start-up are excluded, which favours SCALE-Sim),
the compute cycles SCALE-Sim reports per layer, and the scalesim version.
"""
import importlib.metadata, json, os, statistics, sys, tempfile, time

from scalesim.scale_sim import scalesim

config, topology, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times, cycles = [], []
with tempfile.TemporaryDirectory() as tmp:
    layout = os.path.join(tmp, "layout.csv")
    open(layout, "w").close()
    for r in range(runs):
        out = os.path.join(tmp, f"out{r}")
        sim = scalesim(save_disk_space=True, verbose=False, config=config, topology=topology, layout=layout, input_type_gemm=True)
        t0 = time.perf_counter()
        sim.run_scale(top_path=out)
        times.append(time.perf_counter() - t0)
        if r == 0:
            run = os.listdir(out)[0]
            with open(os.path.join(out, run, "COMPUTE_REPORT.csv")) as f:
                rows = [[x.strip() for x in line.rstrip().rstrip(",").split(",")] for line in f if line.strip()]
            column = rows[0].index("Total Cycles")
            cycles = [int(float(row[column])) for row in rows[1:]]
print(json.dumps({"seconds": statistics.median(times), "runs": runs, "compute_cycles": cycles,
                  "version": importlib.metadata.version("scalesim")}))
