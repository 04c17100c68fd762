"""Simulations of learning in the aligned spiked model x ~ N(0, I + θβ*β*ᵀ) (paper 002, BES+23).

Target f*(x) = σ*(z), z = ⟨x, β*⟩/√(1 + θ), σ* = Σ_j c_j h_j with h_j = He_j/√(j!) orthonormal
(``coeffs`` = {j: c_j}). β* = e_1: every student here is rotation invariant in distribution
(inner-product kernel; Gaussian initial weights), so the choice of β* changes nothing.

* :func:`krr_risk` — kernel ridge regression with k(x, y) = exp(⟨x, y⟩/d), an inner-product kernel
  g(⟨x, y⟩/d) with g smooth and all Taylor coefficients positive (the slides' 'Student Model I'
  class), λ fixed by the rule λ = ``lam`` (default 1e-3) before any test risk is seen.
* :func:`nn_one_step_risk` — the slide's network f(x) = N^{-1/2} Σ a_i ReLU(⟨x, w_i⟩ + b_i),
  b_i ~ N(0, 1), N = ⌈d^ε⌉; one full-batch gradient step on W (closed form) with η = √N on the
  first half of the samples, each neuron's pre-activation rescaled to unit empirical variance,
  then ridge on a on the second half (sample splitting).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import solve

from ._validate import check_in, check_positive_int
from .hermite import he

__all__ = ["link", "sample_aligned", "stratified_risk", "krr_risk", "nn_one_step_risk"]


def _coeffs(coeffs) -> dict:
    if not isinstance(coeffs, dict) or not coeffs:
        raise ValueError(f"coeffs must be a non-empty dict degree -> coefficient, got {coeffs!r}")
    out = {}
    for j, c in coeffs.items():
        j = int(j)
        if j < 1:
            raise ValueError(f"coeffs: degrees must be >= 1 (E σ* = 0), got {j}")
        out[j] = float(c)
    return out


def link(z, coeffs):
    """σ*(z) = Σ_j c_j He_j(z)/√(j!)."""
    coeffs = _coeffs(coeffs)
    z = np.asarray(z, dtype=float)
    return sum(c * he(j, z) / math.sqrt(math.factorial(j)) for j, c in coeffs.items())


def sample_aligned(n, d, theta, rng):
    """n rows x ~ N(0, I + θ e1 e1ᵀ) and z = x_1/√(1 + θ)."""
    n, d = check_positive_int("n", n), check_positive_int("d", d)
    theta = float(check_in("theta", theta, 0, math.inf))
    X = rng.standard_normal((n, d))
    X[:, 0] *= math.sqrt(1 + theta)
    return X, X[:, 0] / math.sqrt(1 + theta)


def stratified_risk(predict, coeffs, d, theta, rng, n_test, nodes=40):
    """E[(f̂ − f*)²] with z = ⟨x, β*⟩/√(1+θ) on a Gauss–Hermite grid (``nodes`` points, exact for
    polynomials of degree < 2·nodes) and ⌈n_test/nodes⌉ fresh Gaussian x_⊥ per node: the heavy
    tail of f*(z) leaves the Monte-Carlo noise. Returns (risk, SE from the within-node spread)."""
    from numpy.polynomial.hermite_e import hermegauss
    zs, ws = hermegauss(nodes)
    ws = ws / ws.sum()
    m = max(2, -(-n_test // nodes))
    Xt = rng.standard_normal((nodes * m, d))
    zt = np.repeat(zs, m)
    Xt[:, 0] = math.sqrt(1 + theta) * zt
    err = ((predict(Xt) - link(zt, coeffs)) ** 2).reshape(nodes, m)
    risk = float(ws @ err.mean(axis=1))
    se = float(math.sqrt(ws**2 @ (err.var(axis=1, ddof=1) / m)))
    return risk, se


def _point(point):
    d = check_positive_int("d", point["d"])
    gam = float(check_in("gamma2", point["gamma2"], 0, 1))
    return d, gam, float(d) ** gam


def krr_risk(point, rng):
    """Test risk of KRR (exp inner-product kernel) at n = ψd, θ = d^γ, noiseless labels.

    point: d, gamma2, coeffs; optional psi (1), lam (1e-3), n_test (2000).
    Returns {"risk", "se"} (mean and SE over the test points, given the training set)."""
    d, _, theta = _point(point)
    coeffs = _coeffs(point["coeffs"])
    psi = float(check_in("psi", point.get("psi", 1.0), 0, math.inf, lo_open=True))
    lam = float(check_in("lam", point.get("lam", 1e-3), 0, math.inf, lo_open=True))
    n_test = check_positive_int("n_test", point.get("n_test", 2000))
    n = max(2, int(round(psi * d)))
    X, z = sample_aligned(n, d, theta, rng)
    y = link(z, coeffs)
    K = np.exp(X @ X.T / d)
    alpha = solve(K + lam * np.eye(n), y, assume_a="pos")
    risk, se = stratified_risk(lambda T: np.exp(T @ X.T / d) @ alpha, coeffs, d, theta, rng, n_test)
    return {"risk": risk, "se": se, "n": n}


def nn_one_step_risk(point, rng):
    """Test risk of the two-layer ReLU network after one GD step on W and ridge on a.

    point: d, gamma2, coeffs; optional psi (2: n = 2d, split in halves), eps (0.5: N = ⌈d^ε⌉),
    lam (1e-3, ridge on a: (1/n)‖y − Φa‖² + λ‖a‖²), n_test (2000), steps (1; 0 = random features).
    Returns {"risk", "se", "overlap"} (overlap: mean |cos(w_i, β*)| after the step)."""
    d, _, theta = _point(point)
    coeffs = _coeffs(point["coeffs"])
    psi = float(check_in("psi", point.get("psi", 2.0), 0, math.inf, lo_open=True))
    eps = float(check_in("eps", point.get("eps", 0.5), 0, 1, lo_open=True))
    lam = float(check_in("lam", point.get("lam", 1e-3), 0, math.inf, lo_open=True))
    n_test = check_positive_int("n_test", point.get("n_test", 2000))
    steps = int(check_in("steps", point.get("steps", 1), 0, 1))
    n = max(4, int(round(psi * d)))
    N = int(math.ceil(d ** eps))
    X, z = sample_aligned(n, d, theta, rng)
    y = link(z, coeffs)
    X1, y1, X2, y2 = X[: n // 2], y[: n // 2], X[n // 2:], y[n // 2:]
    W = rng.standard_normal((d, N)) / math.sqrt(d)
    b = rng.standard_normal(N)
    a = rng.choice([-1.0, 1.0], N) / math.sqrt(N)
    if steps:
        pre = X1 @ W + b
        resid = y1 - np.maximum(pre, 0) @ a / math.sqrt(N)
        # ∇_W (1/2n)Σ(f − y)² = −(1/n) Xᵀ[(resid ⊗ a/√N) ⊙ 1{pre > 0}], closed form
        grad = -(X1.T @ (resid[:, None] * (pre > 0))) * (a / math.sqrt(N)) / len(y1)
        W = W - math.sqrt(N) * math.sqrt(N) * grad        # η = √N on the N^{-1/2}-scaled output
    scale = (X2 @ W).std(axis=0)
    W = W / scale
    feats = lambda A: np.maximum(A @ W + b, 0) / math.sqrt(N)
    Phi = feats(X2)
    m = len(y2)
    coef = solve(Phi.T @ Phi / m + lam * np.eye(N), Phi.T @ y2 / m, assume_a="pos")
    risk, se = stratified_risk(lambda T: feats(T) @ coef, coeffs, d, theta, rng, n_test)
    overlap = float(np.mean(np.abs(W[0]) / np.linalg.norm(W, axis=0)))
    return {"risk": risk, "se": se, "overlap": overlap}
