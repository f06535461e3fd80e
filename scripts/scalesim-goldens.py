#!/usr/bin/env python3
"""Regenerate (or check) Tests/PEArrayEngineTests/ScaleSim/goldens.csv from SCALE-Sim v3.

Provenance script for the SCALE-Sim compatibility goldens (not part of `make test`). It runs
SCALE-Sim 3.0.0 (PyPI `scalesim==3.0.0`, MIT, github.com/scalesim-project/SCALE-Sim) in GEMM
mode for the fixed case list CASES below, one SCALE-Sim run per case, each in its own Python
subprocess and its own temporary directory. The script writes the config INI, the GEMM topology
CSV and an empty layout CSV for every run itself (the PyPI package ships none), and uses the
Python API with save_disk_space=True so that no per-cycle traces are written.

Setup (once, ~1 min, ~510 MB):
    python3.11 -m venv .venv-scalesim
    .venv-scalesim/bin/pip install scalesim==3.0.0
    .venv-scalesim/bin/pip install "numpy<2.4"     # numpy 2.4 crashes SCALE-Sim 3.0.0

Usage:
    python3 scripts/scalesim-goldens.py --venv .venv-scalesim            # rewrite goldens.csv
    python3 scripts/scalesim-goldens.py --venv .venv-scalesim --check    # rerun and compare
    (inside the venv, --venv may be omitted). Options: --jobs N (parallel runs, default 1),
    --only NAME[,NAME...] (subset; only with --check or --out), --out FILE (write, or with
    --check compare against, another CSV), --list (cases and closed-form cycles, no SCALE-Sim).

Every row's compute cycles and overall utilisation are also compared with the closed forms
(cost-models.md §7 / real-data.md §3.1); disagreements are printed as CLOSED-FORM MISMATCH and
make the script exit with status 2 when writing the CSV (the CSV is still written: it records what
SCALE-Sim does); with --check they are printed but only differences from the CSV fail.
--check exits 1 if any SCALE-Sim value differs from the committed CSV (integers exactly,
percentages within 1e-9 absolute).
"""
import argparse, concurrent.futures, csv, math, os, shutil, subprocess, sys, tempfile, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDENS = os.path.join(REPO, "Tests", "PEArrayEngineTests", "ScaleSim", "goldens.csv")
SCALESIM_VERSION = "3.0.0"

# GEMM shapes (M, N, K): an M x K IFMAP times a K x N filter.
SHAPES = {
    "g256": (256, 256, 256),          # the fact-sheet anchor (OS 32x32: 20351 / 29213)
    "g64x96x128": (64, 96, 128),      # exact folds on 32x32
    "g100x96x128": (100, 96, 128),    # partial row folds
    "q": (128, 384, 384),             # MiniLM q/k/v/o at sequence length 128
    "ffnup": (128, 1536, 384),        # MiniLM ffn_up
    "ffndown": (128, 384, 1536),      # MiniLM ffn_down
    "tall": (1024, 64, 64),           # tall-skinny
    "dec1k": (1, 1024, 1024),         # decode-like GEMV (one token), small
    "dec4k": (1, 4096, 4096),         # decode-like GEMV, 4096 wide (OS on 128x128 only)
    "odd": (37, 53, 71),              # nothing divides anything
}

# (shape, dataflows, arrays). Dataflow x array x shape is a product within each group.
_ALL_DF = ("os", "ws", "is")
_GROUPS = [
    ("g256", _ALL_DF, [(8, 8), (16, 16), (32, 32), (16, 64), (64, 16), (128, 128)]),
    ("g64x96x128", _ALL_DF, [(32, 32)]),
    ("g100x96x128", _ALL_DF, [(32, 32), (16, 64)]),
    ("q", _ALL_DF, [(32, 32), (128, 128)]),
    ("ffnup", _ALL_DF, [(32, 32)]),
    ("ffndown", _ALL_DF, [(32, 32)]),
    ("tall", _ALL_DF, [(32, 32), (64, 16)]),
    ("dec1k", _ALL_DF, [(32, 32)]),
    ("dec4k", ("os",), [(128, 128)]),   # ~60 s: IS/WS on 128x128 or any 32x32 run would take minutes
    ("odd", _ALL_DF, [(8, 8), (16, 64)]),
]
CASES = [(f"{s}_{df}_{r}x{c}", df, r, c) + SHAPES[s] for s, dfs, arrays in _GROUPS for (r, c) in arrays for df in dfs]

