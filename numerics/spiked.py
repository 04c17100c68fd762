"""Spiked covariance data Σ = σ²(I + ρμμᵀ) built explicitly in R^d (paper 000 Eq. 1).

Everything here is computed from the definitions, never from the closed forms: unit vectors μ and β
with μᵀβ = A in a random orthonormal frame, the d×d matrix Σ, Σxy = Σβ (Eq. 3), the basis vectors
v1, v2 of §3.2, and the Appendix A quantities as plain inner products, all in mpmath.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from ._validate import check_in, check_positive_int

#: digits carried beyond the requested precision, so that rounding in d-term sums and in the
#: Gram-Schmidt steps stays below the requested precision
GUARD_DIGITS = 15


def _dot(x, y):
    return mpmath.fsum(a * b for a, b in zip(x, y))


def _norm(x):
    return mpmath.sqrt(_dot(x, x))


def _axpy(a, x, y):
    """a·x + y."""
    return [a * xi + yi for xi, yi in zip(x, y)]


def _scale(a, x):
    return [a * xi for xi in x]


def orthonormal_frame(d: int, count: int, rng: np.random.Generator) -> list[list]:
    """``count`` orthonormal vectors of R^d at the current mpmath precision: Gram-Schmidt (applied
    twice, for orthogonality to working precision) of seeded Gaussian vectors."""
    check_positive_int("d", d)
    if not 1 <= count <= d:
        raise ValueError(f"count must lie in [1, d] = [1, {d}], got {count}")
    frame: list[list] = []
    for _ in range(count):
        v = [mpmath.mpf(float(x)) for x in rng.standard_normal(d)]
        for _ in range(2):
            for q in frame:
                v = _axpy(-_dot(q, v), q, v)
        frame.append(_scale(1 / _norm(v), v))
    return frame


def spike_and_target(A, d: int, rng: np.random.Generator):
    """Unit vectors μ, β ∈ R^d with μᵀβ = A, in a random orthonormal frame (paper 000 §2.1)."""
    A = mpmath.mpf(check_in("A", A, 0, 1))
    if d < 2:
        raise ValueError(f"d must be >= 2 to hold a target not parallel to the spike, got {d}")
    q1, q2 = orthonormal_frame(d, 2, rng)
    mu = q1
    beta = _axpy(A, q1, _scale(mpmath.sqrt(1 - A * A), q2))
    return mu, beta


def spike_and_target_array(A, d: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """float64 counterpart of :func:`spike_and_target` for simulations: unit μ, β ∈ R^d with
    μᵀβ = A ∈ [−1, 1], from the QR factor of a seeded d×2 Gaussian. Callers that need A ≥ 0
    check it themselves, under their own parameter name."""
    check_in("A", A, -1, 1)
    check_positive_int("d", d)
    if d < 2:
        raise ValueError(f"d must be >= 2, got {d}")
    q, _ = np.linalg.qr(rng.standard_normal((d, 2)))
    mu, e = q[:, 0], q[:, 1]
    return mu, A * mu + np.sqrt(1.0 - A * A) * e


def spiked_inputs(sigma2, rho, mu: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Rows x = σ(z + (√(1+ρ) − 1)(μᵀz)μ) of the Gaussian rows z: covariance σ²(I + ρμμᵀ) when
    z ~ N(0, I_d), without a Cholesky factor (Σ^{1/2} = σ(I + (√(1+ρ) − 1)μμᵀ))."""
    return np.sqrt(sigma2) * (z + (np.sqrt(1.0 + rho) - 1.0) * np.outer(z @ mu, mu))


def spiked_covariance(sigma2, rho, mu) -> mpmath.matrix:
    """The explicit d×d matrix Σ = σ²(I + ρμμᵀ)."""
    d = len(mu)
    sigma = mpmath.matrix(d, d)
    for i in range(d):
        for j in range(d):
            sigma[i, j] = sigma2 * ((1 if i == j else 0) + rho * mu[i] * mu[j])
    return sigma


def _matvec(M, x):
    return [mpmath.fsum(M[i, j] * x[j] for j in range(len(x))) for i in range(len(x))]


