"""Shared settings of the paper 000 §4 checks (test_ridge_*.py): the grids, the Monte-Carlo z and
the finite-size allowances, the cached Monte-Carlo grid and implicit-bias runs, and the
implicit-bias risk bound. Simulations are in numerics.ridge and numerics.linear_network_training."""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
import sympy as sp

from numerics import linear_network_training as lnt
from numerics import ridge_sweeps, sweep
from theory import CLAIMS
from theory.symbols import A, gamma, rho, sigma2

from . import stats
from .tolerance import Z_ROW

PREC = 40
#: z for the 100-point Monte-Carlo grid: two-sided 6e-5 per point, ~0.6 % family-wise (Bonferroni)
Z_GRID = Z_ROW
#: where the finite-d counterpart (Eqs. 23-24 with the exact spectrum) stands in for its own d → ∞
#: limit: its remaining O(1/d) part is ~1e-12 relative, far below every standard error here
D_LIMIT = 10**12
WHY_MC = (f"Monte-Carlo: z·SE with z = {Z_GRID} (Bonferroni over 100 grid points) plus the "
          "finite-size allowance |R̂_d − R̂_∞| of the finite-d counterpart alone (Eqs. 23-24 at the "
          f"simulated d and at d = {D_LIMIT:.0e}); the checked asymptotic formula does not enter it")
WHY_MC_FINITE = (f"Monte-Carlo: z·SE with z = {Z_GRID} (Bonferroni over 100 grid points) plus the "
                 "next order of the finite-size expansion, gap²/R̂ with gap = R̂_d − R̂_∞ (finite-d form)")


def finite_size_allowances(finite, limit) -> tuple[float, float]:
    """(allowance of the asymptotic formula, allowance of the finite-d formula) from the finite-d
    counterpart only: its value at the simulated d and at d = D_LIMIT (its own d → ∞ limit). The
    first-order finite-size gap, and its square relative to the risk as the next order.

    The asymptotic claim itself must not enter: an allowance |R̂_d − R̂(claim)| grows with any error
    of the claim and absorbs it (a mutant 1 − 1/γ² of ridge.no_benefit_orthogonal passed that way)."""
    gap = abs(float(finite) - float(limit))
    return gap, gap * gap / abs(float(limit))


def r0_finite_pair(point, d):
    """R̂0 at finite d and at d = D_LIMIT (ridge.R0_hat_finite)."""
    c = CLAIMS["ridge.R0_hat_finite"]
    return c.evaluate(prec=30, **point, d=d), c.evaluate(prec=30, **point, d=D_LIMIT)

GAMMAS = (1.5, 2, 3, 5, 10)
RHOS = (0, 5, 20, 100)
ALIGNS = (0, 0.3, 0.5, 0.8, 1)
SPOTS = [{sigma2: sp.Rational(37, 10), rho: 20, A: sp.Rational(3, 10), gamma: 3},
         {sigma2: 1, rho: sp.Rational(1, 2), A: sp.Rational(9, 10), gamma: sp.Rational(3, 2)}]


def _seed(audit_seed: int, offset: int) -> int:
    return audit_seed + offset


def _n(d: int, g: float) -> int:
    return int(round(d / g))


# -- Monte-Carlo: min-norm risk over the grid -----------------------------------------------------
D_GRID, T_GRID = 500, 400


@lru_cache(maxsize=None)
def _grid_risks(seed: int):
    """{γ: min-norm risks (T_GRID, len(RHOS), len(ALIGNS))} at d = D_GRID, one numerics.sweep point
    per γ (its generator from the seed and the point)."""
    points = [{"gamma": g, "d": D_GRID, "trials": T_GRID, "rhos": list(RHOS), "aligns": list(ALIGNS)}
              for g in GAMMAS]
    return dict(zip(GAMMAS, sweep.run(ridge_sweeps.min_norm_grid_point, points, seed=seed,
                                      desc="ridge MC grid")))


GRID = list(itertools.product(GAMMAS, RHOS, ALIGNS))


def _risk_gap_tol(r_min: float, sigma2: float, r: float, gap: float) -> float:
    """|R(β̂₀ + g) − R(β̂₀)| = |2(β̂₀ − β)ᵀΣg + gᵀΣg| ≤ 2√(R(β̂₀)·λ_max)‖g‖ + λ_max‖g‖², λ_max = σ²(1 + ρ)
    (Cauchy-Schwarz in the Σ inner product): the risk allowance for an end point within ‖g‖ of β̂₀."""
    lam_max = sigma2 * (1 + r)
    return 2 * np.sqrt(r_min * lam_max) * gap + lam_max * gap**2


def _predicted_gap(s: float, gamma_: float, a_norm: float, d: int, resid: float) -> float:
    """A priori bound on ‖Wᵀa − β̂₀‖ from ridge.implicit_bias: the out-of-row-space part is
    s‖a‖χ_{d−n}/√d with RMS claim(s, γ)·‖a‖; 1 + 6/√(2(d − n)) RMS covers χ_{d−n}/√(d − n) at 6 of its
    standard deviations; plus the row-space part, at most ‖XᵀK⁻¹r‖ ≤ √(loss·n/λ_min(K)) = ``resid``."""
    n = d / gamma_
    rms = float(CLAIMS["ridge.implicit_bias"].evaluate(prec=20, s=s, gamma=gamma_))
    return rms * a_norm * (1 + 6 / np.sqrt(2 * (d - n))) + resid


WHY_IB = ("derived: Cauchy-Schwarz bound 2√(R·σ²(1+ρ))‖g‖ + σ²(1+ρ)‖g‖² with ‖g‖ the a-priori gap of "
          "ridge.implicit_bias (s√(1−1/γ)‖a‖ at 6 χ-SDs) plus the unconverged-loss term √(loss·n/λ_min(K))")


# -- implicit bias: the order of the gap in s ----------------------------------------------------------
IB_D, IB_G, IB_RHO, IB_A, IB_TRIALS = 120, 3, 20.0, 0.5, 24
IB_S = (1e-5, 1e-4, 1e-3)


@lru_cache(maxsize=None)
def _implicit_bias_runs(seed: int, s_values: tuple):
    """Networks at several s with common random numbers (the same designs and W₀/s, a₀/s for every
    s), trained to loss 1e-16 so the row-space residual is far below the smallest gap."""
    n = _n(IB_D, IB_G)
    return {s0: lnt.network_risks_full(1.0, IB_RHO, [IB_A], d=IB_D, m=IB_D, n=n, trials=IB_TRIALS, s=s0,
                                       rng=np.random.default_rng(seed), tol=1e-16)
            for s0 in s_values}


def _slope_t_interval(logs, values):
    """Per-trial least-squares slopes of ``values`` (trials × len(logs)) on ``logs``; their mean and
    the standard error, t quantile from scipy.stats.t.ppf (two-sided 99 %, trials − 1 dof)."""
    fit = stats.per_trial_slopes(logs, values)
    return fit.slope, fit.se, fit.t(0.995)
