"""Ridge and min-norm regression on spiked data (paper 000 §4), computed from the definitions.

* :func:`kappa_root` solves Eq. (24) for any spectrum by bracketed root finding in mpmath, and
  :func:`kappa_derivative` differentiates the root numerically (no closed form is used).
* Estimators β̂_λ = Xᵀ(XXᵀ + λnI)⁻¹y (Eq. 22; λ = 0 is the min-norm interpolator of Eq. 21) and
  their exact population risk (β̂ − β)ᵀΣ(β̂ − β), with Σ applied through its spike structure.
* Three Monte-Carlo paths for the risk, each checked against the previous one:
  ``reference``  explicit X ∈ R^{n×d} sampled as x = σ(z + (√(1+ρ) − 1)(μᵀz)μ) in a random frame,
                 β̂ by a dense solve; the brute-force path.
  ``explicit``   the same draw reduced exactly: with μ = e₁ and β = Ae₁ + √(1−A²)e₂ (rotation
                 invariance of z), XXᵀ = σ²(G + (1+ρ)ggᵀ + hhᵀ) where g, h are the first two columns
                 of Z and G the Gram matrix of the others; Woodbury reduces β̂ and its risk to the
                 2×2 matrices Uᵀ(G + μI)⁻¹U, Uᵀ(G + μI)⁻²U with U = [g, h].
  ``spectral``   the same law without forming Z: G = Q T Qᵀ with T = BBᵀ tridiagonal, B the
                 bidiagonal χ-matrix of Dumitriu & Edelman (2002, Thm 3.4, β = 1), and Qᵀg, Qᵀh
                 again i.i.d. N(0, I_n) because g, h are independent of G. Cost O(n) per draw,
                 independent of d.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np
from scipy.linalg import solveh_banded

from ._validate import check_in, check_positive_int
from .spiked import spike_and_target_array, spiked_inputs

INF = float("inf")


# -- κ(λ) for any spectrum ---------------------------------------------------------------------------
def _spectrum(eigenvalues, multiplicities):
    ev = [mpmath.mpf(e) for e in eigenvalues]
    mult = [1] * len(ev) if multiplicities is None else list(multiplicities)
    if len(mult) != len(ev):
        raise ValueError("multiplicities must have one entry per eigenvalue")
    for e in ev:
        if not e > 0:
            raise ValueError(f"eigenvalues must be positive, got {e}")
    for k in mult:
        check_positive_int("multiplicity", k)
    return ev, mult


def kappa_residual(kappa, eigenvalues, n, lam, multiplicities=None):
    """λ/κ + (1/n) Σ_i m_i λ_i/(κ + λ_i) − 1 (Eq. 24 with eigenvalue multiplicities m_i)."""
    ev, mult = _spectrum(eigenvalues, multiplicities)
    kappa, lam = mpmath.mpf(kappa), mpmath.mpf(lam)
    total = mpmath.fsum(k * e / (kappa + e) for e, k in zip(ev, mult))
    return (lam / kappa if lam else 0) + total / n - 1


def kappa_root(eigenvalues, n, lam, *, multiplicities=None, prec: int = 50):
    """The unique positive root κ of Eq. (24) at ``prec`` digits, by bisection-safe root finding.

    eigenvalues > 0 (with optional integer multiplicities), n > 0, lam >= 0; for lam = 0 the total
    multiplicity d must exceed n (otherwise there is no positive root)."""
    check_in("n", n, 0, INF, lo_open=True, hi_open=True)
    check_in("lam", lam, 0, INF, hi_open=True)
    check_positive_int("prec", prec)
    with mpmath.workdps(prec + 10):
        ev, mult = _spectrum(eigenvalues, multiplicities)
        lam_, n_ = mpmath.mpf(lam), mpmath.mpf(n)
        d = sum(mult)
        if lam_ == 0 and not d > n_:
            raise ValueError(f"for lam = 0 Eq. (24) has a positive root only if d > n; got d = {d}, "
                             f"n = {n}")
        f = lambda k: kappa_residual(k, ev, n_, lam_, mult)  # noqa: E731  (decreasing in κ)
        # κ ≥ λ since the sum is ≥ 0; κ ≤ λ + Σ m_i λ_i / n since each term is ≤ λ_i/κ
        lo = lam_ if lam_ > 0 else mpmath.mpf(0)
        hi = lam_ + mpmath.fsum(k * e for e, k in zip(ev, mult)) / n_
        if lo == 0:  # f(0⁺) = d/n − 1 > 0: walk down from hi until the sign changes
            lo = hi
            while f(lo) < 0:
                lo /= 2
        root = mpmath.findroot(f, (lo, hi), solver="anderson", tol=mpmath.mpf(10) ** (-prec - 5))
    return root  # carries prec + 10 digits whatever the caller's context


def kappa_derivative(eigenvalues, n, lam, *, multiplicities=None, prec: int = 50):
    """∂κ/∂λ by implicit differentiation of the residual F(κ, λ) of Eq. (24): κ' = −F_λ/F_κ, both
    partials taken numerically by mpmath.diff (one-sided in λ at λ = 0)."""
    k = kappa_root(eigenvalues, n, lam, multiplicities=multiplicities, prec=prec)
    with mpmath.workdps(prec + 10):
        ev, mult = _spectrum(eigenvalues, multiplicities)
        f_k = mpmath.diff(lambda x: kappa_residual(x, ev, n, lam, mult), k)
        # F is affine in λ: its λ-partial is exactly 1/κ, but take it numerically as well
        f_l = mpmath.diff(lambda l: mpmath.mpf(l) / k + kappa_residual(k, ev, n, 0, mult), lam,
                          direction=1 if lam == 0 else 0)
        out = -f_l / f_k
    return out


# -- data, estimators, population risk -------------------------------------------------------------
def _check_model(sigma2, rho, A):
    check_in("sigma2", sigma2, 0, INF, lo_open=True, hi_open=True)
    check_in("rho", rho, 0, INF, hi_open=True)
    check_in("A", A, 0, 1)


def spike_and_target(A: float, d: int, rng: np.random.Generator):
    """Unit μ, β ∈ R^d with μᵀβ = A ∈ [0, 1] in a random orthonormal frame (float64)."""
    check_in("A", A, 0, 1)
    return spike_and_target_array(A, d, rng)


def sample_inputs(sigma2, rho, mu, n: int, rng: np.random.Generator, z=None):
    """n rows x = σ(z + (√(1+ρ) − 1)(μᵀz)μ), z ~ N(0, I_d): covariance σ²(I + ρμμᵀ) without a
    Cholesky factor. Pass ``z`` (n×d) to transform a given draw."""
    _check_model(sigma2, rho, 0)
    check_positive_int("n", n)
    z = rng.standard_normal((n, len(mu))) if z is None else z
    return spiked_inputs(sigma2, rho, mu, z)


def ridge_estimator(X, y, lam):
    """Eq. (22) in its dual form β̂_λ = Xᵀ(XXᵀ + λnI)⁻¹y; lam = 0 gives Eq. (21) (XXᵀ invertible
    when n <= d and X has full row rank)."""
    check_in("lam", lam, 0, INF, hi_open=True)
    n = X.shape[0]
    return X.T @ np.linalg.solve(X @ X.T + lam * n * np.eye(n), y)


def population_risk(beta_hat, beta, sigma2, rho, mu) -> float:
    """(β̂ − β)ᵀΣ(β̂ − β) with Σ = σ²(I + ρμμᵀ)."""
    e = beta_hat - beta
    return float(sigma2 * (e @ e + rho * (mu @ e) ** 2))


def _check_sizes(d, n, lam):
    check_positive_int("d", d)
    check_positive_int("n", n)
    check_in("lam", lam, 0, INF, hi_open=True)
    if lam == 0 and n > d - 2:
        raise ValueError(f"n must be <= d - 2 for the ridgeless risk (need d > n); got d = {d}, n = {n}")


def risks_reference(sigma2, rho, A, *, d: int, n: int, lam=0.0, trials: int,
                    rng: np.random.Generator) -> np.ndarray:
    """Brute force: per trial a fresh frame (μ, β), explicit X, dense solve, exact risk."""
    _check_model(sigma2, rho, A)
    _check_sizes(d, n, lam)
    out = np.empty(trials)
    for t in range(trials):
        mu, beta = spike_and_target(A, d, rng)
        X = sample_inputs(sigma2, rho, mu, n, rng)
        out[t] = population_risk(ridge_estimator(X, X @ beta, lam), beta, sigma2, rho, mu)
    return out


def _woodbury_risk(H, H2, shift, sigma2, rho, A):
    """Risk from the 2×2 blocks H = Uᵀ(G + s I)⁻¹U, H2 = Uᵀ(G + s I)⁻²U, U = [g, h] (see module
    docstring); s = λn/σ² is the ridge shift in units of σ²."""
    r1 = np.sqrt(1.0 + rho)
    c_inv = np.diag([1.0 / (1.0 + rho), 1.0])
    w = np.array([r1 * A, np.sqrt(1.0 - A * A)])  # Xβ/σ = U w
    v = np.linalg.solve(c_inv + H, c_inv @ w)    # α = (G + sI)⁻¹ U v
    g_a, h_a = H @ v                              # gᵀα, hᵀα
    rest = v @ (H - shift * H2) @ v               # αᵀ G α = ‖Z_restᵀα‖²
    return sigma2 * ((1.0 + rho) * (A - r1 * g_a) ** 2 + (w[1] - h_a) ** 2 + rest)


def risk_explicit(z, sigma2, rho, A, lam=0.0) -> float:
    """Exact risk of β̂_λ for the draw X = σ Z (I + (√(1+ρ) − 1)e₁e₁ᵀ), β = Ae₁ + √(1−A²)e₂, by the
    Woodbury reduction (dense n×n algebra on the d − 2 remaining columns)."""
    _check_model(sigma2, rho, A)
    n, d = z.shape
    _check_sizes(d, n, lam)
    U, rest = z[:, :2], z[:, 2:]
    shift = lam * n / sigma2
    X = np.linalg.solve(rest @ rest.T + shift * np.eye(n), U)
    return _woodbury_risk(U.T @ X, X.T @ X, shift, sigma2, rho, A)


def wishart_tridiagonal(n: int, p: int, rng: np.random.Generator):
    """Upper banded form (2×n) of T = BBᵀ, whose law of eigenvalues is that of ZZᵀ with Z n×p
    i.i.d. N(0, 1): B lower bidiagonal, B_ii = χ_{p−i+1}, B_{i+1,i} = χ_{n−i} (Dumitriu-Edelman)."""
    b = np.sqrt(rng.chisquare(p - np.arange(n)))
    c = np.sqrt(rng.chisquare(n - 1 - np.arange(n - 1))) if n > 1 else np.empty(0)
    ab = np.zeros((2, n))
    ab[1] = b * b
    ab[1, 1:] += c * c
    ab[0, 1:] = b[:-1] * c
    return ab


@dataclass(frozen=True)
class SpectralDraw:
    """``trials`` independent draws of the reduced model, stacked: T (banded, length trials·n) is
    block diagonal with one BBᵀ block per draw (zero coupling across blocks), U = [g, h] holds the
    two Gaussian columns of every draw."""

    T: np.ndarray
    U: np.ndarray
    n: int

    @property
    def trials(self) -> int:
        return self.U.shape[0] // self.n

    def blocks(self, shift: float = 0.0):
        """Per draw H = Uᵀ(T + sI)⁻¹U and H2 = Uᵀ(T + sI)⁻²U, shape (trials, 2, 2), in one banded
        solve of the stacked system."""
        ab = self.T.copy()
        ab[1] += shift
        X = solveh_banded(ab, self.U, check_finite=False)
        Ub, Xb = self.U.reshape(-1, self.n, 2), X.reshape(-1, self.n, 2)
        return np.einsum("tia,tib->tab", Ub, Xb), np.einsum("tia,tib->tab", Xb, Xb)

    def gram_matvec(self, v):
        """T v for a stacked vector (or a (trials·n, k) block) v."""
        v2 = v if v.ndim == 2 else v[:, None]
        out = self._diag * v2
        out[:-1] += self._off * v2[1:]
        out[1:] += self._off * v2[:-1]
        return out if v.ndim == 2 else out[:, 0]

    @property
    def _diag(self):
        return self.T[1][:, None]

    @property
    def _off(self):
        return self.T[0, 1:, None]


def spectral_draw(d: int, n: int, trials: int, rng: np.random.Generator) -> SpectralDraw:
    """``trials`` draws of (G, g, h) for an n×d design, G standing for the Gram matrix of the d − 2
    columns that carry neither μ nor β (the χ variates of all draws sampled at once)."""
    check_positive_int("trials", trials)
    if n > d - 2:
        raise ValueError(f"n must be <= d - 2 for the reduced model (G of full rank); got d = {d}, n = {n}")
    b = np.sqrt(rng.chisquare(np.broadcast_to(d - 2 - np.arange(n), (trials, n))))
    c = np.zeros((trials, n))
    if n > 1:
        c[:, :-1] = np.sqrt(rng.chisquare(np.broadcast_to(n - 1 - np.arange(n - 1), (trials, n - 1))))
    ab = np.zeros((2, trials * n))
    ab[1] = (b * b).ravel()
    ab[1, 1:] += (c * c).ravel()[:-1]   # c of the last row of a block is 0: no leak into the next
    ab[0, 1:] = (b * c).ravel()[:-1]
    return SpectralDraw(ab, rng.standard_normal((trials * n, 2)), n)


def woodbury_risks(H, H2, shift, sigma2, rho, A):
    """Vectorized :func:`_woodbury_risk` over leading axes of H, H2 (…, 2, 2)."""
    r1 = np.sqrt(1.0 + rho)
    c_inv = np.diag([1.0 / (1.0 + rho), 1.0])
    w = np.array([r1 * A, np.sqrt(1.0 - A * A)])
    v = np.linalg.solve(c_inv + H, np.broadcast_to(c_inv @ w, H.shape[:-1])[..., None])[..., 0]
    ga = np.einsum("...ab,...b->...a", H, v)
    rest = np.einsum("...a,...ab,...b->...", v, H - shift * H2, v)
    return sigma2 * ((1.0 + rho) * (A - r1 * ga[..., 0]) ** 2 + (w[1] - ga[..., 1]) ** 2 + rest)


def risks_spectral(sigma2, rho, A, *, d: int, n: int, lam=0.0, trials: int,
                   rng: np.random.Generator) -> np.ndarray:
    """Monte-Carlo risks of β̂_λ (Eq. 22, λ = 0: Eq. 21) by the O(n)-per-draw reduced model.
    ``rho`` and ``A`` may be sequences: the result then has shape (trials, len(rho), len(A)),
    all (ρ, A) sharing each draw (common random numbers)."""
    rhos, As = np.atleast_1d(rho).astype(float), np.atleast_1d(A).astype(float)
    for r in rhos:
        for a in As:
            _check_model(sigma2, r, a)
    _check_sizes(d, n, lam)
    check_positive_int("trials", trials)
    shift = lam * n / sigma2
    H, H2 = spectral_draw(d, n, trials, rng).blocks(shift)
    out = np.stack([np.stack([woodbury_risks(H, H2, shift, sigma2, r, a) for a in As], -1)
                    for r in rhos], -2)
    if np.ndim(rho) == 0 and np.ndim(A) == 0:
        return out[:, 0, 0]
    return out


# -- the reduced model as an operator: K = XXᵀ/σ² = G + (1+ρ)ggᵀ + hhᵀ ------------------------------
def spectral_K_matvec(draw: SpectralDraw, rho: float):
    """v ↦ K v on arrays of shape (trials, n, runs), K = T + U diag(1+ρ, 1) Uᵀ blockwise."""
    Ub = draw.U.reshape(-1, draw.n, 2)
    cvec = np.array([1.0 + rho, 1.0])

    UbT = np.ascontiguousarray(Ub.transpose(0, 2, 1)) * cvec[None, :, None]

    def matvec(v):
        tv = draw.gram_matvec(v.reshape(-1, v.shape[-1])).reshape(v.shape)
        return tv + Ub @ (UbT @ v)     # batched BLAS over draws

    return matvec


def spectral_targets(draw: SpectralDraw, rho: float, As) -> np.ndarray:
    """y/σ = Z M β = U w(A) for each A: shape (trials, n, len(As))."""
    As = np.atleast_1d(np.asarray(As, dtype=float))
    w = np.stack([np.sqrt(1.0 + rho) * As, np.sqrt(1.0 - As**2)])  # (2, runs)
    return np.einsum("tia,ar->tir", draw.U.reshape(-1, draw.n, 2), w)


def spectral_gram_bound(draw: SpectralDraw, rho: float) -> np.ndarray:
    """Per draw an upper bound on λ_max(K): Gershgorin for T plus (1+ρ)‖g‖² + ‖h‖²."""
    off = np.abs(draw.T[0])
    rows = draw.T[1] + off + np.concatenate([off[1:], [0.0]])
    Ub = draw.U.reshape(-1, draw.n, 2)
    return rows.reshape(-1, draw.n).max(axis=1) + (1.0 + rho) * (Ub[..., 0] ** 2).sum(1) \
        + (Ub[..., 1] ** 2).sum(1)


def spectral_dual_risks(draw: SpectralDraw, phi: np.ndarray, sigma2, rho, As) -> np.ndarray:
    """Population risk of b = Xᵀφ/σ (b = M Zᵀφ) for φ of shape (trials, n, runs):
    σ²[(1+ρ)(A − √(1+ρ) gᵀφ)² + (√(1−A²) − hᵀφ)² + φᵀGφ]."""
    As = np.atleast_1d(np.asarray(As, dtype=float))
    Ub = draw.U.reshape(-1, draw.n, 2)
    proj = np.einsum("tia,tir->tar", Ub, phi)
    gphi = draw.gram_matvec(phi.reshape(-1, phi.shape[-1])).reshape(phi.shape)
    quad = np.einsum("tir,tir->tr", phi, gphi)
    r1 = np.sqrt(1.0 + rho)
    return sigma2 * ((1.0 + rho) * (As - r1 * proj[:, 0]) ** 2
                     + (np.sqrt(1.0 - As**2) - proj[:, 1]) ** 2 + quad)
