"""Paper 002 slide 'Sample & Runtime Complexity': the empirical sample-complexity exponent of the
algorithm the theorem analyzes — Algorithm 1 (slide 'Algorithm: Normalized Gradient Flow';
001 §3-4): empirical gradient flow on the first layer, discretized, with step η(w) = ⟨w, Σ̂w⟩ and
Σ̂⁻¹ preconditioning, then ridge on the second layer (numerics.single_index_algorithm1) — with
one-pass SGD (same update, one fresh sample per step) recorded beside it.

n*(d, trial) = smallest n on the geometric grid d·2^{j/4} (j >= 1, n > d so that Σ̂ is invertible)
whose seeded run reaches whitened overlap |m| >= 0.9, found by bisection over the grid index
(seed [audit_seed, d, n, trial]). ln n* is regressed on ln d over all (d, trial) points; the 95%
interval is slope ± t(0.975, N − 2)·SE (scipy.stats.t.ppf) plus the worst-case slope bias of rounding
n* up to the grid (ln 2^{1/4}·Σ|x − x̄|/(2Sxx), a bound from the grid, not fitted).

The theorem is an upper bound (n ≳ d·d^{(k−1)e} suffices, theory single_index.sample_complexity_exponent),
so for k = 2 the rows are a ``bound`` (slope <= 1 + e within the interval) and a ``measure`` row
with the fitted slope, and a resolved miss where the interval excludes the exponent. A bound row is
only written when the interval resolves slopes 1.5 and 2.0 from 1.0 (the power calculation below);
a wide interval is a failure of the check, never a pass.

Power calculation (pilot at seed 20251123, k = 2, regime 1, d ∈ {16, 32, 64, 128, 256}, 6 trials):
per-d spread of ln n* 0.14-0.45, pooled residual SD s ≈ 0.35 (0.45 taken as the pessimistic
case). With R trials at P dimensions d = 16·2^i: SE = s/√(R·Σ(xᵢ − x̄)²), and a slope difference Δ
is resolved at 95% (two-sided) with 80% power when Δ >= (t(0.975, N−2) + t(0.8, N−2))·SE + grid
bias (:func:`power_plan`). Detectable Δ for s = 0.35 / 0.45:
    d ∈ [16, 64],   R = 6: 0.56 / 0.68   (not enough for 1.5 vs 1.0)
    d ∈ [16, 128],  R = 6: 0.37 / 0.45   (marginal)
    d ∈ [16, 256],  R = 6: 0.26 / 0.32   ← default, ~6.5 s per regime on one core
    d ∈ [16, 512],  R = 8: 0.19 / 0.22   ← paper scale, ~2 min per regime
so slopes 2.0 (Δ = 1) and 1.5 (Δ = 0.5) are distinguishable from 1.0 in the default run. The test
recomputes Δ from its own residuals and refuses to write a bound row when Δ > 0.5.

Measured at the default seed: see the module's rows (``--tolerance-report``) and the final report.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from numerics.sample_complexity import GRID_RATIO, LEVEL, gf_overlap, measure_n_stars
from theory import CLAIMS

from . import stats as vstats
from .agreement import agree, bound, measure

CLAIM = "single_index.sample_complexity_exponent"
MAX_REL_HALF_WIDTH = 0.3      # as verify.agreement.MAX_REL_TOL: an interval wider than this resolves nothing


def fit(n_stars: dict) -> dict:
    x = np.concatenate([[math.log(d)] * len(v) for d, v in n_stars.items()])
    y = np.concatenate([np.log(v) for v in n_stars.values()])
    N = len(x)
    sxx = float(((x - x.mean()) ** 2).sum())
    slope = float(((x - x.mean()) * (y - y.mean())).sum() / sxx)
    resid = y - y.mean() - slope * (x - x.mean())
    s = math.sqrt(float(resid @ resid) / (N - 2))
    se = s / math.sqrt(sxx)
    tq = vstats.t_quantile(0.975, N - 2)
    grid_bias = math.log(GRID_RATIO) * float(np.abs(x - x.mean()).sum()) / (2 * sxx)
    half = tq * se + grid_bias
    detectable = (tq + vstats.t_quantile(0.8, N - 2)) * se + grid_bias
    return dict(slope=slope, se=se, t=tq, grid_bias=grid_bias, half=half, ci=[slope - half, slope + half],
                resid_sd=s, N=N, detectable_delta=detectable,
                per_d_sd={d: float(np.std(np.log(v), ddof=1)) for d, v in n_stars.items()},
                n_star={d: v for d, v in n_stars.items()})


def power_plan(resid_sd: float, dims, trials: int) -> float:
    """Smallest slope difference resolved at 95% (two-sided) with 80% power, grid bias included."""
    x = np.repeat(np.log(np.asarray(dims, float)), trials)
    sxx = float(((x - x.mean()) ** 2).sum())
    grid_bias = math.log(GRID_RATIO) * float(np.abs(x - x.mean()).sum()) / (2 * sxx)
    return ((vstats.t_quantile(0.975, len(x) - 2) + vstats.t_quantile(0.8, len(x) - 2))
            * resid_sd / math.sqrt(sxx) + grid_bias)


def _params(k, g1, g2, dims, trials, method):
    return {"k": k, "gamma1": g1, "gamma2": g2, "d": f"{dims[0]}..{dims[-1]}", "trials": trials,
            "level": LEVEL, "algorithm": {"gf": "Algorithm 1 (empirical GF, Σ̂⁻¹, η = ⟨w,Σ̂w⟩)",
                                          "sgd": "one-pass SGD (same update)"}[method]}


WHY = ("fitted slope ± t(0.975, N−2)·SE (scipy.stats.t.ppf; SE from the residuals of ln n* over all "
       "(d, trial) points) + worst-case slope bias of rounding n* up to the grid ratio 2^{1/4}")


def record_k1(g1, g2, dims, trials, seed, *, preconditioner="inverse empirical", predicted=None):
    claim = CLAIMS[CLAIM]
    predicted = float(claim.evaluate(k=1, gamma1=str(g1), gamma2=str(g2))) if predicted is None else predicted
    f = fit(measure_n_stars(1, g1, g2, dims, trials, seed, preconditioner=preconditioner))
    return agree(CLAIM, _params(1, g1, g2, dims, trials, "gf"), theory=predicted, numeric=f["slope"],
                 atol=f["t"] * f["se"], allowance=f["grid_bias"], seed=seed, why_tol=WHY, evidence="fitted rate",
                 extra=f, note=f"slope {f['slope']:.3f} [{f['ci'][0]:.3f}, {f['ci'][1]:.3f}] vs {predicted:g}")


def record_k2(g1, g2, dims, trials, seed, *, preconditioner="inverse empirical", predicted=None):
    claim = CLAIMS[CLAIM]
    predicted = float(claim.evaluate(k=2, gamma1=str(g1), gamma2=str(g2))) if predicted is None else predicted
    f = fit(measure_n_stars(2, g1, g2, dims, trials, seed, preconditioner=preconditioner))
    f["power"] = {"detectable_delta_95_80": f["detectable_delta"],
                  "resolves 1.5 vs 1.0": f["detectable_delta"] <= 0.5,
                  "resolves 2.0 vs 1.0": f["detectable_delta"] <= 1.0}
    params = _params(2, g1, g2, dims, trials, "gf")
    lo, hi = f["ci"]
    # a wide interval resolves nothing: refuse to write a bound row from it
    assert f["half"] <= MAX_REL_HALF_WIDTH * predicted and f["detectable_delta"] <= 0.5, (
        f"interval ±{f['half']:.3f} (detectable Δ {f['detectable_delta']:.3f}) too wide to resolve "
        f"slopes 1.5/2.0 from 1.0 at d = {dims}, {trials} trials")
    rows = [bound(CLAIM, params, value=f["slope"], limit=predicted, sense="<=", atol=f["half"], seed=seed,
                  why_tol="an upper bound (the theorem says this many samples suffice): " + WHY,
                  evidence="fitted rate", extra=f,
                  note=(f"bound holds, not tight at d <= {dims[-1]}: slope {f['slope']:.3f} [{lo:.3f}, {hi:.3f}]"
                        f" vs 1 + (k−1)e = {predicted:g}") if hi < predicted else
                  (f"bound holds at d <= {dims[-1]}; tightness not resolved (interval reaches the exponent): "
                   f"slope {f['slope']:.3f} [{lo:.3f}, {hi:.3f}] vs 1 + (k−1)e = {predicted:g}"))]
    rows.append(measure(CLAIM, params, theory=predicted, numeric=f["slope"], seed=seed, stderr=f["se"], extra=f,
                        why="the theorem is an upper bound: the fitted exponent of the analyzed algorithm is "
                        "recorded beside it, without a verdict on tightness",
                        note=f"fitted slope {f['slope']:.3f}, 95% interval [{lo:.3f}, {hi:.3f}] (t = {f['t']:.3f}, "
                        f"N = {f['N']}); detectable Δ {f['detectable_delta']:.2f} at 95%/80% power"))
    if hi < predicted:
        rows.append(agree(CLAIM, {**params, "check": "rate attained?"}, theory=predicted, numeric=f["slope"],
                          atol=f["t"] * f["se"], allowance=f["grid_bias"], seed=seed, why_tol=WHY,
                          expect="disagree", evidence="fitted rate", extra=f,
                          note="resolved: the upper bound is not attained at these sizes"))
    return rows, f


def record_sgd(k, g1, g2, dims, trials, seed):
    claim = CLAIMS[CLAIM]
    predicted = float(claim.evaluate(k=k, gamma1=str(g1), gamma2=str(g2)))
    f = fit(measure_n_stars(k, g1, g2, dims, trials, seed, method="sgd"))
    return measure(CLAIM, _params(k, g1, g2, dims, trials, "sgd"), theory=predicted, numeric=f["slope"],
                   seed=seed, stderr=f["se"], extra=f,
                   why="one-pass SGD is not the algorithm the theorem analyzes; its fitted exponent is "
                   "recorded beside Algorithm 1's", note=f"one-pass SGD slope {f['slope']:.3f} "
                   f"[{f['ci'][0]:.3f}, {f['ci'][1]:.3f}] vs {predicted:g}")


# --------------------------------------------------------------------------------------------
K2_DIMS = [16, 32, 64, 128, 256]
K2_TRIALS = 6


def test_sample_complexity_k1_regime2(audit_seed):
    """k = 1, (γ1, γ2) = (0.5, 0.75): exponent 1 (every regime)."""
    record_k1(0.5, 0.75, [16, 32, 64, 128, 256], 6, audit_seed)


def test_sample_complexity_k2_regime1(audit_seed):
    """k = 2, (γ1, γ2) = (0.5, 0): the bound's exponent 2."""
    record_k2(0.5, 0.0, K2_DIMS, K2_TRIALS, audit_seed)


