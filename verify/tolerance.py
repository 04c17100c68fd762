"""Tolerance constructors: each kind of allowance the audit uses, with its ``why_tol`` text written
once. A :class:`Tol` unpacks into :func:`verify.agreement.agree`::

    agree(claim, params, theory=x, numeric=y, **monte_carlo(se, z=4, allowance=gap,
          allowance_why="the finite-d counterpart's gap").kwargs())

Rule: an allowance is a quantity the checked claim does not define and that was not fitted to the
discrepancy it covers; each constructor names where its numbers come from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .stats import SlopeFit


#: the audit's z values, each with its reason (the only z literals outside verify/stats.py)
#: per Monte-Carlo row of a family of ~50-100: two-sided 6e-5 per row, < 1 % family-wise (Bonferroni)
Z_ROW = 4.0
#: per seed-mean row of paper 003 (8-24 seeds, ~100 rows, t-like tails handled by inflated SEs):
#: two-sided 0.27 % per row
Z_SEED_MEAN = 3.0


@dataclass(frozen=True)
class Tol:
    rtol: float = 0.0
    atol: float = 0.0
    stderr: float | None = None
    z: float | None = None
    allowance: float = 0.0
    why_tol: str = ""

    def kwargs(self) -> dict:
        out = dict(rtol=self.rtol, atol=self.atol, allowance=self.allowance, why_tol=self.why_tol)
        if self.stderr is not None:
            out.update(stderr=self.stderr, z=self.z)
        return out

    @property
    def total(self) -> float:
        """The tolerance for a theory value of 0 (rtol not included)."""
        return self.atol + self.allowance + (self.z * self.stderr if self.stderr is not None else 0.0)


def _nonneg(name: str, value) -> float:
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return v


def _plus(allowance: float, why: str) -> str:
    return f" + {why}" if allowance and why else (" + allowance" if allowance else "")


def precision(digits: int, lost: int = 0, *, scale: float = 1.0, what: str = "") -> Tol:
    """Working precision: ``digits`` significant digits of which ``lost`` are spent (cancellation,
    quadrature), relative to ``scale`` (the size of the terms)."""
    if int(digits) != digits or digits < 1:
        raise ValueError(f"digits must be an integer >= 1, got {digits!r}")
    if int(lost) != lost or not 0 <= lost < digits:
        raise ValueError(f"lost must be an integer in [0, digits), got {lost!r}")
    scale = _nonneg("scale", scale)
    atol = 10.0 ** (-(int(digits) - int(lost))) * max(scale, 1.0)
    why = f"precision: {digits} digits{f', {lost} lost' if lost else ''}"
    return Tol(atol=atol, why_tol=why + (f" ({what})" if what else ""))


def monte_carlo(se: float, z: float, *, allowance: float = 0.0, allowance_why: str = "",
                draws: int | None = None) -> Tol:
    """z standard errors of a Monte-Carlo mean, plus an optional derived allowance."""
    se, z, allowance = _nonneg("se", se), _nonneg("z", z), _nonneg("allowance", allowance)
    if allowance and not allowance_why.strip():
        raise ValueError("allowance_why must say where the allowance comes from")
    n = f", {draws} draws" if draws else ""
    return Tol(stderr=se, z=z, allowance=allowance,
               why_tol=f"Monte-Carlo: z·SE with z = {z:g}{n}{_plus(allowance, allowance_why)}")


def fitted(fit: SlopeFit, *, level: float = 0.975, allowance: float = 0.0,
           allowance_why: str = "") -> Tol:
    """A fitted exponent: the t-interval half-width of the slope (scipy.stats.t.ppf at
    ``level``, ``fit.dof`` dof) plus an optional derived allowance (bias of a finite window)."""
    allowance = _nonneg("allowance", allowance)
    if allowance and not allowance_why.strip():
        raise ValueError("allowance_why must say where the allowance comes from")
    two_sided = 100 * (2 * level - 1)
    return Tol(atol=fit.half_width(level), allowance=allowance,
               why_tol=f"fitted slope: {two_sided:g} % t-interval ({fit.dof} dof, t = {fit.t(level):.3f})"
                       f"{_plus(allowance, allowance_why)}")


def integrator(rtol: float, *, scale: float = 1.0, steps_factor: float = 10.0, method: str = "") -> Tol:
    """An ODE integrator's error estimate: its relative tolerance times the solution's scale,
    times ``steps_factor`` for the accumulation of local errors over the run."""
    rtol, scale, steps_factor = (_nonneg("rtol", rtol), _nonneg("scale", scale),
                                 _nonneg("steps_factor", steps_factor))
    return Tol(atol=steps_factor * rtol * max(scale, 1e-300),
               why_tol=f"integrator: {steps_factor:g} × rtol {rtol:g}{f' ({method})' if method else ''}"
                       " for local errors accumulated over the run")
