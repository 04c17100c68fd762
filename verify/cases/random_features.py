"""Case table of paper 002's isotropic baselines and the BBP spike: the ReLU floor ‖P>1 f*‖² from its
Gaussian integrals, the BBP transition's continuity at θ = c^{1/4}, and the BGN 2012 outlier and
overlaps against Monte-Carlo of a planted rank-one Gaussian matrix (n = 200, m = 400, 8 draws), with a
wrong constant (c → 2c in the outlier) that must miss."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics import sweep
from numerics.random_features import gaussian_max_mean, max_overlap_mean_d3, planted_rank_one
from theory.symbols import ratio_c

from . import Derivation, MonteCarlo, Pointwise
from ..stats import mean_se
from ..tolerance import Tol, precision

C_SPOTS = ({ratio_c: sp.Rational(1, 2)}, {ratio_c: sp.Rational(1, 7)})
DRAWS = 8
#: finite-size allowance: the top singular value of a Gaussian n×m matrix fluctuates on the
#: Tracy–Widom scale m^{−2/3}, an outlier's on the Gaussian scale m^{−1/2}; its O(1/m) bias is below
#: 1/m = 0.0025 — the allowance for the location. Overlaps: O(1/√m) bias not claimed; z·SE only.
M, NSHORT = 400, 200


def _planted(key):
    def estimator(point, rng):
        seed = int(rng.integers(2**31))
        pts = [dict(n=NSHORT, m=M, theta=float(point["theta"]), draw=i) for i in range(DRAWS)]
        res = sweep.run(planted_rank_one, pts, seed=seed, cache=False, progress=False)
        return mean_se([r[key] for r in res])
    estimator.__qualname__ = f"planted({key!r})"
    return estimator


def _wrong_outlier(point, rng):
    mean, se = _planted("top")(point, rng)
    return mean, se


CASES = [
    Derivation("random_features.relu_linear_floor", spots=({},), note="E relu² − (E relu)² − (E z·relu)²"),
    Derivation("random_features.one_step_large_lr", spots=({},), note="the floor the large step must go below"),
    Derivation("random_features.one_step_degenerate_floor", spots=({},), note="‖P>1 He2/√2‖² = 1 (μ1* = 0)"),
    Derivation("random_features.bbp_threshold_edge", spots=C_SPOTS, note="outlier at θ = c^{1/4}"),
    Derivation("random_features.bbp_threshold_overlap", spots=C_SPOTS, note="overlap at θ = c^{1/4}"),
]
for th in ("1.5", "3"):
    pt = dict(theta=th, ratio_c="1/2")
    CASES += [
        MonteCarlo("random_features.bbp_outlier", pt, estimator=_planted("top"),
                   allowance=lambda p: (1.0 / M, "O(1/m) finite-size bias of the outlier, m = 400")),
        MonteCarlo("random_features.bbp_overlap_long", pt, estimator=_planted("ov")),
        MonteCarlo("random_features.bbp_overlap_short", pt, estimator=_planted("ou")),
    ]
# negative control: the outlier formula with c → 2c (a wrong constant) evaluated at c = 1/2 is the
# claim at c = 1; against the planted c = 1/2 matrix it must miss
CASES.append(MonteCarlo("random_features.bbp_outlier", dict(theta="1.5", ratio_c="1"), estimator=_planted("top"),
                        expect="disagree", label="wrong constant c→2c, theta=1.5, matrix c=1/2",
                        allowance=lambda p: (1.0 / M, "O(1/m) finite-size bias"),
                        note="negative control: BBP outlier with 2c in place of c"))

# -- the maximum overlap (slide 'Beyond "Narrow" NNs: the Mean-field Regime') -----------------------
#: exact mean in d = 3, where ⟨w, β*⟩ is uniform on [−1, 1] (Archimedes): E max = (m − 1)/(m + 1).
#: Small d is where the Beta law's parameters matter most; the claim's integral is evaluated by
#: 20-digit quadrature (theory.claims), so 12 digits are asserted.
CASES += [Pointwise("random_features.max_overlap_mean", dict(m=m, d=3), prec=20,
                    numeric=lambda m, d: max_overlap_mean_d3(m),
                    tol=lambda p: precision(20, 8, what="20-digit quadrature of the claim's integral"),
                    evidence="high-precision", note="d = 3: overlap uniform on [−1, 1] (Archimedes)")
          for m in (1, 2, 10, 100, 1000)]

#: leading order √(2 ln m/d) against the d → ∞ limit: √d·overlap → N(0, 1), so the numeric side is
#: E max of m standard Gaussians (40-digit quadrature) over √d. The allowance is the expansion's
#: next terms, from extreme-value theory and not from the claim: the Gumbel second-order term
#: (ln ln m + ln 4π − 2γ)/(2a), a = √(2 ln m), plus one unit (ln ln m)²/a³ of the order after it.
GAMMA_E = float(sp.EulerGamma)


def _next_orders(p) -> tuple:
    m, d = int(p["m"]), int(p["d"])
    a, ll = math.sqrt(2 * math.log(m)), math.log(math.log(m))
    second = (ll + math.log(4 * math.pi) - 2 * GAMMA_E) / (2 * a)
    return (second + ll**2 / a**3) / math.sqrt(d), second


def _lead_tol(p) -> Tol:
    allow, second = _next_orders(p)
    return Tol(atol=float(allow), why_tol=f"next orders of the Gaussian-max expansion: Gumbel second-order "
               f"term {second:.4f}/√d + one unit (ln ln m)²/a³ of the third (extreme-value theory)")


def _gauss_max(m, d):
    return float(gaussian_max_mean(int(m), prec=40)) / math.sqrt(int(d))


for m in (10**4, 10**8, 10**16, 10**32):
    CASES.append(Pointwise("random_features.max_overlap_leading", dict(m=m, d=400), prec=20,
                           numeric=_gauss_max, tol=_lead_tol, evidence="high-precision",
                           note="d → ∞ limit: E max of m Gaussians / √d"))
# negative control: ln m in place of 2 ln m is the claim at m' = √m; against E max at m it must miss
for m in (10**8, 10**32):
    CASES.append(Pointwise("random_features.max_overlap_leading", dict(m=int(round(m**0.5)), d=400), prec=20,
                           numeric=lambda m, d, _m=m: _gauss_max(_m, d), tol=lambda p, _m=m: _lead_tol(dict(m=_m, d=400)),
                           expect="disagree", evidence="high-precision", label=f"ln m for 2 ln m, m={m:g}",
                           note="negative control: the claim at √m (factor 2 of 2 ln m dropped)"))
_ = np
