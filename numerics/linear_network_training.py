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
               check_every: int = 50, W0: np.ndarray | None = None,
               a0: np.ndarray | None = None) -> FullResult:
    """Plain full-batch GD on L = (1/n)‖XWᵀa − y‖² from W_ij ~ N(0, s²/d), a_i ~ N(0, s²/m)
    (or from the given W0 (m×d), a0 (m,)); simultaneous updates W −= η ∂L/∂W, a −= η ∂L/∂a with
    ∂L/∂W = (2/n) a (Xᵀr)ᵀ, ∂L/∂a = (2/n) W Xᵀr, r = XWᵀa − y. The textbook reference: every step
    touches the full m×d matrix. m >= 1, s > 0, eta > 0."""
    n, d = X.shape
    check_positive_int("m", m)
    check_in("s", s, 0, INF, lo_open=True, hi_open=True)
    if eta is None:
        eta = stable_eta(np.linalg.eigvalsh(X @ X.T)[-1], n)
    check_in("eta", eta, 0, INF, lo_open=True, hi_open=True)
    W = rng.standard_normal((m, d)) * (s / np.sqrt(d)) if W0 is None else np.array(W0, dtype=float)
    a = rng.standard_normal(m) * (s / np.sqrt(m)) if a0 is None else np.array(a0, dtype=float)
    if W.shape != (m, d) or a.shape != (m,):
        raise ValueError(f"W0 must have shape (m, d) = ({m}, {d}) and a0 shape ({m},)")
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


# -- exact GD of the full network, row-space bookkeeping ----------------------------------------------
def init_network(d: int, m: int, s: float, rng: np.random.Generator, runs: int = 1):
    """``runs`` independent initializations W₀ ∈ R^{m×d} with W_ij ~ N(0, s²/d) and a₀ ∈ R^m with
    a_i ~ N(0, s²/m) (paper 000 Fig. 1 caption, the procedure of Fig. 5). Shapes (runs, m, d), (runs, m)."""
    check_positive_int("d", d)
    check_positive_int("m", m)
    check_positive_int("runs", runs)
    check_in("s", s, 0, INF, lo_open=True, hi_open=True)
    return (rng.standard_normal((runs, m, d)) * (s / np.sqrt(d)),
            rng.standard_normal((runs, m)) * (s / np.sqrt(m)))


@dataclass(frozen=True)
class ExactResult:
    b: np.ndarray          # end-to-end vectors Wᵀa, shape (runs, d)
    a: np.ndarray          # final second-layer weights, shape (runs, m)
    steps: int
    rel_loss: np.ndarray   # final loss / initial loss, per run
    eta: float
    history: np.ndarray    # relative loss every ``check_every`` steps, shape (checks, runs)


