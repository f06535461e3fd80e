#!/usr/bin/env python3
"""Report 1: number formats x tensor-core generations on the real MiniLM layers.

Every linear GEMM of all-MiniLM-L6-v2 (36 layers, the recorded activations and weights of five
sentences; Sweeps/minilm.py) through the bit-exact tensor-core numerics of V100, A100, H100 and
B200 in FP16, BF16, FP8 (E4M3, E5M2), FP6 (E3M2), FP4 (E2M1), MXFP8/6/4, NVFP4 and INT8 (one
`simulate sweep`), aggregated per design and format: MAC-weighted mean layer SQNR, energy per MAC,
tensor-core area per SM; then, per design and format, the sentence-embedding cosine to FP32 with
every linear layer computed by the simulated unit (Sweeps/minilm.py e2e).

    .venv-sweeps/bin/python Sweeps/report_formats.py      (make reports runs every report)
"""
import concurrent.futures, json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reportkit as rk

DESIGNS = {"V100": "nvidia-v100-sxm2.json", "A100": "nvidia-a100-sxm4-80gb.json", "H100": "nvidia-h100-sxm.json", "B200": "nvidia-b200.json"}
FORMATS = ["fp16", "bf16", "e4m3", "e5m2", "e3m2", "e2m1", "mxfp8e4m3", "mxfp6e3m2", "mxfp4", "nvfp4", "int8"]


