"""First-layer gradient of a single neuron on a single-index target (002 slides 'Limitation under
Isotropic Data (continued)' and 'Insufficiency of One Gradient Step'): the population correlation
gradient g = E[x σ'(⟨x, w⟩) f*(x)] by Gauss–Hermite quadrature in the plane of w and β, and its
n-sample estimate ĝ by Monte-Carlo, for isotropic or spiked x.

Activations and links are polynomials given by their He-coefficients (numpy's HermiteE series) or
ReLU; quadrature in the plane is exact for polynomials.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
from numpy.polynomial.hermite_e import HermiteE

from ._validate import check_in, check_positive_int
from .spiked import spiked_inputs
from .hermite import _gh


def hermite_series(coeffs) -> HermiteE:
    """The polynomial Σ cᵢHeᵢ as a callable with ``.deriv()``."""
    return HermiteE(np.asarray(coeffs, dtype=float))


def normalized_hermite(k: int, sign: float = 1.0) -> HermiteE:
    """sign·hₖ = sign·Heₖ/√k!."""
    check_positive_int("k", k)
    c = np.zeros(k + 1)
    c[k] = sign / math.sqrt(math.factorial(k))
    return HermiteE(c)


def population_gradient_isotropic(act: HermiteE, link: HermiteE, omega: float, *,
                                  nodes: int = 40) -> tuple[float, float]:
    """Components (along w, along e = (β − ωw)/√(1 − ω²)) of g = E[xσ'(⟨x,w⟩)σ*(⟨x,β⟩)],
    x ~ N(0, I), unit w, β with ⟨w, β⟩ = ω; only the two plane coordinates of x matter."""
    omega = check_in("omega", omega, -1, 1)
    x, wts = _gh(nodes)
    v, xe = x[:, None], x[None, :]
    u = omega * v + math.sqrt(1 - omega * omega) * xe
    core = act.deriv()(v) * link(u)
    W = wts[:, None] * wts[None, :]
    return float(np.sum(W * v * core)), float(np.sum(W * xe * core))


def population_gradient_norm(act: HermiteE, link: HermiteE, omega: float, *, nodes: int = 40) -> float:
    gw, ge = population_gradient_isotropic(act, link, omega, nodes=nodes)
    return math.hypot(gw, ge)


def population_gradient_norm_sq_many(act: HermiteE, link: HermiteE, omegas, *, nodes: int = 12) -> np.ndarray:
    """‖g(ω)‖² for an array of overlaps at once (the plane quadrature of
    :func:`population_gradient_isotropic`, vectorized over ω)."""
    om = np.asarray(omegas, dtype=float)
    if om.ndim != 1 or np.any(np.abs(om) > 1):
        raise ValueError("omegas must be a 1-d array with entries in [-1, 1]")
    x, wts = _gh(nodes)
    v, xe = x[None, :, None], x[None, None, :]
    o = om[:, None, None]
    u = o * v + np.sqrt(1 - o * o) * xe
    core = act.deriv()(v) * link(u)
    W = (wts[:, None] * wts[None, :])[None]
    gw = np.sum(W * v * core, axis=(1, 2))
    ge = np.sum(W * xe * core, axis=(1, 2))
    return gw * gw + ge * ge


def random_overlaps(d: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """⟨w, β⟩ for w uniform on S^{d−1}: g1/√(g1² + χ²_{d−1})."""
    check_positive_int("d", d)
    g1 = rng.standard_normal(size)
    return g1 / np.sqrt(g1 * g1 + rng.chisquare(d - 1, size))


def sphere_overlap_average(fn, d: int, *, nodes: int = 16) -> float:
    """E[fn(ω)] for ω = ⟨w, β⟩, w uniform on S^{d−1}, by Gauss–Jacobi quadrature against the law
    of ω, density ∝ (1 − ω²)^{(d−3)/2} on (−1, 1) (the marginal of one coordinate of a uniform point
    on the sphere). Exact for polynomial ``fn`` of degree < 2·nodes; no sampling."""
    from scipy.special import roots_jacobi

    check_positive_int("d", d)
    if d < 3:
        raise ValueError(f"d must be >= 3, got {d}")
    check_positive_int("nodes", nodes)
    alpha = (d - 3) / 2
    x, wts = roots_jacobi(nodes, alpha, alpha)
    vals = np.array([fn(float(xi)) for xi in x])
    return float(np.sum(wts * vals) / np.sum(wts))


def empirical_gradient(X: np.ndarray, w: np.ndarray, y: np.ndarray, act: HermiteE) -> np.ndarray:
    """ĝ = (1/n)Σ xᵢσ'(⟨xᵢ, w⟩)yᵢ."""
    return X.T @ (act.deriv()(X @ w) * y) / len(y)


def concentration_error(d: int, n: int, act: HermiteE, link: HermiteE, repeats: int,
                        rng: np.random.Generator) -> tuple[float, float]:
    """Root-mean-square ‖ĝ − g‖ over ``repeats`` draws of n isotropic samples (w, β fixed, ⟨w,β⟩ = 0
    so that g has a closed plane form), and the standard error of the mean square."""
    check_positive_int("d", d)
    check_positive_int("n", n)
    check_positive_int("repeats", repeats)
    if d < 2:
        raise ValueError(f"d must be >= 2, got {d}")
    w, beta = np.zeros(d), np.zeros(d)
    w[0], beta[1] = 1.0, 1.0
    gw, ge = population_gradient_isotropic(act, link, 0.0)
    g = gw * w + ge * beta
    sq = np.empty(repeats)
    for r in range(repeats):
        X = rng.standard_normal((n, d))
        sq[r] = np.sum((empirical_gradient(X, w, link(X @ beta), act) - g) ** 2)
    return float(math.sqrt(sq.mean())), float(sq.std(ddof=1) / math.sqrt(repeats))


def spiked_samples(n: int, mu: np.ndarray, theta: float, rng: np.random.Generator) -> np.ndarray:
    """n rows x = z + (√(1+θ) − 1)⟨z, μ⟩μ ~ N(0, I + θμμᵀ)."""
    return spiked_inputs(1.0, theta, mu, rng.standard_normal((n, len(mu))))


def first_step_cosines(d: int, theta: float, a: float, n: int, batches: int, act: HermiteE,
                       link: HermiteE, rng: np.random.Generator):
    """First gradient step under Σ = I + θμμᵀ with w ⊥ {μ, β} (so Σw = w): the part of ĝ
    orthogonal to w, and its cosines with β and with Σβ, per batch of n samples.
    Returns arrays (cos_beta, cos_sigma_beta) of length ``batches``."""
    check_positive_int("d", d)
    if d < 3:
        raise ValueError(f"d must be >= 3, got {d}")
    check_in("theta", theta, 0, math.inf)
    check_in("a", a, -1, 1)
    mu = np.zeros(d); mu[0] = 1.0
    beta = np.zeros(d); beta[0], beta[1] = a, math.sqrt(1 - a * a)
    w = np.zeros(d); w[2] = 1.0
    sigma_beta = beta + theta * a * mu
    scale = math.sqrt(beta @ sigma_beta)
    cb, cs = np.empty(batches), np.empty(batches)
    for b in range(batches):
        X = spiked_samples(n, mu, theta, rng)
        g = empirical_gradient(X, w, link(X @ beta / scale), act)
        g = g - (g @ w) * w
        cb[b] = g @ beta / np.linalg.norm(g)
        cs[b] = g @ sigma_beta / (np.linalg.norm(g) * np.linalg.norm(sigma_beta))
    return cb, cs


def aligned_gradient_snr(d: int, theta: float, omega: float, n: int, act: HermiteE, link: HermiteE,
                         *, nodes: int = 40) -> float:
    """Perfectly aligned spike (β = μ, 002 slide 'Neural Network Learnability (sketch)'): ratio of the
    β-component of the population gradient g = E[xσ'(⟨x,w⟩)f*(x)] to the rms error √E‖ĝ − g‖² of
    its n-sample estimate, for x ~ N(0, I + θββᵀ), f*(x) = σ*(⟨x,β⟩/√(1+θ)), unit w, ⟨w, β⟩ = ω.
    In the orthonormal basis (β, e2 ⊥ β in span{w, β}) x1 = √(1+θ)z1, x2 = z2, the other d − 2
    coordinates are standard; E‖xh‖² = E[(x1² + x2²)h²] + (d − 2)E[h²], h = σ'(⟨x,w⟩)f*(x)."""
    check_positive_int("d", d)
    if d < 3:
        raise ValueError(f"d must be >= 3, got {d}")
    check_in("theta", theta, 0, math.inf)
    omega = check_in("omega", omega, -1, 1)
    check_positive_int("n", n)
    x, wts = _gh(nodes)
    z1, z2 = x[:, None], x[None, :]
    W = wts[:, None] * wts[None, :]
    x1 = math.sqrt(1 + theta) * z1
    v = omega * x1 + math.sqrt(1 - omega * omega) * z2
    h = act.deriv()(v) * link(z1)
    g1, g2 = float(np.sum(W * x1 * h)), float(np.sum(W * z2 * h))
    second = float(np.sum(W * (x1 * x1 + z2 * z2) * h * h)) + (d - 2) * float(np.sum(W * h * h))
    return abs(g1) / math.sqrt(max(second - g1 * g1 - g2 * g2, 0.0) / n)


# -- high-precision Gaussian pair expectations (mpmath) for the Hermite-series checks ------------
def _gh_mp(nodes: int):
    """Probabilists' Gauss–Hermite nodes and weights (weight φ) at the current mpmath precision."""
    x, w = mpmath.mp.gauss_quadrature(nodes, "hermite")  # weight e^{−x²}
    r2, rpi = mpmath.sqrt(2), mpmath.sqrt(mpmath.pi)
    return [r2 * xi for xi in x], [wi / rpi for wi in w]


def gaussian_pair_expectation_mp(f, g, omega, *, nodes: int = 24, prec: int = 30):
    """E[f(v)g(u)] for standard Gaussians u, v with correlation ω and polynomial f, g (mpmath
    callables) by tensor Gauss–Hermite at ``prec`` digits: exact for degrees < 2·nodes, so the
    error is the working precision. No Hermite-coefficient algebra is used. ω ∈ (−1, 1)."""
    check_in("omega", omega, -1, 1, lo_open=True, hi_open=True)
    check_positive_int("nodes", nodes)
    with mpmath.workdps(prec + 10):
        w = mpmath.mpf(omega)
        s = mpmath.sqrt(1 - w * w)
        x, wt = _gh_mp(nodes)
        out = mpmath.fsum(wi * wj * f(w * xi + s * xj) * g(xi)
                          for xi, wi in zip(x, wt) for xj, wj in zip(x, wt))
    return out  # an mpf at the working precision (unary + here would round it to the default 15 digits)


def relu_pair_expectation_mp(g, omega, *, derivative: bool = False, prec: int = 30):
    """E[relu(v)g(u)] (or E[relu'(v)g(u)] = E[1{v>0}g(u)] with ``derivative``) for standard u, v
    with correlation ω: the z-integral of v = ωu + √(1−ω²)z in closed form (aΦ(a/s) + sφ(a/s), or
    Φ(a/s), a = ωu), then mpmath.quad over u at ``prec`` digits. ω ∈ (−1, 1)."""
    check_in("omega", omega, -1, 1, lo_open=True, hi_open=True)
    with mpmath.workdps(prec + 10):
        w = mpmath.mpf(omega)
        s = mpmath.sqrt(1 - w * w)
        if derivative:
            inner = lambda u: mpmath.ncdf(w * u / s)
        else:
            inner = lambda u: w * u * mpmath.ncdf(w * u / s) + s * mpmath.npdf(w * u / s)
        out = mpmath.quad(lambda u: g(u) * mpmath.npdf(u) * inner(u), [-mpmath.inf, -5, 0, 5, mpmath.inf])
    return out


def spiked_beta_coefficient_mp(dact, dlink, theta, omega, bias, *, prec: int = 30):
    """Coefficient of β* in the Σβ*-term of E[xσ'(⟨x,w⟩ + b)σ*(⟨x,β*⟩/‖Σ^{1/2}β*‖)], x ~ N(0, Σ),
    Σ = I + θβ*β*ᵀ (002 slide 'Neural Network Learnability (sketch)'): ⟨β*, Σβ*⟩/‖Σ^{1/2}β*‖ times
    E[σ*'(u)σ'(v + b)], u = ⟨x,β*⟩/‖Σ^{1/2}β*‖, v = ⟨x,w⟩, from the explicit 2×2 covariance of
    (⟨x,β*⟩, ⟨x,w⟩). w lies in the plane of β* and a unit e ⊥ β* with ⟨w,β*⟩ = ω and ⟨w,Σw⟩ = 1,
    which needs (1+θ)ω² < 1. ``dact``, ``dlink``: σ' and σ*' as polynomial mpmath-callables."""
    check_in("theta", theta, 0, math.inf)
    check_in("omega", omega, -1, 1, lo_open=True, hi_open=True)
    with mpmath.workdps(prec + 10):
        th, w1 = mpmath.mpf(theta), mpmath.mpf(omega)
        if (1 + th) * w1 * w1 >= 1:
            raise ValueError(f"omega = {omega} needs (1 + theta)·omega² < 1 for a w with ⟨w, Σw⟩ = 1")
        sig = mpmath.matrix([[1 + th, 0], [0, 1]])  # Σ in the basis (β*, e)
        beta, wv = mpmath.matrix([1, 0]), mpmath.matrix([w1, mpmath.sqrt(1 - (1 + th) * w1 * w1)])
        var_b, cov_bw, var_w = ((p.T * sig * q)[0] for p, q in ((beta, beta), (beta, wv), (wv, wv)))
        sb, sw = mpmath.sqrt(var_b), mpmath.sqrt(var_w)
        pair = gaussian_pair_expectation_mp(lambda v: dact(sw * v + bias), dlink, cov_bw / (sb * sw),
                                            prec=prec + 5)
        return var_b / sb * pair