INT_COLS = ["total_cycles_incl_prefetch", "compute_cycles", "stall_cycles",
            "sram_ifmap_reads", "sram_filter_reads", "sram_ofmap_writes",
            "dram_ifmap_reads", "dram_filter_reads", "dram_ofmap_writes",
            "dram_first_start_cycle", "dram_ofmap_stop_cycle"]
PCT_COLS = ["overall_util_pct", "mapping_efficiency_pct", "compute_util_pct"]
KEY_COLS = ["case", "dataflow", "rows", "cols", "m", "n", "k"]
COLUMNS = KEY_COLS + ["total_cycles_incl_prefetch", "compute_cycles", "stall_cycles"] + PCT_COLS + \
    ["sram_ifmap_reads", "sram_filter_reads", "sram_ofmap_writes",
     "dram_ifmap_reads", "dram_filter_reads", "dram_ofmap_writes",
     "dram_first_start_cycle", "dram_ofmap_stop_cycle"]

CONFIG = """[general]
run_name = {name}

[architecture_presets]
ArrayHeight: {rows}
ArrayWidth: {cols}
IfmapSramSzkB: 256
FilterSramSzkB: 256
OfmapSramSzkB: 128
IfmapOffset: 0
FilterOffset: 10000000
OfmapOffset: 20000000
Bandwidth : 10
Dataflow : {df}
MemoryBanks: 1
ReadRequestBuffer: 512
WriteRequestBuffer: 512

[layout]
IfmapCustomLayout: False
IfmapSRAMBankBandwidth: 10
IfmapSRAMBankNum: 10
IfmapSRAMBankPort: 2
FilterCustomLayout: False
FilterSRAMBankBandwidth: 10
FilterSRAMBankNum: 10
FilterSRAMBankPort: 2

[sparsity]
SparsitySupport : false
SparseRep : ellpack_block
OptimizedMapping : false
BlockSize : 8
RandomNumberGeneratorSeed : 40

[run_presets]
InterfaceBandwidth: CALC
UseRamulatorTrace: False
"""