def train_exact(X: np.ndarray, Y: np.ndarray, W0: np.ndarray, a0: np.ndarray, *, eta: float,
                tol: float = 1e-12, max_steps: int = 10**6, check_every: int = 50,
                reduce_width: bool = True) -> ExactResult:
    """The same iteration as :func:`train_full`, step for step, at O(n(n + m)) per step.

    X is one design (n×d) shared by all runs or one per run (runs×n×d); Y (runs×n), W0 (runs×m×d),
    a0 (runs×m) as from :func:`init_network`. Nothing assumes a start in the row space of X:

    * ∂L/∂W = (2/n) a rᵀX is rank one with rows in row(X), so W_t = W₀ + C_t X and only
      P = XWᵀ (n×m) moves: P ← P − η(2/n)(Kr)aᵀ with K = XXᵀ, a ← a − η(2/n)Pᵀr, r = Pa − y
      (both updates use the old P, a: simultaneous, as in train_full).
    * Width (exact): every update of a lies in span(Pᵀ) and every update of P's rows is ∝ aᵀ, so
      (P, a) stay in the span of P₀ᵀ's columns and a₀, dimension ≤ n + 1. With an orthonormal
      basis Q of that span (QR once), P = P̃Qᵀ, a = Qã; GD is equivariant under this rotation of
      the hidden units, so iterating (P̃, ã) is the same iteration (used when m > n + 1).
    * End point: W₀'s part outside row(X) is never changed by GD and is carried exactly:
      β_net = Wᵀa = W₀ᵀa + XᵀCᵀa with KCᵀa = (P − P₀)a, i.e. β_net = W₀ᵀa + XᵀK⁻¹(P − P₀)a.
    Setup O(nd(n + m)), per step O(n(n + m)), end O(d(n + m) + n³)."""
    check_in("eta", eta, 0, INF, lo_open=True, hi_open=True)
    check_positive_int("check_every", check_every)
    W0, a0, Y = np.asarray(W0, float), np.asarray(a0, float), np.asarray(Y, float)
    if W0.ndim != 3 or a0.shape != W0.shape[:2]:
        raise ValueError("W0 must have shape (runs, m, d) and a0 shape (runs, m)")
    runs, m, d = W0.shape
    X = np.asarray(X, float)
    if X.ndim == 2:
        X = X[None]
    if X.shape[0] not in (1, runs) or X.shape[2] != d:
        raise ValueError(f"X must have shape (n, d) or (runs, n, d) with d = {d}, runs = {runs}")
    n = X.shape[1]
    if Y.shape != (runs, n):
        raise ValueError(f"Y must have shape (runs, n) = ({runs}, {n})")
    K = X @ X.transpose(0, 2, 1)                          # (1 or runs, n, n)
    P0 = X @ W0.transpose(0, 2, 1)                        # (runs, n, m)
    if reduce_width and m > n + 1:
        Q, _ = np.linalg.qr(np.concatenate([P0.transpose(0, 2, 1), a0[:, :, None]], axis=2))
        P0 = P0 @ Q                                       # (runs, n, n + 1)
        a = (Q.transpose(0, 2, 1) @ a0[:, :, None])[:, :, 0]
    else:
        Q, a = None, a0.copy()
    P = P0.copy()
    c = eta * 2.0 / n
    loss0 = np.einsum("ri,ri->r", Y, Y)
    step, hist = 0, []
    outer = np.empty_like(P)
    while step < max_steps:
        r = (P @ a[:, :, None])[:, :, 0] - Y
        if step % check_every == 0:
            rel = np.einsum("ri,ri->r", r, r) / loss0
            hist.append(rel)
            if np.all(rel <= tol):
                break
        r *= c                                            # η ∂L/∂f = η(2/n) r
        Kr = (K @ r[:, :, None])[:, :, 0]
        Ptr = (r[:, None, :] @ P)[:, 0, :]                # η(2/n)(Pᵀr)ᵀ with the old P
        np.einsum("ri,rj->rij", Kr, a, out=outer)
        P -= outer
        a -= Ptr
        step += 1
    f = (P @ a[:, :, None])[:, :, 0]
    r = f - Y
    dual = np.linalg.solve(K, (f - (P0 @ a[:, :, None])[:, :, 0])[:, :, None])[:, :, 0]
    a_full = a if Q is None else (Q @ a[:, :, None])[:, :, 0]
    b = (a_full[:, None, :] @ W0)[:, 0, :] + (dual[:, None, :] @ X)[:, 0, :]
    return ExactResult(b, a_full, step, np.einsum("ri,ri->r", r, r) / loss0, eta, np.array(hist))


