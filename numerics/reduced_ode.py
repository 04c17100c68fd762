"""Integration of the scalar equations of paper 000 §3.2 from generic coefficients.

The right-hand sides are re-implemented here from the paper's definitions, with the coefficients
(‖Σxy‖, λ1, λ2, ν) passed in as plain numbers, e.g. from :func:`numerics.spiked.appendix_a`:

  Eq. (36)       τ du/dt  = G u − λ1 u³
  Eqs. (18)-(19) τ dw1/dt = G r − λ1 w1 r² + ν w2 r²,   τ dw2/dt = ν w1 r² − λ2 w2 r²,  r² = w1² + w2²

Two integrators: mpmath's Taylor-series ``odefun`` at a requested number of digits (the reference)
and SciPy's DOP853 for long horizons and parameter grids, with event times located by dense output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from ._validate import check_in


@dataclass(frozen=True)
class Coefficients:
    """The four numbers the reduced dynamics depend on (paper 000 §3.2, Appendix A)."""

    G: float        # ‖Σxy‖
    lambda1: float
    lambda2: float
    nu: float

    def __post_init__(self):
        check_in("G", self.G, 0, math.inf, lo_open=True)
        check_in("lambda1", self.lambda1, 0, math.inf, lo_open=True)
        check_in("lambda2", self.lambda2, 0, math.inf, lo_open=True)
        check_in("nu", self.nu, 0, math.inf)


def _check_tau(tau):
    check_in("tau", tau, 0, math.inf, lo_open=True)


def bernoulli_rhs(u, c: Coefficients, tau):
    """Eq. (36): du/dt = (G u − λ1 u³)/τ."""
    return (c.G * u - c.lambda1 * u**3) / tau


def reduced_rhs(w1, w2, c: Coefficients, tau):
    """Eqs. (18)-(19): (dw1/dt, dw2/dt)."""
    r2 = w1 * w1 + w2 * w2
    r = mpmath.sqrt(r2) if isinstance(r2, mpmath.mpf) else np.sqrt(r2)
    return ((c.G * r - c.lambda1 * w1 * r2 + c.nu * w2 * r2) / tau,
            (c.nu * w1 * r2 - c.lambda2 * w2 * r2) / tau)


# -- high precision ----------------------------------------------------------------------------
def bernoulli_mp(u0, c: Coefficients, tau, times, *, dps: int = 40) -> list:
    """u(t) of Eq. (36) at ``times`` by mpmath's Taylor integrator at ``dps`` digits."""
    check_in("u0", u0, 0, math.inf, lo_open=True)
    _check_tau(tau)
    with mpmath.workdps(dps):
        cm = Coefficients(*(mpmath.mpf(v) for v in (c.G, c.lambda1, c.lambda2, c.nu)))
        tau_ = mpmath.mpf(tau)
        f = mpmath.odefun(lambda t, u: bernoulli_rhs(u, cm, tau_), 0, mpmath.mpf(u0))
        return [+f(mpmath.mpf(t)) for t in times]


def reduced_mp(w10, w20, c: Coefficients, tau, times, *, dps: int = 40) -> list[tuple]:
    """(w1, w2)(t) of Eqs. (18)-(19) at ``times`` by mpmath's Taylor integrator at ``dps`` digits."""
    _check_tau(tau)
    with mpmath.workdps(dps):
        cm = Coefficients(*(mpmath.mpf(v) for v in (c.G, c.lambda1, c.lambda2, c.nu)))
        tau_ = mpmath.mpf(tau)
        f = mpmath.odefun(lambda t, y: list(reduced_rhs(y[0], y[1], cm, tau_)), 0,
                          [mpmath.mpf(w10), mpmath.mpf(w20)])
        return [tuple(+v for v in f(mpmath.mpf(t))) for t in times]


# -- SciPy, long horizons ----------------------------------------------------------------------
@dataclass
class ReducedPath:
    """A SciPy solution of Eqs. (18)-(19) with dense output, and the quantities read off it."""

    t: np.ndarray
    w1: np.ndarray
    w2: np.ndarray
    sol: object
    coefficients: Coefficients
    tau: float

    def at(self, times) -> tuple[np.ndarray, np.ndarray]:
        y = self.sol(np.asarray(times, dtype=float))
        return y[0], y[1]

    @property
    def limit(self) -> tuple[float, float]:
        """(w1, w2) at the end of the horizon: the fixed point once the path has converged."""
        return float(self.w1[-1]), float(self.w2[-1])

    def time_w1_peak(self) -> float:
        """Time of the maximum of w1 (refined on the dense output)."""
        i = int(np.argmax(self.w1))
        lo, hi = self.t[max(i - 1, 0)], self.t[min(i + 1, len(self.t) - 1)]
        fine = np.linspace(lo, hi, 2001)
        return float(fine[np.argmax(self.sol(fine)[0])])

    def first_crossing(self, component: int, level: float, after: float = 0.0) -> float:
        """First time ≥ ``after`` where w_component (1 or 2) reaches ``level`` from below;
        ``nan`` if it never does within the horizon."""
        y = (self.w1, self.w2)[component - 1]
        idx = np.nonzero((y[1:] >= level) & (y[:-1] < level) & (self.t[1:] >= after))[0]
        if len(idx) == 0:
            return math.nan
        i = int(idx[0])
        lo, hi = max(self.t[i], after), self.t[i + 1]
        g = lambda tt: self.sol(tt)[component - 1] - level  # noqa: E731
        if g(lo) >= 0:
            return float(lo)
        return float(brentq(g, lo, hi, xtol=1e-13 * max(1.0, hi), rtol=1e-14))


def reduced_scipy(w10, w20, c: Coefficients, tau, t_end, *, rtol: float = 1e-11,
                  atol: float | None = None, n_out: int = 4001) -> ReducedPath:
    """Integrate Eqs. (18)-(19) on [0, t_end] with DOP853 and dense output.

    atol defaults to 1e-12 of the initial scale so that O(s) initial values are resolved."""
    _check_tau(tau)
    check_in("t_end", t_end, 0, math.inf, lo_open=True)
    scale = max(abs(float(w10)), abs(float(w20)), 1e-300)
    atol = 1e-12 * min(scale, 1.0) if atol is None else atol

    def rhs(_t, y):
        return reduced_rhs(y[0], y[1], c, tau)

    sol = solve_ivp(rhs, (0.0, float(t_end)), [float(w10), float(w20)], method="DOP853",
                    rtol=rtol, atol=atol, dense_output=True)
    if not sol.success:
        raise RuntimeError(f"reduced ODE integration failed: {sol.message}")
    t = np.linspace(0.0, float(t_end), n_out)
    y = sol.sol(t)
    return ReducedPath(t=t, w1=y[0], w2=y[1], sol=sol.sol, coefficients=c, tau=float(tau))


def fixed_point(c: Coefficients, *, guess=(0.9, 0.3)) -> tuple[float, float]:
    """Root of Eqs. (18)-(19) with w1 > 0 by Newton's method in mpmath (no closed form used)."""
    with mpmath.workdps(30):
        cm = Coefficients(*(mpmath.mpf(v) for v in (c.G, c.lambda1, c.lambda2, c.nu)))
        f = lambda a, b: reduced_rhs(a, b, cm, 1)  # noqa: E731
        root = mpmath.findroot(f, (mpmath.mpf(guess[0]), mpmath.mpf(guess[1])))
        return float(root[0]), float(root[1])
