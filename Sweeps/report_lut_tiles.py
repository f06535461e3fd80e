#!/usr/bin/env python3
"""Report 4: the LUT Tensor Core's elongated-tile design space (Mo et al., ISCA 2025, §4.2): unit
tiles M x N x K over a fixed W2A16 GEMM on the 28 nm unit document: compute density (TOPS per
mm^2 of LUT-unit area) against energy efficiency (TOPS/W), both from QuantSim's cycle and cost
models, with numerics off: the report is about cycles, area and energy (tile K also sets the table group and so the rounding;
accuracy per K is measured in the weight-only report and the LUT tests, not here).

    .venv-sweeps/bin/python Sweeps/report_lut_tiles.py
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reportkit as rk


def main():
    spec = f"""name: lut-tiles
architectures: [{os.path.join(rk.REPO, 'Architectures', 'lut-tensor-core-28nm.json')}]
axes:
  formats: [[fp16, uint2]]
  set:
    unit.tile_m: [1, 2, 4, 8]
    unit.tile_n: [8, 16, 32, 64, 128, 256]
    unit.tile_k: [2, 3, 4, 5, 6]
  workloads: [{{gemm: 256x4096x4096, name: W2A16 4096}}]
run: {{numerics: "off"}}
"""
    records = rk.run_sweep(spec, os.path.join(rk.REPO, "Data", "reports"), "lut-tiles")
    rows = []
    for r in sorted(records, key=lambda r: r["index"]):
        s = r["point"]["set"]
        label = f"M{s['unit.tile_m']} N{s['unit.tile_n']} K{s['unit.tile_k']}"
        if r["status"] != "ok":
            rows.append({"label": label, "m": s["unit.tile_m"], "n": s["unit.tile_n"], "k": s["unit.tile_k"], "status": "error: " + r.get("error", "")[:80]})
            continue
        m = r["metrics"]
        area = m.get("datapath_area_mm2", float("nan"))
        rows.append({"label": label, "m": s["unit.tile_m"], "n": s["unit.tile_n"], "k": s["unit.tile_k"], "status": "ok",
                     "achieved_tops": m["achieved_tops"], "unit_area_mm2": area, "tops_per_mm2": m["achieved_tops"] / area if area > 0 else float("nan"),
                     "unit_tops_per_w": 2.0 / m["datapath_energy_per_mac_pj"] if m.get("datapath_energy_per_mac_pj", 0) > 0 else float("nan"),
                     "unit_energy_per_mac_pj": m.get("datapath_energy_per_mac_pj", float("nan")),
                     "tops_per_w": m.get("tops_per_w", float("nan")), "energy_per_mac_pj": m.get("energy_per_mac_pj", float("nan"))})
    rk.pareto(rows, ["max:tops_per_mm2", "max:unit_tops_per_w"], os.path.join(rk.REPO, "Data", "reports"), "lut-tiles")
    columns = [("label", "tile"), ("tops_per_mm2", "TOPS / mm2 (LUT unit)"), ("unit_tops_per_w", "TOPS / W (LUT unit)"), ("achieved_tops", "achieved TOPS"),
               ("unit_area_mm2", "LUT unit area (mm2)"), ("unit_energy_per_mac_pj", "unit energy / MAC (pJ)"), ("tops_per_w", "TOPS / W (system: + buffers, DRAM, leakage)"), ("pareto", "front"), ("status", "status")]
    rk.render(os.path.join(rk.REPO, "Reports", "lut-tensor-core-tiles"), "LUT Tensor Core: the elongated-tile design space",
              "Unit tiles M x N x K of the 28 nm LUT Tensor Core document (one unit, FP16 tables and accumulator) on a 256 x 4096 x 4096 "
              "W2A16 GEMM: compute density against energy efficiency from QuantSim's cycle model and calibrated cost model; the paper "
              "(§4.2) finds elongated tiles (small M, large N, K = 4) best. Nothing here is fitted to the paper.",
              rows, [("unit_tops_per_w", "tops_per_mm2", "energy efficiency of the LUT unit (TOPS/W)", "compute density (TOPS per mm2 of LUT unit)", False, "pareto")],
              columns, "make reports  (or .venv-sweeps/bin/python Sweeps/report_lut_tiles.py)",
              notes=["Area and the front's energy count the LUT unit only (tables, multiplexers, adders, registers), as the paper's tile study does; "
                     "buffers, DRAM and leakage are in the system TOPS/W column, where they dominate and hide the tile's effect.",
                     "Points whose tile the document rejects are listed with their error."])


if __name__ == "__main__":
    main()