def network_risks_full(sigma2, rho, As, *, d: int, m: int, n: int, trials: int, s: float,
                       rng: np.random.Generator, tol: float = 1e-10, max_steps: int = 10**6,
                       runs_per_call: int | None = None) -> dict:
    """Population risks of trained two-layer networks f(x) = aᵀWx (exact GD, :func:`train_exact`)
    on explicit n×d spiked designs: per trial one spike μ and one design X; per alignment A a target
    β = Aμ + √(1 − A²)u (u ⊥ μ fixed per trial) and an independent initialization at scale s.

    Returns a dict of arrays of shape (trials, len(As)): ``risks`` (trained networks), ``min_norm``
    (Eq. 21 on the same draw), ``gap`` = ‖Wᵀa − β̂₀‖, ``a_norm`` = ‖a‖ at the end, ``resid`` =
    ‖XᵀK⁻¹r‖ bound √(final loss·n/λ_min(K)) of the row-space part of the gap, ``quad`` = gᵀΣg
    with g = Wᵀa − β̂₀ (the second-order part of the risk difference); and ``steps`` (per call)."""
    from . import ridge as nr

    As = [float(a) for a in np.atleast_1d(As)]
    for a in As:
        check_in("A", a, 0, 1)
    check_in("sigma2", sigma2, 0, INF, lo_open=True, hi_open=True)
    check_in("rho", rho, 0, INF, hi_open=True)
    for name, v in (("d", d), ("m", m), ("n", n), ("trials", trials)):
        check_positive_int(name, v)
    if n > d - 2:
        raise ValueError(f"n must be <= d - 2 (overparametrized), got d = {d}, n = {n}")
    per = trials if runs_per_call is None else max(1, runs_per_call // len(As))
    out = {k: np.empty((trials, len(As))) for k in ("risks", "min_norm", "gap", "a_norm", "resid", "quad")}
    steps = []
    for t0 in range(0, trials, per):
        ts = range(t0, min(trials, t0 + per))
        Xs, Ys, frames = [], [], []
        for _ in ts:
            frame, _ = np.linalg.qr(rng.standard_normal((d, 2)))
            mu, u = frame[:, 0], frame[:, 1]
            X = nr.sample_inputs(sigma2, rho, mu, n, rng)
            betas = [a * mu + np.sqrt(1 - a * a) * u for a in As]
            frames.append((mu, betas, X))
            Xs += [X] * len(As)
            Ys += [X @ bt for bt in betas]
        W0, a0 = init_network(d, m, s, rng, runs=len(Xs))
        eig = [np.linalg.eigvalsh(X @ X.T) for _, _, X in frames]
        eta = stable_eta(max(e[-1] for e in eig), n)
        res = train_exact(np.stack(Xs), np.stack(Ys), W0, a0, eta=eta, tol=tol, max_steps=max_steps)
        del Xs, W0
        steps.append(res.steps)
        for i, t in enumerate(ts):
            mu, betas, X = frames[i]
            for j, bt in enumerate(betas):
                k = i * len(As) + j
                y = Ys[k]
                b0 = nr.ridge_estimator(X, y, 0.0)
                out["risks"][t, j] = nr.population_risk(res.b[k], bt, sigma2, rho, mu)
                out["min_norm"][t, j] = nr.population_risk(b0, bt, sigma2, rho, mu)
                out["gap"][t, j] = np.linalg.norm(res.b[k] - b0)
                out["quad"][t, j] = nr.population_risk(res.b[k], b0, sigma2, rho, mu)  # gᵀΣg
                out["a_norm"][t, j] = np.linalg.norm(res.a[k])
                out["resid"][t, j] = np.sqrt(res.rel_loss[k] * (y @ y) / eig[i][0])
    out["steps"] = np.asarray(steps)
    return out


def loss_crossing(history, level):
    """Fractional index where the sampled loss history first falls below ``level`` (inf: never)."""
    if not np.any(history < level) or history[0] < level:
        return np.inf
    i = int(np.argmax(history < level))
    lo, hi = np.log(history[i - 1]), np.log(history[i])
    return i - 1 + (lo - np.log(level)) / (lo - hi)


def log_loss_at(history, x):
    """log10 of the sampled loss history at fractional index ``x`` (linear in log; inf past the end)."""
    if not np.isfinite(x) or x + 1 >= len(history):
        return np.inf  # the run ended (or never escaped) before this point: recorded as a failure
    i = int(np.floor(x))
    f = x - i
    return (1 - f) * np.log10(history[i]) + f * np.log10(history[i + 1])
