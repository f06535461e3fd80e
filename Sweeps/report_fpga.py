#!/usr/bin/env python3
"""Report 3: FPGA datapaths on the real MiniLM layers: packed INT8 DSP48E2 (U280), packed INT4
(U200), DSP58 INT8 dot products and DSPFP32 (VCK190), minifloat Kulisch MACs in LUTs (U280):
accuracy (MAC-weighted layer SQNR) against power and against LUTs, with DSPs in the table.

    .venv-sweeps/bin/python Sweeps/report_fpga.py
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reportkit as rk
import minilm_layers as ml

CONFIGS = [("fpga-alveo-u280-int8.json", "int8", "int8", "U280 packed INT8"), ("fpga-vu9p-int4.json", "int4", "int4", "U200 packed INT4"),
           ("fpga-vck190-int8-dot3.json", "int8", "int8", "VCK190 DSP58 INT8 dot3"), ("fpga-vck190-dspfp32.json", "fp16", "fp16", "VCK190 DSPFP32 FP16"),
           ("fpga-alveo-u280-kulisch.json", "e4m3", "e4m3", "U280 Kulisch E4M3"), ("fpga-alveo-u280-kulisch.json", "e5m2", "e5m2", "U280 Kulisch E5M2"),
           ("fpga-alveo-u280-kulisch.json", "e3m2", "e3m2", "U280 Kulisch E3M2"), ("fpga-alveo-u280-kulisch.json", "e2m1", "e2m1", "U280 Kulisch E2M1")]


def main():
    workloads, layers, _ = ml.workloads()
    docs = sorted(set(c[0] for c in CONFIGS))
    points = "\n".join(f"  - {{architecture: {docs.index(c[0])}, formats: [{c[1]}, {c[2]}], workload: {w}}}" for c in CONFIGS for w in range(layers))
    spec = f"""name: fpga-datapaths
architectures: [{', '.join(os.path.join(rk.REPO, 'Architectures', d) for d in docs)}]
axes:
  formats: [int8]
  workloads:
{workloads}
points:
{points}
run: {{numerics: full, recheck: 16}}
"""
    records = rk.run_sweep(spec, os.path.join(rk.REPO, "Data", "reports"), "fpga")
    agg = ml.aggregate(records, lambda r: (os.path.basename(r["point"]["architecture"]), r["point"]["a_format"]))
    rows = []
    for doc, a, b, label in CONFIGS:
        g = agg.get((doc, a))
        if g is None:
            continue
        f = g["first"]
        rows.append({"label": label, "design": doc, "a_format": a, "b_format": b, "sqnr_db": g["sqnr_db"], "min_layer_sqnr_db": g["min_layer_sqnr_db"],
                     "power_w": g["power_w"], "energy_per_mac_pj": g["energy_per_mac_pj"], "dsp": f.get("fpga_dsp", 0), "lut": f.get("fpga_lut", 0),
                     "ff": f.get("fpga_ff", 0), "lane_overflows": sum(r["metrics"].get("event_lane_overflows", 0) for r in records
                                                                   if r["status"] == "ok" and os.path.basename(r["point"]["architecture"]) == doc and r["point"]["a_format"] == a),
                     "mismatches": g["mismatches"]})
    work = os.path.join(rk.REPO, "Data", "reports")
    rk.pareto(rows, ["min:power_w", "max:sqnr_db"], work, "fpga-power")
    for r in rows:
        r["pareto_power"] = r.pop("pareto")
    rk.pareto(rows, ["min:lut", "max:sqnr_db"], work, "fpga-lut")
    for r in rows:
        r["pareto_lut"] = r.pop("pareto")
    columns = [("label", "datapath"), ("sqnr_db", "layer SQNR (dB, MAC-weighted)"), ("min_layer_sqnr_db", "worst layer SQNR (dB)"),
               ("power_w", "dynamic power (W, estimate)"), ("energy_per_mac_pj", "energy / MAC (pJ)"), ("dsp", "DSPs"), ("lut", "LUTs"), ("ff", "FFs"),
               ("lane_overflows", "lane overflows"), ("pareto_power", "front: power"), ("pareto_lut", "front: LUTs"), ("mismatches", "re-check mismatches")]
    rk.render(os.path.join(rk.REPO, "Reports", "fpga-datapaths"), "FPGA datapaths on real MiniLM layers",
              "The 36 linear GEMMs of all-MiniLM-L6-v2 (Sweeps/minilm.py) on each FPGA preset, bit-exact with lane overflows counted; "
              "accuracy is the MAC-weighted layer SQNR against FP64 on the unquantised tensors; power is the dynamic estimate of the cost "
              "model (standard cells for the hard blocks, 14x for LUT fabric; no static power) over the layers' run time.",
              rows, [("power_w", "sqnr_db", "dynamic power (W, estimate)", "layer SQNR (dB)", False, "pareto_power"),
                     ("lut", "sqnr_db", "LUTs", "layer SQNR (dB)", False, "pareto_lut")],
              columns, "make reports  (or .venv-sweeps/bin/python Sweeps/report_fpga.py)",
              notes=["Integer datapaths quantise per tensor (activations) and per channel (weights) by absmax; minifloats per tensor and per channel.",
                     "FPGA energies are estimates (docs/fpga-dsp.md, Power); the numerics are exact."])


if __name__ == "__main__":
    main()