def test_sample_complexity_k2_regime3(audit_seed):
    """k = 2, (γ1, γ2) = (0, 0.5): the bound's exponent 1.5."""
    record_k2(0.0, 0.5, K2_DIMS, K2_TRIALS, audit_seed)


def test_one_pass_sgd_beside_algorithm1(audit_seed):
    """One-pass SGD, k = 2, regime 1, measured beside Algorithm 1."""
    record_sgd(2, 0.5, 0.0, [16, 32, 64], 4, audit_seed)


def test_second_layer_ridge_risk_at_large_n(audit_seed):
    """Algorithm 1 end to end: once the first layer has aligned (n = 48d), ridge on the random-bias
    ReLU features fits h2 of the learned direction; its test risk is recorded (no claim gives it)."""
    m, risk = gf_overlap(64, 48 * 64, 0, 2, 0.5, 0.0, audit_seed, with_risk=True)
    bound(CLAIM, {"k": 2, "gamma1": 0.5, "gamma2": 0.0, "d": 64, "n": 48 * 64, "check": "overlap at n = 48d"},
          value=m, limit=LEVEL, sense=">=", why_tol="event: the top of the grid succeeds", evidence="trained network",
          seed=audit_seed, extra={"relative_test_risk": risk})


@pytest.mark.paper_scale
@pytest.mark.parametrize("g1, g2", [(0.5, 0.75)])
def test_sample_complexity_k2_regime2_paper(g1, g2, audit_seed):
    record_k2(g1, g2, [16, 32, 64, 128, 256, 512], 8, audit_seed)


@pytest.mark.paper_scale
@pytest.mark.parametrize("g1, g2", [(0.5, 0.0), (0.0, 0.5)])
def test_sample_complexity_k1_other_regimes(g1, g2, audit_seed):
    record_k1(g1, g2, [16, 32, 64, 128, 256], 6, audit_seed)


@pytest.mark.paper_scale
def test_sample_complexity_k2_regime1_paper(audit_seed):
    record_k2(0.5, 0.0, [16, 32, 64, 128, 256, 512], 8, audit_seed)