def main():
    data = os.path.join(rk.REPO, "Data", "minilm")
    if not os.path.exists(os.path.join(data, "index.json")):
        subprocess.run([sys.executable, os.path.join(rk.REPO, "Sweeps", "minilm.py"), "prepare", "--out", data], check=True)
    with open(os.path.join(data, "index.json")) as f:
        index = json.load(f)
    work = os.path.join(rk.REPO, "Data", "reports")
    workloads = "\n".join(f"    - {{gemm: {l['m']}x{l['n']}x{l['k']}, data: {os.path.join(data, l['x'])}, b_data: {os.path.join(data, l['w'])}, name: {l['name']}}}"
                          for l in index["layers"])
    spec = f"""name: formats-x-tensor-cores
architectures: [{', '.join(os.path.join(rk.REPO, 'Architectures', d) for d in DESIGNS.values())}]
axes:
  formats: [{', '.join(FORMATS)}]
  workloads:
{workloads}
run: {{numerics: full, recheck: 16}}
"""
    records = rk.run_sweep(spec, work, "formats")
    groups = {}
    for r in records:
        design = next(k for k, v in DESIGNS.items() if r["point"]["architecture"].endswith(v))
        groups.setdefault((design, r["point"]["a_format"]), []).append(r)
    rows = []
    for (design, fmt), recs in sorted(groups.items(), key=lambda kv: (list(DESIGNS).index(kv[0][0]), FORMATS.index(kv[0][1]))):
        ok = [r for r in recs if r["status"] == "ok"]
        if len(ok) != len(index["layers"]):
            continue  # the design has no path for this format (recorded in the sweep log as errors)
        macs = sum(r["metrics"]["macs"] for r in ok)
        row = {"label": f"{design} {fmt}", "design": design, "a_format": fmt, "b_format": fmt,
               "sqnr_db": sum(r["metrics"]["sqnr_db"] * r["metrics"]["macs"] for r in ok) / macs,
               "min_layer_sqnr_db": min(r["metrics"]["sqnr_db"] for r in ok),
               # Dynamic energy (datapath, register file, SRAM, DRAM): leakage is left out because
               # it scales with the run's time, which for these small layers is mostly the kernel's
               # fixed overhead (board.kernel_overhead_us), not the format.
               "energy_per_mac_pj": sum(r["metrics"]["energy_pj"] - r["metrics"].get("energy_leakage_pj", 0) for r in ok) / macs,
               "tensor_area_mm2": ok[0]["metrics"].get("datapath_area_mm2", float("nan")),
               "mismatches": sum(r["metrics"].get("mismatches", 0) for r in ok)}
        # Same arithmetic on two designs must tie exactly: the MAC-weighted sums differ in the
        # last bits with the summation order, so the aggregates are rounded to 1e-9 dB.
        row["sqnr_db"] = round(row["sqnr_db"], 9)
        rows.append(row)

    cache_path = os.path.join(work, "formats-cosine.json")
    cache = json.load(open(cache_path)) if os.path.exists(cache_path) else {}

    def cosine(row):
        key = f"{row['design']} {row['a_format']} {row['b_format']}"
        if key in cache:
            return row, cache[key]
        out = subprocess.run([sys.executable, os.path.join(rk.REPO, "Sweeps", "minilm.py"), "e2e", "--data", data, "--arch",
                              os.path.join(rk.REPO, "Architectures", DESIGNS[row["design"]]), "--a-format", row["a_format"], "--b-format", row["b_format"],
                              "--simulate", rk.SIMULATE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if out.returncode != 0:
            return row, {"cosine_min": float("nan"), "cosine_mean": float("nan")}
        return row, json.loads(out.stdout)

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for row, e in pool.map(cosine, rows):
            row["cosine_min"], row["cosine_mean"] = e["cosine_min"], e["cosine_mean"]
            cache[f"{row['design']} {row['a_format']} {row['b_format']}"] = {"cosine_min": e["cosine_min"], "cosine_mean": e["cosine_mean"]}
    with open(cache_path + ".tmp", "w") as f:
        json.dump(cache, f, indent=1)
    os.replace(cache_path + ".tmp", cache_path)
    rk.pareto(rows, ["min:energy_per_mac_pj", "max:sqnr_db"], work, "formats-energy")
    for r in rows:
        r["pareto_energy"] = r.pop("pareto")
    rk.pareto(rows, ["min:tensor_area_mm2", "max:sqnr_db"], work, "formats-area")
    for r in rows:
        r["pareto_area"] = r.pop("pareto")
    columns = [("label", "design / format"), ("sqnr_db", "layer SQNR (dB, MAC-weighted)"), ("min_layer_sqnr_db", "worst layer SQNR (dB)"),
               ("cosine_min", "embedding cosine (min)"), ("cosine_mean", "embedding cosine (mean)"), ("energy_per_mac_pj", "dynamic energy / MAC (pJ)"),
               ("tensor_area_mm2", "tensor-core area / SM (mm2)"), ("pareto_energy", "front: energy"), ("pareto_area", "front: area"), ("mismatches", "re-check mismatches")]
    rk.render(os.path.join(rk.REPO, "Reports", "formats-x-tensor-cores"),
              "Number formats x tensor-core generations on real MiniLM layers",
              "All 36 linear GEMMs of all-MiniLM-L6-v2 (T = 58 tokens of five sentences, recorded by Sweeps/minilm.py) run bit-exactly "
              "through each GPU's tensor-core numerics; accuracy is the MAC-weighted mean layer SQNR against FP64 on the unquantised "
              "tensors (the front's objective) and the sentence-embedding cosine to FP32 with every linear layer simulated; energy per MAC "
              "and area per SM come from the cost model. Formats a design cannot run are left out.",
              rows, [("energy_per_mac_pj", "sqnr_db", "dynamic energy per MAC (pJ, cost model)", "layer SQNR (dB)", True, "pareto_energy"),
                     ("tensor_area_mm2", "sqnr_db", "tensor-core area per SM (mm2, cost model)", "layer SQNR (dB)", False, "pareto_area")],
              columns, "make reports  (or .venv-sweeps/bin/python Sweeps/report_formats.py)",
              notes=["Default quantisation: per-tensor absmax for 8-bit and narrower element formats, the formats' own block scales for MX and NVFP4; FP16/BF16 direct.",
                     "MX formats use the OCP scale rule (shared exponent floor(log2 amax) - emax of the element format), which saturates block maxima in [448, 512) x scale for E4M3: that is why MXFP8 E4M3 scores below per-tensor E4M3 here.",
                     "Energy per MAC is the cost model's dynamic energy (datapath, register file, SRAM, DRAM) over the layers; leakage is left out: for layers this small it follows the kernels' fixed overheads, not the formats.",
                     "Energies are estimates of the cost model (docs/cost-model.md); the accuracy numbers are exact simulations."])


if __name__ == "__main__":
    main()
