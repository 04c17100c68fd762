"""Training the two-layer linear network f(x) = aᵀWx (paper 000 Eq. 4) on the squared loss of
Eq. (5) by full-batch gradient descent from small initialization (Fig. 1 procedure: W_ij ~ N(0, s²/d),
a_i ~ N(0, s²/m)), and a fast path for the paper-scale Figure 5.

Two paths, the first the reference for the second:
``train_full``     plain GD on the full matrices W ∈ R^{m×d}, a ∈ R^m; cost O(md + nd) per step.
``train_dual``     the s → 0 limit of the same dynamics, reduced twice. (i) Balance: gradient flow
                   conserves aaᵀ − WWᵀ = O(s²), so W = a ŵᵀ + O(s) and the end-to-end vector
                   b = Wᵀa obeys db/dt = −η(‖b‖I + bbᵀ/‖b‖)∇L(b). (ii) Row space: ∇L ∈ row(X), so
                   b = Xᵀφ stays there and the flow closes on φ ∈ R^n with only products by
                   K = XXᵀ. With K supplied by the O(n) reduced model of :mod:`numerics.ridge`
                   (tridiagonal plus rank two) a step costs O(n), independent of d and m. Euler
                   steps of this flow are what is iterated (one step = one GD step of size η).
Both return the end-to-end vector (or its dual coordinates) when the training loss has fallen
below ``tol`` times its initial value (E y² scale), or after ``max_steps``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validate import check_in, check_positive_int

INF = float("inf")


@dataclass(frozen=True)
class FullResult:
    b: np.ndarray          # end-to-end vector Wᵀa
    W: np.ndarray
    a: np.ndarray
    steps: int
    rel_loss: float        # final loss / initial loss
    eta: float
    history: np.ndarray    # relative loss every ``check_every`` steps


def stable_eta(lam_max_gram: float, n: int, b_scale: float = 1.0, safety: float = 0.8) -> float:
    """A GD step size safely inside the stability region: the Hessian of L in b is (2/n)XᵀX and the
    balanced preconditioner has eigenvalues ‖b‖ and 2‖b‖, ‖b‖ ≲ ‖β‖ = ``b_scale``."""
    return safety / (2.0 * b_scale * 2.0 * lam_max_gram / n)


def train_full(X: np.ndarray, y: np.ndarray, *, m: int, s: float, rng: np.random.Generator,
               eta: float | None = None, tol: float = 1e-12, max_steps: int = 10**6,
               check_every: int = 50) -> FullResult:
    """Plain full-batch GD on L = (1/n)‖XWᵀa − y‖² from W_ij ~ N(0, s²/d), a_i ~ N(0, s²/m);
    simultaneous updates W −= η ∂L/∂W, a −= η ∂L/∂a. m >= 1, s > 0, eta > 0."""
    n, d = X.shape
    check_positive_int("m", m)
    check_in("s", s, 0, INF, lo_open=True, hi_open=True)
    if eta is None:
        eta = stable_eta(np.linalg.eigvalsh(X @ X.T)[-1], n)
    check_in("eta", eta, 0, INF, lo_open=True, hi_open=True)
    W = rng.standard_normal((m, d)) * (s / np.sqrt(d))
    a = rng.standard_normal(m) * (s / np.sqrt(m))
    loss0 = float(y @ y) / n
    step, rel, hist = 0, 1.0, []
    while step < max_steps:
        b = W.T @ a
        r = X @ b - y
        if step % check_every == 0:
            rel = float(r @ r) / n / loss0
            hist.append(rel)
            if rel <= tol:
                break
        g = X.T @ r * (2.0 / n)            # ∇_b L
        W, a = W - eta * np.outer(a, g), a - eta * (W @ g)
        step += 1
    b = W.T @ a
    r = X @ b - y
    return FullResult(b, W, a, step, float(r @ r) / n / loss0, eta, np.array(hist))


@dataclass(frozen=True)
class DualResult:
    phi: np.ndarray        # dual coordinates, b = Xᵀφ (blocks × n × runs per block)
    steps: int
    rel_loss: np.ndarray   # final loss / initial loss, per run
    history: np.ndarray    # relative loss every ``check_every`` steps, shape (checks, blocks, runs)


def train_dual(K_matvec: Callable[[np.ndarray], np.ndarray], y: np.ndarray, *, n: int, eta,
               b0: float = 1e-10, tol: float = 1e-12, max_steps: int = 10**6,
               check_every: int = 200) -> DualResult:
    """Euler steps of the balanced end-to-end flow in dual coordinates, for many runs at once.

    y has shape (blocks, n, runs): ``blocks`` independent designs (K acts blockwise on arrays of
    that shape) with ``runs`` targets each. eta is a scalar or one value per block. The start is
    b(0) = b0·Xᵀy/‖Xᵀy‖ (the early-phase direction Σ̂xy of Eq. 17 at size b0 ~ s²)."""
    check_positive_int("n", n)
    check_in("b0", b0, 0, INF, lo_open=True, hi_open=True)
    eta = np.broadcast_to(np.asarray(eta, dtype=float), (y.shape[0],))[:, None, None]
    Ky = K_matvec(y)
    yKy = np.einsum("bir,bir->br", y, Ky)[:, None, :]
    phi = y * (b0 / np.sqrt(yKy))
    loss0 = np.einsum("bir,bir->br", y, y)
    c = 2.0 / n
    step, hist = 0, []
    rel = np.ones_like(loss0)
    while step < max_steps:
        Kphi = K_matvec(phi)
        r = Kphi - y
        if step % check_every == 0:
            rel = np.einsum("bir,bir->br", r, r) / loss0
            hist.append(rel)
            if np.all(rel <= tol):
                break
        norm_b = np.sqrt((phi * Kphi).sum(axis=1, keepdims=True))
        bKr = (Kphi * r).sum(axis=1, keepdims=True)   # bᵀXᵀr = (Kφ)ᵀr
        phi -= (eta * c) * (norm_b * r + phi * (bKr / norm_b))
        step += 1
    r = K_matvec(phi) - y
    return DualResult(phi, step, np.einsum("bir,bir->br", r, r) / loss0, np.array(hist))


def network_risks_reduced(sigma2, rho, As, *, d: int, n: int, trials: int, rng: np.random.Generator,
                          tol: float = 1e-10, max_steps: int = 10**6):
    """Population risks of ``trials`` networks per alignment A, trained by the fast path on the
    O(n) reduced model of an n×d spiked design (all A share each design). Returns (risks of shape
    (trials, len(As)), steps per A). Paper 000 Fig. 5 procedure in the s → 0 limit."""
    from . import ridge as nr  # numerics may use numerics; only theory is off limits

    As = [float(a) for a in np.atleast_1d(As)]
    for a in As:
        check_in("A", a, 0, 1)
    check_in("sigma2", sigma2, 0, INF, lo_open=True, hi_open=True)
    check_in("rho", rho, 0, INF, hi_open=True)
    draw = nr.spectral_draw(d, n, trials, rng)
    matvec = nr.spectral_K_matvec(draw, rho)
    eta = stable_eta(nr.spectral_gram_bound(draw, rho), n)
    out, steps = np.empty((trials, len(As))), []
    for j, a in enumerate(As):
        y = nr.spectral_targets(draw, rho, [a])
        res = train_dual(matvec, y, n=n, eta=eta, tol=tol, max_steps=max_steps)
        out[:, j] = nr.spectral_dual_risks(draw, res.phi, sigma2, rho, [a])[:, 0]
        steps.append(res.steps)
    return out, steps
