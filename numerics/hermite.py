"""Gaussian expectations of link and activation functions, computed from definitions (papers
001/002): Hermite coefficients αᵢ = E[f(z)Heᵢ(z)]/i! by mpmath quadrature, Heᵢ by its three-term
recurrence, and expectations over correlated Gaussian pairs by Gauss–Hermite quadrature (exact for
polynomials) or, for ReLU, by integrating the kink out in closed form along one coordinate.
"""

from __future__ import annotations

import math
from typing import Callable

import mpmath
import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy.special import ndtr

from ._validate import check_in, check_positive_int


def he(i: int, x):
    """Probabilists' Hermite polynomial Heᵢ(x): He0 = 1, He1 = x, He_{j+1} = x He_j − j He_{j−1}.
    Works on floats, numpy arrays and mpmath numbers."""
    if isinstance(i, bool) or not isinstance(i, int) or i < 0:
        raise ValueError(f"i must be a nonnegative integer, got {i!r}")
    prev, cur = x * 0 + 1, x
    if i == 0:
        return prev
    for j in range(1, i):
        prev, cur = cur, x * cur - j * prev
    return cur


def h(i: int, x):
    """Normalized Hermite hᵢ = Heᵢ/√i! (unit variance under N(0, 1))."""
    return he(i, x) / math.sqrt(math.factorial(i))


def hermite_coefficient(f: Callable, i: int, *, prec: int = 30, kinks=(0,)):
    """αᵢ = E[f(z)Heᵢ(z)]/i!, z ~ N(0, 1), by mpmath.quad split at ``kinks`` (prec digits)."""
    check_positive_int("prec", prec)
    with mpmath.workdps(prec + 10):
        pts = [-mpmath.inf, *sorted(mpmath.mpf(c) for c in kinks), mpmath.inf]
        val = mpmath.quad(lambda x: f(x) * he(i, x) * mpmath.npdf(x), pts)
        return val / mpmath.factorial(i)


def information_exponent(f: Callable, *, max_degree: int = 12, prec: int = 30, kinks=(0,)) -> int:
    """Smallest i >= 1 with |αᵢ| above the quadrature noise (10^{−prec/2})."""
    for i in range(1, max_degree + 1):
        if abs(hermite_coefficient(f, i, prec=prec, kinks=kinks)) > mpmath.mpf(10) ** (-prec // 2):
            return i
    raise ValueError(f"no nonzero Hermite coefficient up to degree max_degree = {max_degree}")


def relu(x):
    return np.maximum(x, 0.0)


_NODES: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _gh(nodes: int):
    if nodes not in _NODES:
        x, w = hermegauss(nodes)
        _NODES[nodes] = (x, w / math.sqrt(2 * math.pi))
    return _NODES[nodes]


def pair_expectation(f: Callable, g: Callable, var_v: float, cov: float, *, nodes: int = 40) -> float:
    """E[f(v)g(u)] for (v, u) centred Gaussian, Var u = 1, Var v = var_v, Cov = cov; tensor
    Gauss–Hermite (exact for polynomials of degree < 2·nodes)."""
    var_v = check_in("var_v", var_v, 0, math.inf, lo_open=True)
    resid = var_v - cov * cov
    if resid < -1e-12 * var_v:
        raise ValueError(f"cov = {cov!r} exceeds sqrt(var_v) = {math.sqrt(var_v)!r}")
    x, w = _gh(nodes)
    u = x[:, None]
    v = cov * u + math.sqrt(max(resid, 0.0)) * x[None, :]
    return float(np.sum(w[:, None] * w[None, :] * f(v) * g(u)))


def relu_pair_expectation(g: Callable, var_v: float, cov: float, *, nodes: int = 80) -> float:
    """E[relu(v)g(u)] with v | u ~ N(cov·u, var_v − cov²): E[relu(a + sξ)] = aΦ(a/s) + sφ(a/s)
    is smooth in u, so one Gauss–Hermite sum over u converges fast."""
    var_v = check_in("var_v", var_v, 0, math.inf, lo_open=True)
    s = math.sqrt(max(var_v - cov * cov, 0.0))
    x, w = _gh(nodes)
    a = cov * x
    if s == 0.0:
        inner = relu(a)
    else:
        inner = a * ndtr(a / s) + s * np.exp(-0.5 * (a / s) ** 2) / math.sqrt(2 * math.pi)
    return float(np.sum(w * inner * g(x)))


def relu_pair_partials(g: Callable, var_v: float, cov: float, *, nodes: int = 80) -> tuple[float, float]:
    """(∂/∂var_v, ∂/∂cov) of E[relu(v)g(u)], differentiating the smoothed inner expectation
    I(a, s) = aΦ(a/s) + sφ(a/s) (∂I/∂a = Φ(a/s), ∂I/∂s = φ(a/s)) with a = cov·u,
    s = √(var_v − cov²): smooth in (var_v, cov), no finite differences."""
    var_v = check_in("var_v", var_v, 0, math.inf, lo_open=True)
    s2 = var_v - cov * cov
    if s2 <= 0:
        raise ValueError(f"cov = {cov!r} must satisfy cov² < var_v = {var_v!r}")
    s = math.sqrt(s2)
    x, w = _gh(nodes)
    r = cov * x / s
    pdf = np.exp(-0.5 * r * r) / math.sqrt(2 * math.pi)
    gx = g(x)
    d_var = float(np.sum(w * gx * pdf)) / (2 * s)
    d_cov = float(np.sum(w * gx * (x * ndtr(r) - (cov / s) * pdf)))
    return d_var, d_cov
