"""Initial overlap of a random neuron after covariance normalization (002 slide 'Sample & Runtime
Complexity', δ0): m0 = ⟨w, Σβ⟩/(‖Σ^{1/2}w‖‖Σ^{1/2}β‖) for w uniform on S^{d−1}, Σ = I + θμμᵀ,
⟨μ, β⟩ = a, by Monte-Carlo.

Two samplers of the same law. ``full`` builds μ, β ∈ R^d and Gaussian w explicitly (reference);
``reduced`` uses that m0 is scale-invariant in w and that only w's coordinates along μ and along the
part of β orthogonal to μ matter: with g1, g2 ~ N(0, 1) and χ² ~ χ²_{d−2} for the rest,
⟨w, Σβ⟩ = (1+θ)a·g1 + √(1−a²)·g2 and wᵀΣw = (1+θ)g1² + g2² + χ², so d costs nothing.
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import check_in, check_positive_int
from .spiked import spike_and_target_array

METHODS = ("reduced", "full")


def initial_overlaps(d: int, theta: float, a: float, size: int, rng: np.random.Generator, *,
                     method: str = "reduced") -> np.ndarray:
    """``size`` independent draws of m0. d >= 3, θ >= 0, a ∈ [−1, 1]."""
    check_positive_int("d", d)
    if d < 3:
        raise ValueError(f"d must be >= 3, got {d}")
    check_in("theta", theta, 0, math.inf)
    check_in("a", a, -1, 1)
    check_positive_int("size", size)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    norm_beta = math.sqrt(1 + theta * a * a)
    if method == "reduced":
        g1, g2 = rng.standard_normal(size), rng.standard_normal(size)
        chi2 = rng.chisquare(d - 2, size)
        num = (1 + theta) * a * g1 + math.sqrt(1 - a * a) * g2
        den = np.sqrt((1 + theta) * g1 * g1 + g2 * g2 + chi2)
        return num / (den * norm_beta)
    mu, beta = spike_and_target_array(a, d, rng)
    sigma_beta = beta + theta * (mu @ beta) * mu
    out = np.empty(size)
    chunk = max(1, 2_000_000 // d)
    for start in range(0, size, chunk):
        w = rng.standard_normal((min(chunk, size - start), d))
        quad = np.einsum("ij,ij->i", w, w) + theta * (w @ mu) ** 2
        out[start:start + len(w)] = (w @ sigma_beta) / (np.sqrt(quad) * norm_beta)
    return out


def second_moment(d: int, theta: float, a: float, size: int, rng: np.random.Generator, *,
                  method: str = "reduced") -> tuple[float, float]:
    """Monte-Carlo E[m0²] and its standard error."""
    m2 = initial_overlaps(d, theta, a, size, rng, method=method) ** 2
    return float(m2.mean()), float(m2.std(ddof=1) / math.sqrt(size))


def log_rms_point(point: dict, rng: np.random.Generator) -> tuple[float, float]:
    """ln √E[δ0²] and its SE at one d (θ = d^γ2, a = d^−γ1), ``point["draws"]`` Monte-Carlo draws."""
    dim = int(point["d"])
    mean, se = second_moment(dim, dim ** point["g2"], dim ** -point["g1"], int(point["draws"]), rng)
    return 0.5 * math.log(mean), 0.5 * se / mean


def log_rms_overlaps(g1: float, g2: float, dims, draws: int, seed: int, **run_kw):
    """ln √E[δ0²] and its standard error at each d of ``dims``: one numerics.sweep.run point per d,
    its generator derived from ``seed`` and the point (SE by the delta method)."""
    from . import sweep

    pts = [dict(g1=float(g1), g2=float(g2), d=int(dim), draws=int(draws)) for dim in dims]
    res = sweep.run(log_rms_point, pts, seed=int(seed), desc="δ0 Monte-Carlo", **run_kw)
    return np.array([r[0] for r in res]), np.array([r[1] for r in res])
