"""Benchmarks (pytest-benchmark; disabled by default, still run once): the Figure 5 sweep of paper
000 (numerics.figure_sweeps.fig5_group over the (γ, ρ) groups, as verify/figures/ridge.py runs it)
serial in this process against 2 loky processes and a dask.distributed LocalCluster of 2 worker
processes, side by side
in one run, cache off. The cluster is started (and its workers import numerics) outside the timed
call: that start-up is a fixed cost of a session, not of a sweep. Both give bit-identical results.

The size is reduced (d = m = 120, 3 trials, γ ∈ {3, 5, 10}: 12 groups) so the default run stays
short; ``SWEEP_BENCH_D`` / ``SWEEP_BENCH_TRIALS`` set a larger one, e.g.

    SWEEP_BENCH_D=500 SWEEP_BENCH_TRIALS=10 pytest tests/test_sweep_bench.py --benchmark-enable
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from numerics import sweep
from numerics.figure_sweeps import fig5_group

D = int(os.environ.get("SWEEP_BENCH_D", "120"))
TRIALS = int(os.environ.get("SWEEP_BENCH_TRIALS", "3"))
GAMMAS, RHOS, ALIGNS = (3, 5, 10), (0, 5, 20, 100), (0, 0.3, 0.5, 0.8, 1)


def _points():
    return [dict(d=D, m=D, n=int(round(D / g)), rho=float(r),
                 A=[float(a) for a in ((0.5,) if r != 20 else ALIGNS)], trials=TRIALS, sigma2=1.0,
                 s=1e-5, tol=1e-10, runs_per_call=None) for g in GAMMAS for r in RHOS]


@pytest.fixture(scope="module")
def serial_result():
    return {}


def test_bench_fig5_sweep_serial(benchmark, serial_result, monkeypatch):
    monkeypatch.delenv(sweep.ENV_SCHEDULER, raising=False)
    benchmark.group = f"fig5 sweep d={D} trials={TRIALS} groups={len(_points())}"
    out = benchmark.pedantic(sweep.run, args=(fig5_group, _points()),
                             kwargs=dict(seed=1, workers=1, cache=False, progress=False),
                             rounds=1, iterations=1)
    serial_result["risks"] = [r["risks"] for r in out]


def test_bench_fig5_sweep_loky_2_workers(benchmark, serial_result, monkeypatch):
    monkeypatch.delenv(sweep.ENV_SCHEDULER, raising=False)
    benchmark.group = f"fig5 sweep d={D} trials={TRIALS} groups={len(_points())}"
    sweep.run(fig5_group, _points()[:2], seed=1, workers=2, cache=False, progress=False)  # start-up
    out = benchmark.pedantic(sweep.run, args=(fig5_group, _points()),
                             kwargs=dict(seed=1, workers=2, cache=False, progress=False),
                             rounds=1, iterations=1)
    if serial_result:
        for a, b in zip(serial_result["risks"], (r["risks"] for r in out)):
            np.testing.assert_array_equal(a, b)


def test_bench_fig5_sweep_local_cluster_2_workers(benchmark, serial_result):
    distributed = pytest.importorskip("dask.distributed")
    benchmark.group = f"fig5 sweep d={D} trials={TRIALS} groups={len(_points())}"
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        client.wait_for_workers(2)
        client.run(__import__, "numerics.figure_sweeps")  # imports are start-up, not sweep time
        out = benchmark.pedantic(sweep.run, args=(fig5_group, _points()),
                                 kwargs=dict(seed=1, scheduler=client, cache=False, progress=False),
                                 rounds=1, iterations=1)
    if serial_result:
        for a, b in zip(serial_result["risks"], (r["risks"] for r in out)):
            np.testing.assert_array_equal(a, b)