@dataclass(frozen=True)
class AppendixA:
    """The six Appendix A quantities, the 2×2 block of Σ in (v1, v2) and how v2 was chosen."""

    sigma_xy_norm: mpmath.mpf
    mu_dot_v1: mpmath.mpf
    mu_dot_v2: mpmath.mpf
    lambda1: mpmath.mpf
    lambda2: mpmath.mpf
    nu: mpmath.mpf
    block_trace: mpmath.mpf
    block_det: mpmath.mpf
    parallel: bool
    v2_choice: str


V2_CHOICES = ("span", "random")


def appendix_a(sigma2, rho, A, *, d: int = 8, seed: int = 0, prec: int = 50,
               v2_choice: str = "span") -> AppendixA:
    """Compute ‖Σxy‖, μᵀv1, μᵀv2, λ1 = v1ᵀΣv1, λ2 = v2ᵀΣv2 and ν = −v1ᵀΣv2 from an explicit
    construction in R^d at ``prec`` digits (paper 000 §3.2 and Appendix A).

    v2 is the unit vector of span{Σxy, β} orthogonal to v1, signed so that ν > 0. When Σxy ∥ β
    (the parallel case) the paper lets v2 be any unit vector orthogonal to v1; ``v2_choice`` picks:
    ``"span"`` takes v2 along −(μ − (μᵀv1)v1) (the continuous extension of the generic case, any
    orthogonal unit vector if μ ∥ v1), ``"random"`` a seeded random unit vector orthogonal to v1.

    sigma2 > 0, rho >= 0, A in [0, 1], d >= 3, prec >= 15.
    """
    check_in("sigma2", sigma2, 0, float("inf"), lo_open=True)
    check_in("rho", rho, 0, float("inf"))
    check_in("A", A, 0, 1)
    check_positive_int("d", d)
    if d < 3:
        raise ValueError(f"d must be >= 3 so that v2 can be chosen freely in the parallel case, got {d}")
    check_positive_int("prec", prec)
    if v2_choice not in V2_CHOICES:
        raise ValueError(f"v2_choice must be one of {V2_CHOICES}, got {v2_choice!r}")
    rng = np.random.default_rng(seed)
    with mpmath.workdps(prec + GUARD_DIGITS):
        sigma2_, rho_ = mpmath.mpf(sigma2), mpmath.mpf(rho)
        mu, beta = spike_and_target(A, d, rng)
        sigma = spiked_covariance(sigma2_, rho_, mu)
        sxy = _matvec(sigma, beta)
        sxy_norm = _norm(sxy)
        v1 = _scale(1 / sxy_norm, sxy)
        # parallel test at working precision: rounding leaves ~10^-(prec+GUARD) behind
        threshold = mpmath.mpf(10) ** (-prec)
        beta_perp = _axpy(-_dot(v1, beta), v1, beta)
        parallel = _norm(beta_perp) < threshold
        if not parallel:
            v2 = _scale(1 / _norm(beta_perp), beta_perp)
        elif v2_choice == "span" and _norm(mu_perp := _axpy(-_dot(v1, mu), v1, mu)) >= threshold:
            v2 = _scale(-1 / _norm(mu_perp), mu_perp)
        else:
            extra = [mpmath.mpf(float(x)) for x in rng.standard_normal(d)]
            for _ in range(2):
                extra = _axpy(-_dot(v1, extra), v1, extra)
            v2 = _scale(1 / _norm(extra), extra)
        sigma_v2 = _matvec(sigma, v2)
        nu = -_dot(v1, sigma_v2)
        # §3.2: "we choose the direction of v2 so that ν is positive". In the parallel case ν is
        # zero and its computed sign is rounding noise, so the choice above keeps its own sign.
        if not parallel and nu < 0:
            v2, sigma_v2, nu = _scale(-1, v2), _scale(-1, sigma_v2), -nu
        lambda1 = _dot(v1, _matvec(sigma, v1))
        lambda2 = _dot(v2, sigma_v2)
        out = AppendixA(
            sigma_xy_norm=sxy_norm, mu_dot_v1=_dot(mu, v1), mu_dot_v2=_dot(mu, v2),
            lambda1=lambda1, lambda2=lambda2, nu=nu,
            block_trace=lambda1 + lambda2, block_det=lambda1 * lambda2 - nu * nu,
            parallel=bool(parallel), v2_choice=v2_choice,
        )
    return out
