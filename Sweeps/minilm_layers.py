"""The MiniLM layers as sweep workloads (shared by the report scripts)."""
import json, os, subprocess, sys

import reportkit as rk


def workloads():
    """YAML lines of the 36 recorded linear GEMMs (preparing the data when missing)."""
    data = os.path.join(rk.REPO, "Data", "minilm")
    if not os.path.exists(os.path.join(data, "index.json")):
        subprocess.run([sys.executable, os.path.join(rk.REPO, "Sweeps", "minilm.py"), "prepare", "--out", data], check=True)
    with open(os.path.join(data, "index.json")) as f:
        index = json.load(f)
    lines = "\n".join(f"    - {{gemm: {l['m']}x{l['n']}x{l['k']}, data: {os.path.join(data, l['x'])}, b_data: {os.path.join(data, l['w'])}, name: {l['name']}}}"
                      for l in index["layers"])
    return lines, len(index["layers"]), data


def aggregate(records, key):
    """Per configuration (key(record)): MAC-weighted SQNR, energy per MAC, power, and the first
    record's other metrics; configurations with any failed layer are dropped."""
    groups = {}
    for r in records:
        groups.setdefault(key(r), []).append(r)
    out = {}
    for k, recs in groups.items():
        if any(r["status"] != "ok" for r in recs):
            continue
        macs = sum(r["metrics"]["macs"] for r in recs)
        time = sum(r["metrics"]["time_s"] for r in recs)
        energy = sum(r["metrics"].get("energy_pj", float("nan")) for r in recs)
        out[k] = {"sqnr_db": sum(r["metrics"]["sqnr_db"] * r["metrics"]["macs"] for r in recs) / macs,
                  "min_layer_sqnr_db": min(r["metrics"]["sqnr_db"] for r in recs),
                  "energy_per_mac_pj": energy / macs, "power_w": energy * 1e-12 / time if time > 0 else float("nan"),
                  "time_s": time, "mismatches": sum(r["metrics"].get("mismatches", 0) for r in recs),
                  "first": recs[0]["metrics"], "layers": len(recs)}
    return out
