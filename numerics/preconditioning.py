"""001 §4.1: the preconditioned first-step direction Σ̂′⁻¹·(1/n)Σᵢ yᵢxᵢ when Σ̂′ is estimated from n′
unlabeled samples, and its whitened overlap with the target (the n′ ≳ n² requirement).

Data: Σ = I + θμμᵀ with θ = d^{γ2}, x = Σ^{1/2}z, z ~ N(0, I); y = He1(⟨β, z⟩) + He3(⟨β, z⟩)/√6
(information exponent 1), β a unit vector with ⟨μ, β⟩ = d^{−γ1}. The population direction is
Σ⁻¹E[yx] = Σ^{-1/2}β; the whitened overlap of a direction g is ⟨Σ^{1/2}g, β⟩/‖Σ^{1/2}g‖ (1 for the
population direction). One repetition returns the overlaps for the exact Σ and for each n′ on the
same labelled sample (common random numbers), so differences are paired.
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import check_in, check_positive_int


def spiked(d: int, gamma1: float, gamma2: float, rng: np.random.Generator):
    """(Σ^{1/2}, β, Σ): spike μ = e₁, β with ⟨μ, β⟩ = d^{−γ1} and a random orthogonal remainder."""
    d = check_positive_int("d", d)
    check_in("gamma1", gamma1, 0, 0.5)
    check_in("gamma2", gamma2, 0, 1)
    a = d ** (-gamma1)
    r = rng.standard_normal(d)
    r[0] = 0.0
    beta = np.zeros(d)
    beta[0] = a
    beta += math.sqrt(max(0.0, 1 - a * a)) * r / np.linalg.norm(r)
    theta = d ** gamma2
    root = np.eye(d)
    root[0, 0] = math.sqrt(1 + theta)
    return root, beta, root @ root


def whitened_overlap(g, root, beta) -> float:
    v = root @ g
    return float(abs(v @ beta) / np.linalg.norm(v))


def overlaps(d: int, n: int, n_unl: list, gamma1: float, gamma2: float, rng: np.random.Generator):
    """(overlap with exact Σ⁻¹, [overlap with Σ̂′⁻¹ for each n′], overlap with no preconditioner)."""
    n = check_positive_int("n", n)
    nus = [check_positive_int("n_unl", v) for v in n_unl]
    if any(v <= d for v in nus):
        raise ValueError(f"n_unl must exceed d = {d} for Σ̂′ to be invertible, got {nus}")
    root, beta, S = spiked(d, gamma1, gamma2, rng)
    Z = rng.standard_normal((n, d))
    s = Z @ beta
    y = s + (s**3 - 3 * s) / math.sqrt(6)
    c = (y @ (Z @ root)) / n                       # (1/n) Σ yᵢxᵢ  (root symmetric)
    exact = whitened_overlap(np.linalg.solve(S, c), root, beta)
    est = []
    for nu in nus:
        U = rng.standard_normal((nu, d)) @ root
        est.append(whitened_overlap(np.linalg.solve(U.T @ U / nu, c), root, beta))
    return exact, est, whitened_overlap(c, root, beta)


def overlap_point(point: dict, rng: np.random.Generator) -> dict:
    """numerics.sweep point: {d, n, ratios (n′/n²), gamma1, gamma2, reps} → per-repetition overlaps."""
    p = point
    nus = [max(int(round(r * p["n"] ** 2)), p["d"] + 2) for r in p["ratios"]]
    ex, est, raw = [], [], []
    for _ in range(int(p["reps"])):
        e, es, r0 = overlaps(p["d"], p["n"], nus, p["gamma1"], p["gamma2"], rng)
        ex.append(e), est.append(es), raw.append(r0)
    return dict(n_unl=nus, exact=np.array(ex), est=np.array(est), raw=np.array(raw))
