"""Empirical sample complexity of Algorithm 1 (002 'Sample & Runtime Complexity'): per seeded
trial, the smallest n on a geometric grid at which the run reaches whitened overlap LEVEL, found by
bisection over the grid index (numerics.single_index_algorithm1.n_star), for the empirical
preconditioned gradient flow or one-pass SGD. Each (d, trial) is one point of a
numerics.sweep.run sweep; its data come from the generator [seed, d, n, trial] (so the runner's own
generator is not used and results are identical however the sweep is run).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.polynomial.hermite_e import HermiteE

from . import sweep
from .single_index_algorithm1 import (gradient_flow, make_problem, n_star, one_pass_sgd,
                                      ridge_second_layer, whitened_overlap)
from .single_index_gradients import normalized_hermite

LEVEL = 0.9                   # whitened overlap a run must reach
GRID_RATIO = 2 ** 0.25        # geometric n grid d·2^{j/4}
GF_TOP, SGD_TOP = 48, 256     # top of the grid, in units of d
GF_LR = 0.1                   # Euler step of the flow
HORIZON = 4.0                 # flow time T = HORIZON·ln d: >= 8× the population time ln(1/δ0)/k
                              # (single_index.preconditioned_hitting_time, k = 2); pilot: n* is
                              # the same within its spread for HORIZON = 2 and 4
SGD_LR = 0.1                  # one-pass SGD step SGD_LR/d


def activation(k: int) -> HermiteE:
    """σ = σ* = h2 for k = 2; for k = 1, (h1 + h3)/√2: information exponent 1, and the population
    correlation Φ(m) = (m + m³)/2 has Φ' > 0 on [−1, 1], so no saddle (h1 alone makes the noiseless
    problem least squares, solved exactly at the first n > d; (h1 + h2)/√2 has a saddle at m = −1/2
    that traps ~5% of runs at d = 16 within the horizon)."""
    if k == 1:
        return (normalized_hermite(1) + normalized_hermite(3)) * (2 ** -0.5)
    return normalized_hermite(k)


def n_grid(d: int, top: int) -> list[int]:
    j = np.arange(1, int(math.log(top) / math.log(GRID_RATIO)) + 2)
    return sorted({int(round(d * GRID_RATIO**i)) for i in j if d * GRID_RATIO**i <= top * d * 1.0001})


def gf_overlap(d, n, trial, k, g1, g2, seed, preconditioner="inverse empirical", with_risk=False):
    rng = np.random.default_rng([seed, d, n, trial])
    p = make_problem(d, g1, g2, rng)
    act = activation(k)
    w, X, y, S = gradient_flow(p, n, act, act, rng, steps=int(math.ceil(HORIZON * math.log(d) / GF_LR)),
                               lr=GF_LR, preconditioner=preconditioner)
    m = abs(whitened_overlap(p, w))
    if with_risk:
        return m, ridge_second_layer(p, w, X, y, S, rng, link=act)
    return m


def sgd_overlap(d, n, trial, k, g1, g2, seed):
    rng = np.random.default_rng([seed, d, n, trial, 1])
    p = make_problem(d, g1, g2, rng)
    act = activation(k)
    return abs(whitened_overlap(p, one_pass_sgd(p, n, act, act, rng, lr=SGD_LR / d)))


def n_star_point(point: dict, rng=None) -> float:
    """n* of one (d, trial) of :func:`measure_n_stars`."""
    p = point
    d, t = p["d"], p["trial"]
    if p["method"] == "gf":
        ok = lambda n: gf_overlap(d, n, t, p["k"], p["g1"], p["g2"], p["seed"], p["preconditioner"]) >= LEVEL
        grid = n_grid(d, GF_TOP)
    else:
        ok = lambda n: sgd_overlap(d, n, t, p["k"], p["g1"], p["g2"], p["seed"]) >= LEVEL
        grid = n_grid(d, SGD_TOP)
    return n_star(ok, grid)


def measure_n_stars(k, g1, g2, dims, trials, seed, *, method="gf", preconditioner="inverse empirical",
                    **run_kw) -> dict:
    """{d: [n* per trial]} over ``dims`` × ``trials`` through the sweep runner."""
    if method not in ("gf", "sgd"):
        raise ValueError(f"method must be 'gf' or 'sgd', got {method!r}")
    pts = [dict(k=int(k), g1=float(g1), g2=float(g2), d=int(d), trial=t, seed=int(seed), method=method,
                preconditioner=preconditioner) for d in dims for t in range(int(trials))]
    res = sweep.run(n_star_point, pts, seed=0, desc=f"n* ({method}, k = {k})", **run_kw)
    out = {int(d): [] for d in dims}
    for pt, v in zip(pts, res):
        out[pt["d"]].append(v)
    return out
