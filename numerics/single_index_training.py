"""Finite-sample training of one normalized, preconditioned neuron (002 slide 'Algorithm: Normalized
Gradient Flow', Algorithm 1 with Σ̂ = Σ), and the empirical sample complexity: the smallest n on a
geometric grid at which training reaches a fixed whitened overlap in at least half of the runs.

With z = Σ^{−1/2}x the normalized neuron is σ(⟨z, v̂⟩), v = Σ^{1/2}w, and the target σ*(⟨z, β̃⟩),
β̃ = Σ^{1/2}β/‖Σ^{1/2}β‖; the preconditioned flow moves v̂ along the sphere by the gradient of the
correlation (1/n)Σσ(⟨zᵢ, v̂⟩)yᵢ (the squared-output term is constant in the population and dropped,
as the slide's 'objective reduced to correlation loss'). The spike enters only through the law of
the initial overlap m0 = ⟨v̂0, β̃⟩ for w0 uniform on S^{d−1} (numerics.initial_overlap). Training
is discretized as projected gradient ascent with a fixed step on fixed data (n samples reused).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.polynomial.hermite_e import HermiteE

from ._validate import check_in, check_positive_int
from .initial_overlap import initial_overlaps


def train_whitened(n: int, d: int, m0: float, act: HermiteE, link: HermiteE, rng: np.random.Generator,
                   *, steps: int = 150, lr: float = 0.3) -> float:
    """Final |⟨v̂, β̃⟩| after ``steps`` projected gradient steps on n fresh isotropic samples, from a
    start with overlap m0 (β̃ = e1 without loss of generality)."""
    check_positive_int("n", n)
    check_positive_int("d", d)
    check_in("m0", m0, -1, 1)
    check_positive_int("steps", steps)
    check_in("lr", lr, 0, math.inf, lo_open=True)
    r = rng.standard_normal(d)
    r[0] = 0.0
    v = m0 * np.eye(d)[0] + math.sqrt(1 - m0 * m0) * r / np.linalg.norm(r)
    Z = rng.standard_normal((n, d))
    y = link(Z[:, 0])
    dact = act.deriv()
    for _ in range(steps):
        g = Z.T @ (dact(Z @ v) * y) / n
        g -= (g @ v) * v
        v = v + lr * g
        v /= np.linalg.norm(v)
    return float(abs(v[0]))


def success_rate(n: int, d: int, gamma1: float, gamma2: float, act: HermiteE, link: HermiteE,
                 repeats: int, rng: np.random.Generator, *, level: float = 0.9, **train) -> float:
    """Fraction of ``repeats`` runs reaching |m| >= level, with θ = d^{γ2}, ⟨μ, β⟩ = d^{−γ1}."""
    check_in("gamma1", gamma1, 0, 0.5)
    check_in("gamma2", gamma2, 0, 1)
    m0s = initial_overlaps(d, d**gamma2, d**-gamma1, repeats, rng)
    return float(np.mean([train_whitened(n, d, float(m), act, link, rng, **train) >= level for m in m0s]))


def empirical_sample_complexity(d: int, gamma1: float, gamma2: float, act: HermiteE, link: HermiteE,
                                n_grid, repeats: int, rng: np.random.Generator, **kw) -> float:
    """Smallest n in the increasing ``n_grid`` whose success rate is >= 1/2 (first crossing)."""
    for n in n_grid:
        if success_rate(int(n), d, gamma1, gamma2, act, link, repeats, rng, **kw) >= 0.5:
            return float(n)
    raise ValueError(f"n_grid (up to {n_grid[-1]}) never reaches success rate 1/2 at d = {d}")
