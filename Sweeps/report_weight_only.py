#!/usr/bin/env python3
"""Report 2: weight-only low-bit GEMM (W4 / W3 / W2 / ternary with FP16 activations) on the real
MiniLM layers: the LUT Tensor Core, dequantise-then-MMA on the A100's tensor cores (QuantSim's
--compare: the LUT run's dequantised weights in FP16 on identical inputs), the BitMoD PE array,
an FP16 x INT PE array (ANT-style), and the FP16 PE array with FP16 weights as the reference:
accuracy (MAC-weighted layer SQNR) against datapath energy per MAC and datapath area.

    .venv-sweeps/bin/python Sweeps/report_weight_only.py
"""
import concurrent.futures, json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reportkit as rk
import minilm_layers as ml

A = lambda d: os.path.join(rk.REPO, "Architectures", d)
# (label, document, weights, node, compare document or None)
CONFIGS = [("LUT TC W4", "lut-tensor-core-28nm.json", "uint4", 28), ("LUT TC W3", "lut-tensor-core-28nm.json", "uint3", 28),
           ("LUT TC W2", "lut-tensor-core-28nm.json", "uint2", 28), ("LUT TC ternary", "lut-tensor-core-28nm.json", "ternary", 28),
           ("BitMoD INT4", "bitmod-28nm.json", "int4", 28), ("BitMoD FP4 mix (bitmod4)", "bitmod-28nm.json", "bitmod4", 28),
           ("BitMoD FP3 mix (bitmod3)", "bitmod-28nm.json", "bitmod3", 28), ("BitMoD INT2", "bitmod-28nm.json", "int2", 28),
           ("BitMoD ternary", "bitmod-28nm.json", "ternary", 28),
           ("FP16 x INT PE INT4", "ant-fp16-int8-28nm.json", "int4", 28), ("FP16 x INT PE INT3", "ant-fp16-int8-28nm.json", "int3", 28),
           ("FP16 x INT PE INT2", "ant-fp16-int8-28nm.json", "int2", 28), ("FP16 x INT PE ternary", "ant-fp16-int8-28nm.json", "ternary", 28),
           ("FP16 PE array FP16 (reference)", "bitmod-fp16-baseline-28nm.json", "fp16", 28)]
DEQUANT = "nvidia-a100-sxm4-80gb.json"


def run(layer, data, doc, weights, compare):
    cmd = [rk.SIMULATE, "run", A(doc), "--gemm", f"{layer['m']}x{layer['n']}x{layer['k']}", "--a-format", "fp16", "--b-format", weights,
           "--data", os.path.join(data, layer["x"]), "--b-data", os.path.join(data, layer["w"]), "--numerics", "full", "--recheck", "16", "--output", "json"]
    if compare:
        cmd += ["--compare", A(DEQUANT)]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{doc} {weights} {layer['name']}: {p.stderr.strip()[:300]}")
    return json.loads(p.stdout)


def main():
    _, _, data = ml.workloads()
    with open(os.path.join(data, "index.json")) as f:
        layers = json.load(f)["layers"]
    jobs = [(c, l, c[1].startswith("lut")) for c in CONFIGS for l in layers]
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for (c, l, compare), report in zip(jobs, pool.map(lambda j: run(j[1], data, j[0][1], j[0][2], j[2]), jobs)):
            results.setdefault(c[0], []).append((l, report))
            if compare:
                results.setdefault("dequant " + c[2], []).append((l, {"dequant": report["comparison"]}))
    rows = []
    for c in CONFIGS:
        label, doc, weights, node = c
        reps = results[label]
        macs = sum(l["m"] * l["n"] * l["k"] for l, _ in reps)
        row = {"label": label, "design": doc, "a_format": "fp16", "b_format": weights, "node_nm": node,
               "sqnr_db": sum(r["accuracy"]["sqnr_db"] * l["m"] * l["n"] * l["k"] for l, r in reps) / macs,
               "datapath_energy_per_mac_pj": reps[0][1]["cost"].get("datapath_energy_per_mac_pj", float("nan")),
               "datapath_area_mm2": reps[0][1]["cost"].get("datapath_area_mm2", float("nan")),
               "area_scope": reps[0][1]["cost"].get("datapath_area_scope", ""),
               "mismatches": sum(r["verification"]["mismatches"] for _, r in reps)}
        rows.append(row)
        if doc.startswith("lut"):
            d = results["dequant " + weights]
            rows.append({"label": f"dequant-then-MMA A100 ({weights} -> FP16)", "design": DEQUANT, "a_format": "fp16", "b_format": f"{weights} dequantised",
                         "node_nm": 7, "sqnr_db": sum(r["dequant"]["sqnr_db"] * l["m"] * l["n"] * l["k"] for l, r in d) / macs,
                         "datapath_energy_per_mac_pj": d[0][1]["dequant"]["datapath_energy_per_mac_pj"],
                         "datapath_area_mm2": d[0][1]["dequant"]["datapath_area_mm2"], "area_scope": d[0][1]["dequant"]["datapath_area_scope"],
                         "mismatches": sum(r["dequant"]["mismatches"] for _, r in d)})
    work = os.path.join(rk.REPO, "Data", "reports")
    os.makedirs(work, exist_ok=True)
    rk.pareto(rows, ["min:datapath_energy_per_mac_pj", "max:sqnr_db"], work, "weight-only-energy")
    for r in rows:
        r["pareto_energy"] = r.pop("pareto")
    rk.pareto(rows, ["min:datapath_area_mm2", "max:sqnr_db"], work, "weight-only-area")
    for r in rows:
        r["pareto_area"] = r.pop("pareto")
    columns = [("label", "engine / weights"), ("sqnr_db", "layer SQNR (dB, MAC-weighted)"), ("datapath_energy_per_mac_pj", "datapath energy / MAC (pJ)"),
               ("datapath_area_mm2", "datapath area (mm2)"), ("area_scope", "area covers"), ("node_nm", "node (nm)"),
               ("pareto_energy", "front: energy"), ("pareto_area", "front: area"), ("mismatches", "re-check mismatches")]
    rk.render(os.path.join(rk.REPO, "Reports", "weight-only-low-bit"), "Weight-only low-bit GEMM on real MiniLM layers",
              "FP16 activations times W4 / W3 / W2 / ternary weights for the 36 linear GEMMs of all-MiniLM-L6-v2: the LUT Tensor Core "
              "(28 nm unit), dequantise-then-MMA on the A100's tensor cores (the same dequantised weights in FP16, via --compare), "
              "the BitMoD PE array, an FP16 x INT PE array, and the FP16 PE array with FP16 weights. Accuracy is the MAC-weighted "
              "layer SQNR against FP64 on the unquantised tensors; energy and area are the datapath's, from the cost model.",
              rows, [("datapath_energy_per_mac_pj", "sqnr_db", "datapath energy per MAC (pJ)", "layer SQNR (dB)", True, "pareto_energy"),
                     ("datapath_area_mm2", "sqnr_db", "datapath area (mm2, scope in the table)", "layer SQNR (dB)", True, "pareto_area")],
              columns, "make reports  (or .venv-sweeps/bin/python Sweeps/report_weight_only.py)",
              notes=["The designs sit at different nodes (28 nm LUT unit and PE arrays, 7 nm A100) and their areas cover different scopes "
                     "(one LUT unit, all PEs of an array, the tensor cores of one SM): compare within a design, and across designs with care.",
                     "Weight quantisation: each engine's default (LUT: group-128 asymmetric unsigned; BitMoD: group-128 two-level; FP16 x INT: per channel)."])


if __name__ == "__main__":
    main()
