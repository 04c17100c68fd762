"""Benchmarks (pytest-benchmark; disabled by default, still run once): one paper-scale Figure 5
trial of paper 000 §4 (d = m = 3000, γ = 3 so n = 1000, ρ = 20, A = 0.5, s = 1e-5, the Fig. 1
initialization W_ij ~ N(0, s²/d), a_i ~ N(0, s²/m)) trained by the fast exact path
``numerics.linear_network_training.train_exact`` and by textbook full-matrix GD ``train_full``,
from the same (W₀, a₀) with the same step size, over the same fixed number of steps.

Both are in the benchmark group ``fig5-paper-trial``, so ``pytest tests/test_ridge_bench.py
--benchmark-enable`` prints them side by side. The exact path's time includes its one-off set-up
(K = XXᵀ, P₀ = XW₀ᵀ and the QR of the width reduction, O(nd(n + m))); after it a step costs
O(n(n + m)) against the textbook O(md + nd).

``test_bench_full_trial_steps`` (only with ``--benchmark-enable``: it trains to convergence) records
how many steps a Fig. 5 trial needs to reach the training tolerance TRAIN_TOL of
verify/figures/ridge.py, the exact path's time for the whole trial, and the textbook time for the
same trial extrapolated from its per-step time (training it to convergence would take about a
minute per trial). Times are recorded in ``extra_info``; nothing asserts a time.

Measured once (2026-12-04, 2 shared cores, one BLAS thread): 50 steps exact 1.12 s vs textbook
2.50 s (2.2×, the exact path's set-up dominates); the trial needs 1400 steps (loss checked every 50)
to reach 1e-10 of its initial value: exact 2.98 s vs textbook 46.8 ms/step × 1400 ≈ 66 s (22×);
per step after the set-up ≈ 1.4 ms vs 46.8 ms (≈ 34×).
"""

from __future__ import annotations

import time
from functools import lru_cache

import numpy as np
import pytest

from numerics import linear_network_training as lnt
from numerics import ridge as nr

D = M = 3000
GAMMA = 3
N = D // GAMMA
RHO, A, S = 20.0, 0.5, 1e-5
STEPS = 50          # fixed number of steps both paths are timed over
SEED = 0


@lru_cache(maxsize=1)
def _problem():
    rng = np.random.default_rng(SEED)
    mu, beta = nr.spike_and_target(A, D, rng)
    X = nr.sample_inputs(1.0, RHO, mu, N, rng)
    y = X @ beta
    W0, a0 = lnt.init_network(D, M, S, rng)
    eta = lnt.stable_eta(np.linalg.eigvalsh(X @ X.T)[-1], N)   # figure5_data's step (network_risks_full)
    return X, y, W0, a0, eta


def _exact(steps, tol=0.0):
    X, y, W0, a0, eta = _problem()
    return lnt.train_exact(X, y[None], W0, a0, eta=eta, tol=tol, max_steps=steps)


def _textbook(steps):
    X, y, W0, a0, eta = _problem()
    return lnt.train_full(X, y, m=M, s=S, rng=np.random.default_rng(1), eta=eta, tol=0.0,
                          max_steps=steps, W0=W0[0], a0=a0[0])


def _info(benchmark, **kw):
    benchmark.extra_info.update(d=D, m=M, n=N, gamma=GAMMA, rho=RHO, A=A, s=S, **kw)


@pytest.mark.benchmark(group="fig5-paper-trial")
def test_bench_exact_path_fixed_steps(benchmark):
    _problem()  # the draw is not part of either timing
    res = benchmark.pedantic(_exact, args=(STEPS,), rounds=1, iterations=1)
    _info(benchmark, steps=STEPS, path="train_exact (P = XWᵀ bookkeeping, width n + 1)")
    assert res.steps == STEPS and np.all(np.isfinite(res.b))


@pytest.mark.benchmark(group="fig5-paper-trial")
def test_bench_textbook_gd_fixed_steps(benchmark):
    _problem()
    res = benchmark.pedantic(_textbook, args=(STEPS,), rounds=1, iterations=1)
    _info(benchmark, steps=STEPS, path="train_full (textbook full-matrix GD)")
    assert res.steps == STEPS and np.all(np.isfinite(res.b))


@pytest.mark.benchmark(group="fig5-paper-trial-to-tolerance")
def test_bench_full_trial_steps(benchmark):
    """Steps to TRAIN_TOL for one trial, exact path timed over the whole trial; the textbook time
    of the same trial extrapolated as (its time per step, over STEPS steps) × steps."""
    if benchmark.disabled:
        pytest.skip("trains one paper-scale trial to convergence: run with --benchmark-enable")
    from verify.figures.ridge import TRAIN_TOL

    _problem()
    res = benchmark.pedantic(_exact, args=(10**6, TRAIN_TOL), rounds=1, iterations=1)
    t_exact = benchmark.stats.stats.mean
    t0 = time.perf_counter()
    _textbook(STEPS)
    t_step = (time.perf_counter() - t0) / STEPS
    t_ref = t_step * res.steps
    _info(benchmark, train_tol=TRAIN_TOL, steps_to_tol=res.steps, rel_loss=float(res.rel_loss[0]),
          exact_seconds=t_exact, textbook_seconds_per_step=t_step,
          textbook_seconds_extrapolated=t_ref, ratio=t_ref / t_exact)
    print(f"\n{res.steps} steps to loss {TRAIN_TOL:g}·initial; exact {t_exact:.2f} s; textbook "
          f"{t_step * 1e3:.1f} ms/step → {t_ref:.0f} s; ratio {t_ref / t_exact:.0f}×")
    assert res.rel_loss[0] <= TRAIN_TOL
