"""Case table of paper 002's isotropic baselines and the BBP spike: the ReLU floor ‖P>1 f*‖² from its
Gaussian integrals, the BBP transition's continuity at θ = c^{1/4}, and the BGN 2012 outlier and
overlaps against Monte-Carlo of a planted rank-one Gaussian matrix (n = 200, m = 400, 8 draws), with a
wrong constant (c → 2c in the outlier) that must miss."""

from __future__ import annotations

import numpy as np
import sympy as sp

from numerics import sweep
from numerics.random_features import planted_rank_one
from theory.symbols import ratio_c

from . import Derivation, MonteCarlo
from ..stats import mean_se

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
_ = np
