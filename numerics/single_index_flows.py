"""Population gradient flows of one neuron on a single-index target under Σ = s(I + θμμᵀ)
(002 slides 'Algorithm: Spherical Gradient Flow?' and 'Algorithm: Normalized Gradient Flow';
001 §2.1, §3.1, §4.1), integrated in R^d with scipy's solve_ivp.

Target f*(x) = σ*(⟨x, β⟩/‖Σ^{1/2}β‖); loss R = ½E[(f − f*)²] (the slides' E(f − y)² only doubles
time). The risk of a neuron depends on w only through the Gram entries q = wᵀΣw and c = wᵀΣβ̂,
β̂ = β/‖Σ^{1/2}β‖: R = ½E[σ(v)²] − E[σ(v)σ*(u)] + const with Var v = q, Cov(v, u) = c. Those
expectations come from :mod:`numerics.hermite` quadrature and their q- and c-derivatives from
central differences, so the flows use no Hermite algebra.

  spherical       f = σ(⟨x, w⟩),               dw = −(I − wwᵀ)∇R dt on the sphere
  normalized      f = σ(⟨x, w⟩/‖Σ^{1/2}w‖),    dw = −⟨w, Σw⟩∇R dt
  preconditioned  same f,                       dw = −⟨w, Σw⟩Σ⁻¹∇R dt

``spherical_aligned_drift``/``spherical_aligned_flow`` are the exact one-dimensional reduction of
the spherical flow for β = μ (the coordinate u = ⟨w, μ⟩), checked against the d-dimensional flow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.integrate import quad, solve_ivp

from ._validate import check_in, check_positive_int
from .hermite import pair_expectation, relu_pair_expectation, relu_pair_partials

KINDS = ("spherical", "normalized", "preconditioned")
_H = 1e-5  # central-difference step; the smooth Gaussian integrals make the error ~1e-10
#: E[relu(z)²], z ~ N(0, 1), by adaptive quadrature; relu is 1-homogeneous, so E[relu(√q z)²] = q·this
RELU_SQ_MOMENT = quad(lambda x: x * x * math.exp(-x * x / 2) / math.sqrt(2 * math.pi), 0, math.inf,
                      epsabs=1e-14, epsrel=1e-14)[0]


@dataclass(frozen=True)
class Neuron:
    """Activation ("relu" or a numpy callable) and link σ* (a numpy callable)."""

    act: "str | Callable"
    link: Callable

    def second_moment(self, q: float) -> float:
        """½E[σ(v)²], Var v = q."""
        if self.act == "relu":
            return 0.5 * RELU_SQ_MOMENT * q
        return 0.5 * pair_expectation(lambda v: self.act(v) ** 2, lambda u: 1.0 + 0 * u, q, 0.0)

    def correlation(self, q: float, c: float) -> float:
        """E[σ(v)σ*(u)], Var v = q, Var u = 1, Cov = c."""
        if self.act == "relu":
            return relu_pair_expectation(self.link, q, c)
        return pair_expectation(self.act, self.link, q, c)

    def risk_partials(self, q: float, c: float) -> tuple[float, float]:
        """∂R/∂q and ∂R/∂c (ReLU: differentiated under the integral; polynomial activations:
        central differences of an exact quadrature)."""
        if self.act == "relu":
            d_var, d_cov = relu_pair_partials(self.link, q, c)
            return 0.5 * RELU_SQ_MOMENT - d_var, -d_cov
        hq = _H * q
        dq = (self.second_moment(q + hq) - self.second_moment(q - hq)
              - self.correlation(q + hq, c) + self.correlation(q - hq, c)) / (2 * hq)
        room = math.sqrt(q) - abs(c)  # keep c ± hc a valid covariance
        hc = min(_H, room / 2) if room > 0 else _H
        dc = -(self.correlation(q, c + hc) - self.correlation(q, c - hc)) / (2 * hc)
        return dq, dc

    def phi_prime(self, m: float) -> float:
        """Φ'(m) for Φ(m) = E[σ(v)σ*(u)] at unit variances, correlation m."""
        if self.act == "relu" and abs(m) < 1:
            return relu_pair_partials(self.link, 1.0, m)[1]
        h = min(_H, (1 - abs(m)) / 2) if abs(m) < 1 else _H
        lo, hi = max(m - h, -1.0), min(m + h, 1.0)
        return (self.correlation(1.0, hi) - self.correlation(1.0, lo)) / (hi - lo)


