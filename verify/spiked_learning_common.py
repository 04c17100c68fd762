"""Shared pieces of the spiked-learning checks (paper 002, BES+23): the simulated target, the
finite-d allowance of the KRR plateau, and replicate averaging of the numerics estimators."""

from __future__ import annotations

import math

import numpy as np

from numerics import sweep
from numerics.spiked_learning import krr_risk, nn_one_step_risk

#: σ* = (h1 + h2 + h3)/√3: Hermite parts of degree 1, 2, 3, each of squared norm 1/3 (k = 1, p = 3)
TARGET = {1: 3 ** -0.5, 2: 3 ** -0.5, 3: 3 ** -0.5}
PARTS = {1: 1 / 3, 2: 1 / 3, 3: 1 / 3}


def plateau_allowance(gamma2: float, d: int, psi: float = 1.0) -> float:
    """Finite-d counterpart of the plateau: degree j enters KRR at n = ψd through the effective
    signal s_j = ψ·d·(θ/d)^j = ψ·d^{e_j}, e_j = 1 − j(1 − γ); the learned share behaves like
    s_j/(1 + s_j), whose distance from its limit (0 or 1) is ≤ min(s_j, 1/s_j) = ψ^{±1} d^{−|e_j|}.
    Summed over the Hermite parts (weights ‖part‖²), first order, the constant taken as 1."""
    total = 0.0
    for j, w in PARTS.items():
        e = 1 - j * (1 - gamma2)
        s = psi * d ** e
        total += w * min(s, 1 / s)
    return total


def replicate(fn, base: dict, reps: int, seed: int) -> tuple[float, float]:
    """Mean risk and its SE over ``reps`` independent training sets (numerics.sweep.run, one point
    per replicate, generators from the seed and the point)."""
    points = [{**base, "rep": r} for r in range(reps)]
    out = sweep.run(fn, points, seed=seed, cache=False, progress=False)
    risks = np.array([o["risk"] for o in out])
    return float(risks.mean()), float(risks.std(ddof=1) / math.sqrt(reps))


def krr_mean(base, reps, seed):
    return replicate(krr_risk, base, reps, seed)


def nn_mean(base, reps, seed):
    return replicate(nn_one_step_risk, base, reps, seed)
