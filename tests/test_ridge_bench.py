"""Benchmarks (pytest-benchmark; disabled by default, still run once): one paper-scale Figure 5
trial (d = m = 3000, γ = 3, ρ = 20, A = 0.5) by plain full-matrix GD and by the reduced fast path.

Training the reference to convergence at this size takes minutes, so the reference is timed over
REF_STEPS steps and its per-step time multiplied by the number of steps the fast path needed with the
same step size (the two paths take the same number of steps to the same loss: 5300 vs 5400 at d = 500,
verify/test_ridge.py). The ratio goes to extra_info."""

from __future__ import annotations

import time

import numpy as np

from numerics import linear_network_training as lnt
from numerics import ridge as nr

D = M = 3000
N = 1000
RHO, A = 20.0, 0.5
REF_STEPS = 5


def _fast_trial(seed):
    risks, steps = lnt.network_risks_reduced(1.0, RHO, [A], d=D, n=N, trials=1,
                                             rng=np.random.default_rng(seed))
    return risks[0, 0], steps[0]


def _reference_steps(seed, steps):
    rng = np.random.default_rng(seed)
    mu, beta = nr.spike_and_target(A, D, rng)
    X = nr.sample_inputs(1.0, RHO, mu, N, rng)
    t0 = time.perf_counter()
    lnt.train_full(X, X @ beta, m=M, s=1e-5, rng=rng, eta=1e-3, tol=0.0, max_steps=steps)
    return time.perf_counter() - t0


def test_bench_paper_scale_trial_fast_vs_reference(benchmark):
    risk, fast_steps = benchmark.pedantic(_fast_trial, args=(0,), rounds=1, iterations=1)
    t_fast = benchmark.stats.stats.mean if benchmark.stats else None
    if t_fast is None:  # --benchmark-disable: time it ourselves
        t0 = time.perf_counter()
        _fast_trial(0)
        t_fast = time.perf_counter() - t0
    t_ref_step = _reference_steps(1, REF_STEPS) / REF_STEPS
    t_ref = t_ref_step * fast_steps
    benchmark.extra_info.update(fast_seconds=t_fast, fast_steps=fast_steps,
                                reference_seconds_per_step=t_ref_step,
                                reference_seconds_extrapolated=t_ref, ratio=t_ref / t_fast)
    print(f"\nfast {t_fast:.3f} s ({fast_steps} steps); reference {t_ref_step * 1e3:.1f} ms/step "
          f"→ {t_ref:.0f} s; ratio {t_ref / t_fast:.0f}×")
    assert np.isfinite(risk)
