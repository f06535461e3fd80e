#!/usr/bin/env python3
"""Run a QuantSim sweep on a Dask distributed cluster (docs/sweeps.md, "Beyond one machine").

The sweep is cut into N deterministic shards (`simulate sweep run SPEC --shard k/N`); each shard is
one Dask task that runs the `simulate` binary on a worker and appends to its own results log
(`--resume`, so a retried task continues where it stopped); the driver then joins the logs with
`simulate sweep merge`. Workers need the binary, the spec and the work directory on a shared
filesystem (or the same paths on every node).

    python3 Sweeps/dask_sweep.py SPEC --log OUT.jsonl --local-workers 2      # a LocalCluster on 127.0.0.1
    python3 Sweeps/dask_sweep.py SPEC --log OUT.jsonl --scheduler tcp://10.0.0.5:8786
"""
import argparse, os, subprocess, sys

from dask.distributed import Client, LocalCluster


def run_shard(simulate, spec, k, n, part):
    """One shard on a worker: the points whose index is k-1 modulo n."""
    p = subprocess.run([simulate, "sweep", "run", spec, "--shard", f"{k}/{n}", "--log", part, "--resume", "--jobs", "1"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"shard {k}/{n} failed ({p.returncode}): {p.stderr.strip()}")
    return part


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("spec")
    ap.add_argument("--log", required=True, help="merged results log to write")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler")
    ap.add_argument("--local-workers", type=int, help="start a LocalCluster with this many worker processes on 127.0.0.1")
    ap.add_argument("--shards", type=int, help="number of shards (default: 2 per worker)")
    ap.add_argument("--simulate", default=os.path.abspath(".build/release/simulate"), help="the simulate binary")
    ap.add_argument("--workdir", help="directory for the shard logs (default: next to --log)")
    a = ap.parse_args()
    if bool(a.scheduler) == bool(a.local_workers):
        sys.exit("give exactly one of --scheduler ADDRESS or --local-workers N")
    cluster = None
    if a.local_workers:
        cluster = LocalCluster(n_workers=a.local_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(a.scheduler)
    try:
        workers = len(client.scheduler_info()["workers"])
        n = a.shards or max(1, 2 * workers)
        workdir = os.path.abspath(a.workdir or os.path.dirname(os.path.abspath(a.log)))
        spec = os.path.abspath(a.spec)
        parts = [os.path.join(workdir, f"{os.path.basename(a.log)}.shard-{k}-of-{n}") for k in range(1, n + 1)]
        futures = [client.submit(run_shard, a.simulate, spec, k, n, parts[k - 1], pure=False, retries=1) for k in range(1, n + 1)]
        done = client.gather(futures)
        m = subprocess.run([a.simulate, "sweep", "merge", *done, "--log", a.log], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if m.returncode != 0:
            sys.exit(f"merge failed: {m.stderr.strip()}")
        print(f"{n} shards on {workers} Dask worker(s): {m.stdout.strip()}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    main()
