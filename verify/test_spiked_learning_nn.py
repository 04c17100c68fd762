"""NN + one GD step in the aligned spiked model (002 slide 'Theorem ([BES+23] Sufficient Condition
for NN+GD)') and the KRR/NN comparison (slide 'Comparing KRR and NN'), by training.

Network (numerics.spiked_learning.nn_one_step_risk): f(x) = N^{-1/2} Σ a_i ReLU(⟨x, w_i⟩ + b_i),
b_i ~ N(0, 1), width N = ⌈d^{1/2}⌉ (ε = 1/2), n = 2d: one full-batch GD step on W with η = √N on
the first d samples (closed form), each neuron's pre-activation rescaled to unit empirical
variance, ridge on a (λ = 1e-3, fixed) on the other d samples. Learned fraction of the
non-linear part: 1 − R/‖P_{>1}f*‖² (f* = h_k has no linear part: 1 − R).

The threshold γ½(d) — where the learned fraction crosses 1/2 — is found per training set by
linear interpolation on a γ grid; mean and SE over training sets (numerics.sweep grids).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from numerics import sweep
from numerics.spiked_learning import krr_risk, nn_one_step_risk
from theory import CLAIMS
from verify.agreement import bound, measure
from verify.spiked_learning_common import PARTS, TARGET
from verify.stats import mean_se
from verify.tolerance import Z_ROW

NN = CLAIMS["single_index.nn_threshold_exponent"]
SRC = "002 slide 'Theorem ([BES+23] Sufficient Condition for NN+GD)'"


def _crossing(gammas, values, level):
    """First γ where ``values`` (decreasing risk) falls below ``level``, interpolated linearly."""
    for i in range(len(gammas) - 1):
        if values[i] >= level > values[i + 1]:
            t = (values[i] - level) / (values[i] - values[i + 1])
            return gammas[i] + t * (gammas[i + 1] - gammas[i])
    return math.nan


def thresholds(fn, base, gammas, reps, seed, level):
    pts = [{**base, "gamma2": g, "rep": r} for r in range(reps) for g in gammas]
    R = np.array([o["risk"] for o in sweep.run(fn, pts, seed=seed, cache=False, progress=False)])
    R = R.reshape(reps, len(gammas))
    cross = np.array([_crossing(gammas, row, level) for row in R])
    cross = cross[np.isfinite(cross)]
    if len(cross) < 2:
        return math.nan, math.nan, R.mean(axis=0)
    m, se = mean_se(cross)
    return float(m), float(se), R.mean(axis=0)


K2_GAMMAS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]


@pytest.mark.parametrize("d", [250, 1000, pytest.param(4000, marks=pytest.mark.paper_scale)])
def test_nn_threshold_k2(audit_seed, d):
    """f* = h2 (k = p = 2). Shown: γ½(d) beside 1 − 1/k = 1/2 (an asymptotic, sufficient
    condition: no finite-d tolerance is derivable for where the switch sits). Asserted (Bound):
    sufficiency — the switch has happened by γ = 1 − 1/k + 0.1 at the largest default d, i.e.
    γ½ ≤ 1 − 1/k + 0.1 up to 4 SE."""
    m, se, curve = thresholds(nn_one_step_risk, dict(d=d, coeffs={2: 1.0}), K2_GAMMAS, 3,
                              audit_seed + d, 0.5)
    params = {"k": 2, "d": d, "n": "2d", "N": math.ceil(d ** 0.5)}
    extra = {"gamma_half": [m, se], "risk_curve": dict(zip(K2_GAMMAS, curve.round(4).tolist())),
             "sketch": "gradient-concentration sketch (verify/test_single_index_gradients.py): "
                       "β-signal = noise at θ = d^{1−1/k}, i.e. γ = 1/2",
             "preactivation_count": "pre-activation β-share θ^{k+1}/d^{k−1} = 1 at γ = (k−1)/(k+1) = 1/3"}
    measure(NN.id, params, theory=NN.evaluate(k=2), numeric=m, stderr=se, seed=audit_seed, extra=extra,
            why="asymptotic sufficient condition θ = ω(d^{1−1/k}); the crossing drifts with d", source=SRC)
    if d >= 1000:
        bound(NN.id, params, value=m, limit=float(NN.evaluate(k=2)) + 0.1, sense="<=",
              atol=Z_ROW * se, seed=audit_seed, evidence="Monte-Carlo", extra=extra,
              why_tol="4 SE of γ½ over 3 training sets; +0.1 in γ = 'ω(·)': θ ≥ d^{0.1}·d^{1−1/k}",
              note="NN + one step has learned f* once θ ≫ d^{1−1/k}", source=SRC)


@pytest.mark.parametrize("d", [250, 1000, pytest.param(4000, marks=pytest.mark.paper_scale)])
def test_nn_threshold_k3_measured(audit_seed, d):
    """f* = h3 (k = p = 3): γ½(d) beside 1 − 1/3, measured only (the learned fraction is still
    creeping up at γ = 0.9 for d ≤ 1000: the transition width ~ 1/(k ln d) is as large as the
    distance to the predicted 2/3)."""
    gammas = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    m, se, curve = thresholds(nn_one_step_risk, dict(d=d, coeffs={3: 1.0}), gammas, 3, audit_seed + d, 0.5)
    measure(NN.id, {"k": 3, "d": d, "n": "2d"}, theory=NN.evaluate(k=3), numeric=m, stderr=se,
            seed=audit_seed, extra={"risk_curve": dict(zip(gammas, curve.round(4).tolist()))},
            why="k = 3 unresolved at d ≤ 4000: γ½ drifts with d by more than its SE", source=SRC)


GAP_SETS = 6


def test_nn_threshold_below_krr_k1_p3(audit_seed):
    """Slide 'Comparing KRR and NN' on σ* = (h1 + h2 + h3)/√3 (k = 1 < p = 3), d = 600, both
    students trained on n ≍ d (KRR n = d; NN n = 2d): the γ at which each one has learned half of
    the non-linear part, i.e. its risk falls below ‖P_{>1}f*‖²/2 = 1/3 (the level of the k = 2
    check) — γ_NN + 4 SE ≤ γ_KRR − 4 SE (Bound), 6 training sets each. The level sits on the steep
    part of both curves; an earlier level 1/6 sat at the one-step network's own plateau at d = 600
    (risk ≈ 0.10–0.13 for γ ≥ 0.5), where a crossing is ill-conditioned and the check failed for 6 of
    20 audit seeds. The predicted gap 1/k − 1/p = 2/3 is the asymptotic one; the measured gap is
    shown beside it."""
    gammas = [0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    level = sum(w for j, w in PARTS.items() if j > 1) / 2
    g_nn, se_nn, c_nn = thresholds(nn_one_step_risk, dict(d=600, coeffs=TARGET), gammas, GAP_SETS, audit_seed + 31, level)
    g_k, se_k, c_k = thresholds(krr_risk, dict(d=600, coeffs=TARGET, n_test=2000), gammas, GAP_SETS, audit_seed + 32, level)
    gap = CLAIMS["spiked_learning.nn_krr_gap"]
    extra = {"gamma_nn": [g_nn, se_nn], "gamma_krr": [g_k, se_k],
             "risk_nn": c_nn.round(4).tolist(), "risk_krr": c_k.round(4).tolist()}
    bound(gap.id, {"k": 1, "deg_p": 3, "d": 600}, value=g_nn + Z_ROW * se_nn, limit=g_k - Z_ROW * se_k,
          sense="<=", seed=audit_seed, evidence="Monte-Carlo", extra=extra,
          why_tol=f"each threshold shifted by {Z_ROW:g} SE ({GAP_SETS} training sets) against the other",
          note="NN threshold no larger than KRR's (k ≤ p)", source=gap.source)
    measure(gap.id, {"k": 1, "deg_p": 3, "d": 600}, theory=gap.evaluate(k=1, deg_p=3), numeric=g_k - g_nn,
            stderr=math.hypot(se_nn, se_k), seed=audit_seed, extra=extra,
            why="asymptotic gap; at d = 600 both transitions are smeared over ~1/ln d", source=gap.source)
