"""Measurement of the later phase on the reduced dynamics (Eqs. 18-19), shared by the Eq. (20) checks and the
figure of the bound grid. Numerics only: the coefficients come from the explicit construction
(numerics.spiked.appendix_a), the fixed point from Newton's method on Eqs. (18)-(19).

t1, the start of the later phase, is not defined in the paper ("w2(t1) ≈ 0"). Three definitions:
  early    t1 = τ/(2G)·log(G/(λ1 s²)), the early timescale the paper marks in Figs. 2-3
  w2_1pct  t1 = first time w2 reaches 1% of w2* (w2(t1) ≈ 0 taken literally)
  w1_star  t1 = first time w1 reaches w1* (the earliest t1 at which Eq. (39)'s assumption w1 ≥ w1*
           can hold; undefined when w1 approaches w1* from below)
t2 = first time w2 reaches (1 − e^{−δ}) w2*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from numerics.reduced_ode import Coefficients, fixed_point, reduced_scipy
from numerics.spiked import appendix_a

#: the Eq. (20) grid: 8 ρ × 8 A × δ ∈ {1, 2, 3} (σ² = 1, τ = 1)
GRID_RHO = ("0.5", "1", "2", "5", "10", "20", "50", "100")
GRID_ALIGN = ("0.05", "0.1", "0.2", "0.3", "0.5", "0.7", "0.9", "0.95")
DELTAS = (1, 2, 3)
T1_DEFINITIONS = ("early", "w2_1pct", "w1_star")
#: initial scale of the reduced path: w1(0) = s, w2(0) = 0 (the s → 0 limit of the bound)
S_LATER = 1e-6
#: slack of the assumption checks: the SciPy path (rtol 1e-11) reproduces the fixed point to ~1e-10
ASSUMPTION_SLACK = 1e-8


@lru_cache(maxsize=None)
def coefficients(sigma2: str, rho: str, A: str) -> Coefficients:
    built = appendix_a(sigma2, rho, A, d=4, seed=0, prec=30)
    return Coefficients(float(built.sigma_xy_norm), float(built.lambda1), float(built.lambda2),
                        float(built.nu))


@dataclass(frozen=True)
class LaterPhase:
    rho: str
    A: str
    w1_star: float
    w2_star: float
    u_sat: float                      # √(G/λ1): where the early phase saturates
    t1: dict                          # definition -> t1 (nan if undefined)
    t2: dict                          # δ -> t2
    w1_gap: dict                      # definition -> min_{t ≥ t1} (w1 − w1*)   (≥ 0 required)
    w2_gap: dict                      # definition -> max_{t ≥ t1} (w2 − w2*)   (≤ 0 required)
    w2_at_t1: dict                    # definition -> w2(t1)/w2* (the paper takes it ≈ 0)

    def w2_fraction_at(self, definition: str) -> float:
        return self.w2_at_t1[definition]

    def assumption_holds(self, definition: str) -> bool:
        if math.isnan(self.t1[definition]):
            return False
        return (self.w1_gap[definition] >= -ASSUMPTION_SLACK
                and self.w2_gap[definition] <= ASSUMPTION_SLACK)


@lru_cache(maxsize=None)
def later_phase(rho: str, A: str, sigma2: str = "1", tau: float = 1.0) -> LaterPhase:
    c = coefficients(sigma2, rho, A)
    ratio = c.nu / c.lambda2
    w1s, w2s = fixed_point(c, guess=(1 / math.sqrt(1 + ratio**2), ratio / math.sqrt(1 + ratio**2)))
    t_early = tau / (2 * c.G) * math.log(c.G / (c.lambda1 * S_LATER**2))
    horizon = t_early + tau * (40 / c.lambda2 + 20)
    path = reduced_scipy(S_LATER, 0.0, c, tau, horizon, n_out=20001)
    t1 = {"early": t_early, "w2_1pct": path.first_crossing(2, 0.01 * w2s),
          "w1_star": path.first_crossing(1, w1s)}
    t2 = {dl: path.first_crossing(2, (1 - math.exp(-dl)) * w2s) for dl in DELTAS}
    w1_gap, w2_gap, w2_at = {}, {}, {}
    for name, start in t1.items():
        if math.isnan(start):
            w1_gap[name] = w2_gap[name] = w2_at[name] = math.nan
            continue
        w2_at[name] = float(path.at([start])[1][0] / w2s)
        after = path.t >= start
        w1_gap[name] = float(np.min(path.w1[after]) - w1s)
        w2_gap[name] = float(np.max(path.w2[after]) - w2s)
    return LaterPhase(rho=rho, A=A, w1_star=w1s, w2_star=w2s, u_sat=math.sqrt(c.G / c.lambda1),
                      t1=t1, t2=t2, w1_gap=w1_gap, w2_gap=w2_gap, w2_at_t1=w2_at)


def later_phase_point(point: dict, rng: np.random.Generator) -> LaterPhase:
    """One cell of the Eq. (20) grid in the form :func:`numerics.sweep.run` takes; keys rho, A
    (strings, as in GRID_RHO / GRID_ALIGN). Deterministic: ``rng`` is not used."""
    return later_phase(point["rho"], point["A"])


@lru_cache(maxsize=None)
def later_phase_grid(seed: int = 0, workers: int | None = None) -> dict:
    """{(ρ, A): LaterPhase} over GRID_RHO × GRID_ALIGN through :func:`numerics.sweep.run` (parallel
    / cluster / cached in .cache like every sweep); computed once per process. The cells are
    deterministic, so the seed only names the cache entry (0 everywhere)."""
    from numerics import sweep

    cells = [(r, a) for r in GRID_RHO for a in GRID_ALIGN]
    res = sweep.run(later_phase_point, [{"rho": r, "A": a} for r, a in cells], seed=seed,
                    workers=workers, desc="Eq. (20) grid")
    return dict(zip(cells, res))