def closed_form(df, r, c, m, n, k):
    """Compute cycles per the closed forms that reproduce SCALE-Sim 3.0.0 (real-data.md §3.1)."""
    cdiv = lambda a, b: -(-a // b)
    if df == "os":
        folds, per = cdiv(m, r) * cdiv(n, c), k + r + c - 2
    elif df == "ws":
        folds, per = cdiv(k, r) * cdiv(n, c), m + 2 * r + c - 2
    else:
        folds, per = cdiv(k, r) * cdiv(m, c), n + 2 * r + c - 2
    return folds * per - 1


def to_int(text):
    """SCALE-Sim prints some counts and cycles as floats ("-6815.0"); they are integral."""
    x = float(text)
    if x != int(x):
        raise ValueError(f"non-integral value {text}")
    return int(x)


def read_report(path):
    """SCALE-Sim reports: fields separated by ", ", trailing comma on every row."""
    with open(path) as f:
        rows = [[x.strip() for x in line.rstrip().rstrip(",").split(",")] for line in f if line.strip()]
    return dict(zip(rows[0], rows[1]))


# ---------------------------------------------------------------- worker (runs inside the venv)
def run_one(workdir, name):
    """Run SCALE-Sim on the files in workdir (inside the scalesim venv); print nothing useful."""
    import importlib.metadata as md
    ver = md.version("scalesim")
    if ver != SCALESIM_VERSION:
        sys.exit(f"scalesim {ver} found, {SCALESIM_VERSION} required")
    from scalesim.scale_sim import scalesim
    sim = scalesim(save_disk_space=True, verbose=False,
                   config=os.path.join(workdir, "config.cfg"),
                   topology=os.path.join(workdir, "topology.csv"),
                   layout=os.path.join(workdir, "layout.csv"),
                   input_type_gemm=True)
    sim.run_scale(top_path=os.path.join(workdir, "out"))


# ---------------------------------------------------------------- driver
def run_case(python, tmp, case):
    name, df, r, c, m, n, k = case
    workdir = os.path.join(tmp, name)
    os.makedirs(workdir)
    with open(os.path.join(workdir, "config.cfg"), "w") as f:
        f.write(CONFIG.format(name=name, rows=r, cols=c, df=df))
    with open(os.path.join(workdir, "topology.csv"), "w") as f:
        f.write(f"Layer,M,N,K,\n{name},{m},{n},{k},\n")   # the trailing commas are required
    open(os.path.join(workdir, "layout.csv"), "w").close()  # always opened; empty is fine
    t0 = time.time()
    p = subprocess.run([python, os.path.abspath(__file__), "--run-one", workdir, name],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    secs = time.time() - t0
    out = os.path.join(workdir, "out", name)
    if p.returncode != 0 or not os.path.exists(os.path.join(out, "COMPUTE_REPORT.csv")):
        raise RuntimeError(f"{name}: SCALE-Sim failed (rc {p.returncode}):\n{p.stdout[-3000:]}")
    comp = read_report(os.path.join(out, "COMPUTE_REPORT.csv"))
    det = read_report(os.path.join(out, "DETAILED_ACCESS_REPORT.csv"))
    row = dict(zip(KEY_COLS, [name, df, r, c, m, n, k]))
    row.update({
        "total_cycles_incl_prefetch": to_int(comp["Total Cycles (incl. prefetch)"]),
        "compute_cycles": to_int(comp["Total Cycles"]),
        "stall_cycles": to_int(comp["Stall Cycles"]),
        "overall_util_pct": comp["Overall Util %"],
        "mapping_efficiency_pct": comp["Mapping Efficiency %"],
        "compute_util_pct": comp["Compute Util %"],
        "sram_ifmap_reads": to_int(det["SRAM IFMAP Reads"]),
        "sram_filter_reads": to_int(det["SRAM Filter Reads"]),
        "sram_ofmap_writes": to_int(det["SRAM OFMAP Writes"]),
        "dram_ifmap_reads": to_int(det["DRAM IFMAP Reads"]),
        "dram_filter_reads": to_int(det["DRAM Filter Reads"]),
        "dram_ofmap_writes": to_int(det["DRAM OFMAP Writes"]),
        "dram_first_start_cycle": min(to_int(det["DRAM IFMAP Start Cycle"]), to_int(det["DRAM Filter Start Cycle"])),
        "dram_ofmap_stop_cycle": to_int(det["DRAM OFMAP Stop Cycle"]),
    })
    shutil.rmtree(workdir, ignore_errors=True)
    return row, secs


def versions(python):
    code = ("import sys, importlib.metadata as m; print(sys.version.split()[0], m.version('scalesim'), "
            "m.version('numpy'), m.version('numba'))")
    out = subprocess.run([python, "-c", code], stdout=subprocess.PIPE, text=True, check=True).stdout.split()
    return dict(zip(["python", "scalesim", "numpy", "numba"], out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--venv", help="venv with scalesim==3.0.0 and numpy<2.4 (default: this interpreter)")
    ap.add_argument("--check", action="store_true", help="rerun and compare with the committed CSV")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--only", help="comma-separated case names (with --check or --out)")
    ap.add_argument("--out", default=GOLDENS, help="CSV to write, or with --check to compare against")
    ap.add_argument("--list", action="store_true", help="list cases with closed-form cycles and exit")
    ap.add_argument("--run-one", nargs=2, metavar=("WORKDIR", "NAME"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.run_one:
        return run_one(*a.run_one)
    if a.list:
        for name, df, r, c, m, n, k in CASES:
            print(f"{name:26s} {closed_form(df, r, c, m, n, k):>9d}")
        return 0

    python = os.path.join(os.path.abspath(a.venv), "bin", "python") if a.venv else sys.executable
    v = versions(python)
    print(f"python {v['python']}, scalesim {v['scalesim']}, numpy {v['numpy']}, numba {v['numba']}", flush=True)
    if v["scalesim"] != SCALESIM_VERSION:
        sys.exit(f"need scalesim=={SCALESIM_VERSION}")
    if tuple(int(x) for x in v["numpy"].split(".")[:2]) >= (2, 4):
        sys.exit("numpy >= 2.4 crashes SCALE-Sim 3.0.0: pip install 'numpy<2.4'")

    cases = CASES
    if a.only:
        if not a.check and os.path.abspath(a.out) == os.path.abspath(GOLDENS):
            sys.exit("--only would truncate goldens.csv; use it with --check or --out")
        wanted = set(a.only.split(","))
        cases = [c for c in CASES if c[0] in wanted]
        if len(cases) != len(wanted):
            sys.exit(f"unknown case(s): {sorted(wanted - {c[0] for c in CASES})}")

    t0 = time.time()
    rows = {}
    with tempfile.TemporaryDirectory(prefix="scalesim-goldens-") as tmp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
            futs = {ex.submit(run_case, python, tmp, c): c for c in cases}
            for fut in concurrent.futures.as_completed(futs):
                try:
                    row, secs = fut.result()
                except Exception:
                    for f in futs:
                        f.cancel()
                    raise
                rows[row["case"]] = row
                print(f"  {row['case']:26s} {row['compute_cycles']:>9d} compute "
                      f"{row['total_cycles_incl_prefetch']:>9d} total  {secs:6.1f} s", flush=True)
    rows = [rows[c[0]] for c in cases]
    print(f"{len(rows)} SCALE-Sim runs in {time.time() - t0:.1f} s")

    status = 0
    print(f"\n{'case':26s} {'closed form':>11s} {'SCALE-Sim':>10s}  util  total=stop-start")
    for row in rows:
        cf = closed_form(row["dataflow"], row["rows"], row["cols"], row["m"], row["n"], row["k"])
        util = 100.0 * row["m"] * row["n"] * row["k"] / (row["compute_cycles"] * row["rows"] * row["cols"])
        ok_util = abs(util - float(row["overall_util_pct"])) < 1e-6
        ok_total = row["total_cycles_incl_prefetch"] == row["dram_ofmap_stop_cycle"] - row["dram_first_start_cycle"]
        flag = "" if cf == row["compute_cycles"] and ok_util and ok_total else "  CLOSED-FORM MISMATCH"
        print(f"{row['case']:26s} {cf:>11d} {row['compute_cycles']:>10d}  {'ok' if ok_util else 'DIFF':4s}  "
              f"{'ok' if ok_total else 'DIFF'}{flag}")
        if flag and not a.check:
            status = 2

    if a.check:
        with open(a.out) as f:
            golden = {r["case"]: r for r in csv.DictReader(f)}
        diffs = 0
        if not a.only and set(golden) != {c[0] for c in CASES}:
            print(f"case list differs from {a.out}: +{sorted({c[0] for c in CASES} - set(golden))} "
                  f"-{sorted(set(golden) - {c[0] for c in CASES})}")
            diffs += 1
        for row in rows:
            g = golden.get(row["case"])
            if g is None:
                continue
            for col in COLUMNS:
                new, old = row[col], g.get(col)
                same = abs(float(new) - float(old)) <= 1e-9 if col in PCT_COLS else str(new) == old
                if not same:
                    print(f"DIFF {row['case']} {col}: golden {old}, SCALE-Sim {new}")
                    diffs += 1
        print(f"check: {diffs} difference(s) against {os.path.relpath(a.out, REPO)}")
        return 1 if diffs else status

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {a.out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