@dataclass(frozen=True)
class SpikedSingleIndex:
    """Σ = scale·(I + θμμᵀ) in R^d with unit μ, β."""

    mu: np.ndarray
    beta: np.ndarray
    theta: float
    scale: float = 1.0

    @property
    def d(self) -> int:
        return len(self.mu)

    def sigma(self, x: np.ndarray) -> np.ndarray:
        return self.scale * (x + self.theta * (self.mu @ x) * self.mu)

    def sigma_inv(self, x: np.ndarray) -> np.ndarray:
        return (x - self.theta / (1 + self.theta) * (self.mu @ x) * self.mu) / self.scale

    @property
    def beta_hat(self) -> np.ndarray:
        return self.beta / math.sqrt(self.beta @ self.sigma(self.beta))

    def overlaps(self, w: np.ndarray) -> tuple[float, float]:
        """(cosine ⟨w, β⟩/‖w‖, whitened overlap m = ⟨Σ^{1/2}w, Σ^{1/2}β⟩/(‖·‖‖·‖))."""
        sw = self.sigma(w)
        return float(w @ self.beta / np.linalg.norm(w)), float(sw @ self.beta_hat / math.sqrt(w @ sw))


def make_problem(d: int, theta: float, a: float, rng: np.random.Generator, *,
                 scale: float = 1.0) -> SpikedSingleIndex:
    """Random orthonormal μ, e; β = aμ + √(1 − a²)e."""
    check_positive_int("d", d)
    check_in("theta", theta, 0, math.inf)
    check_in("a", a, -1, 1)
    check_in("scale", scale, 0, math.inf, lo_open=True)
    q, _ = np.linalg.qr(rng.standard_normal((d, 2)))
    return SpikedSingleIndex(q[:, 0], a * q[:, 0] + math.sqrt(1 - a * a) * q[:, 1], float(theta), float(scale))


def velocity(problem: SpikedSingleIndex, neuron: Neuron, w: np.ndarray, kind: str) -> np.ndarray:
    """dw/dt of the population flow ``kind``."""
    sw = problem.sigma(w)
    sb = problem.sigma(problem.beta_hat)
    q = float(w @ sw)
    if kind == "spherical":
        nw = w / math.sqrt(w @ w)
        dq, dc = neuron.risk_partials(q, float(w @ sb))
        grad = 2 * dq * sw + dc * sb
        return -(grad - (nw @ grad) * nw)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    m = float(w @ sb) / math.sqrt(q)
    grad = -neuron.phi_prime(m) * (sb / math.sqrt(q) - m * sw / q)
    if kind == "preconditioned":
        grad = problem.sigma_inv(grad)
    return -q * grad


@dataclass
class FlowResult:
    t: np.ndarray
    cosine: np.ndarray   # ⟨w_t, β⟩/‖w_t‖
    whitened: np.ndarray  # m_t
    hit_time: float | None
    w_final: np.ndarray


def population_flow(problem: SpikedSingleIndex, neuron: Neuron, w0: np.ndarray, kind: str, t_max: float,
                    *, hit_level: float | None = None, t_eval=None, rtol: float = 1e-10,
                    atol: float = 1e-12) -> FlowResult:
    """Integrate the flow from w0 to t_max; ``hit_level`` stops when the whitened overlap reaches it."""
    check_in("t_max", t_max, 0, math.inf, lo_open=True)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    w0 = np.asarray(w0, dtype=float)
    if w0.shape != (problem.d,):
        raise ValueError(f"w0 must have shape ({problem.d},), got {w0.shape}")
    events = None
    if hit_level is not None:
        check_in("hit_level", hit_level, -1, 1, lo_open=True, hi_open=True)

        def hit(t, w):
            return problem.overlaps(w)[1] - hit_level
        hit.terminal, hit.direction = True, 1
        events = [hit]
    sol = solve_ivp(lambda t, w: velocity(problem, neuron, w, kind), (0.0, t_max), w0, method="DOP853",
                    rtol=rtol, atol=atol, t_eval=t_eval, events=events)
    if sol.status == -1:
        raise RuntimeError(f"integration failed: {sol.message}")
    cos, white = zip(*(problem.overlaps(sol.y[:, i]) for i in range(sol.y.shape[1])))
    hit_time = float(sol.t_events[0][0]) if events and len(sol.t_events[0]) else None
    return FlowResult(sol.t, np.array(cos), np.array(white), hit_time, sol.y[:, -1])


# -- exact one-dimensional reduction of the spherical flow for β = μ --------------------------------
def spherical_aligned_drift(u: float, theta: float, neuron: Neuron, *, scale: float = 1.0) -> float:
    """du/dt for u = ⟨w, μ⟩, β = μ: q = s(1 + θu²), c = √(s(1+θ))·u, du/dt = −(1 − u²)dR/du."""
    q = scale * (1 + theta * u * u)
    c = math.sqrt(scale * (1 + theta)) * u
    dq, dc = neuron.risk_partials(q, c)
    return -(1 - u * u) * (dq * 2 * scale * theta * u + dc * math.sqrt(scale * (1 + theta)))


def spherical_aligned_flow(u0: float, theta: float, neuron: Neuron, t_max: float, *, scale: float = 1.0,
                           t_eval=None, rtol: float = 1e-10, atol: float = 1e-13):
    sol = solve_ivp(lambda t, y: [spherical_aligned_drift(y[0], theta, neuron, scale=scale)],
                    (0.0, t_max), [u0], method="DOP853", rtol=rtol, atol=atol, t_eval=t_eval)
    return sol.t, sol.y[0]


def spherical_escape_threshold(u0: float, neuron: Neuron, *, scale_of: Callable[[float], float],
                               log_theta_bracket=(0.0, 25.0)) -> float:
    """Smallest θ (by bisection on ln θ, to 1e-10) at which the initial drift at u0 is positive:
    below it repulsion wins and u decays toward the equator. ``scale_of(θ)`` gives Σ's scale."""
    from scipy.optimize import brentq

    def f(log_theta):
        th = math.exp(log_theta)
        return spherical_aligned_drift(u0, th, neuron, scale=scale_of(th))

    lo, hi = log_theta_bracket
    if f(lo) > 0 or f(hi) < 0:
        raise ValueError(f"no sign change of the drift in ln θ ∈ {log_theta_bracket}")
    return math.exp(brentq(f, lo, hi, xtol=1e-10))


def w_with_whitened_overlap(problem: SpikedSingleIndex, m0: float, rng: np.random.Generator) -> np.ndarray:
    """A w whose whitened overlap ⟨Σ^{1/2}w, Σ^{1/2}β⟩/(‖Σ^{1/2}w‖‖Σ^{1/2}β‖) is ``m0``: Σ^{−1/2} of a
    mix of the whitened target and a random orthogonal direction (Σ ∝ I + θμμᵀ; its powers act on
    the μ component only, and the overall scale does not change the overlap)."""
    if not -1 <= m0 <= 1:
        raise ValueError(f"m0 must be in [-1, 1], got {m0!r}")
    th, mu = problem.theta, problem.mu

    def power(x, p):
        return x + ((1 + th) ** p - 1) * (mu @ x) * mu

    bt = power(problem.beta, 0.5)
    bt = bt / np.linalg.norm(bt)
    r = rng.standard_normal(problem.d)
    r = r - (r @ bt) * bt
    r = r / np.linalg.norm(r)
    return power(m0 * bt + math.sqrt(1 - m0 * m0) * r, -0.5)
