"""001 §4.1 preconditioning (numerics.preconditioning, numerics.sample_complexity):

8a. n′ ≳ n² unlabeled samples for Σ̂′: the preconditioned first-step direction Σ̂′⁻¹(1/n)Σyᵢxᵢ loses
    whitened overlap with the target when n′ is too small. Paired Monte-Carlo (same labelled sample,
    exact Σ as reference): the loss at n′ = n² stays below the labelled-sample deficit 1 − m(exact Σ)
    (covariance estimation is not the bottleneck); at n′ ≈ 2d the same bound must miss (negative
    control). The decay of the loss in n′/n² is fitted and shown.
8b. 001's third experiment: n*(normalized, no preconditioner)/n*(preconditioned) at κ(Σ) ≈ d^{0.5}
    (γ2 = 1/2); the slope of its log in log d beside 0.5."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from numerics import sweep
from numerics.preconditioning import overlap_point
from numerics.sample_complexity import measure_n_stars
from theory import CLAIMS
from theory.symbols import gamma2, n

from . import stats
from .agreement import bound, measure
from .tolerance import Z_ROW

RATIOS = (0.0, 0.003, 0.01, 0.1, 1.0)   # n′/n²; 0 → n′ = d + 2 (the smallest invertible)
A8 = dict(d=20, n=100, gamma1=0.25, gamma2=0.5, reps=200)
A8_PAPER = dict(d=50, n=400, gamma1=0.25, gamma2=0.5, reps=400)
B8 = dict(dims=(16, 24, 32, 48), trials=6, g1=0.25, k=2)   # γ1 = 1/2: the identity flow misses 0.9 within n <= 48d at d = 64
B8_PAPER = dict(dims=(16, 32, 64, 128), trials=8, g1=0.25, k=2)


def _loss_rows(cfg, audit_seed):
    (res,) = sweep.run(overlap_point, [dict(cfg, ratios=list(RATIOS))], seed=audit_seed, progress=False)
    loss = res["exact"][:, None] - res["est"]
    mean, se = stats.mean_se(loss)
    deficit, dse = stats.mean_se(1 - res["exact"])
    return res["n_unl"], mean, se, float(deficit), float(dse)


def _check_unlabeled(cfg, audit_seed):
    cid = "preconditioning.unlabeled_samples"
    n_sq = float(CLAIMS[cid].expr.subs(n, cfg["n"]))
    nus, mean, se, deficit, dse = _loss_rows(cfg, audit_seed)
    at = {nu: (m, s) for nu, m, s in zip(nus, mean, se)}
    for nu, expect in ((int(round(n_sq)), "agree"), (nus[0], "disagree")):
        m, s = at[nu]
        bound(cid, dict(cfg, n_unl=nu), value=float(m - Z_ROW * s) if expect == "disagree"
              else float(m + Z_ROW * s), limit=deficit, sense="<=", seed=audit_seed, expect=expect,
              why_tol=f"paired overlap loss m(Σ) − m(Σ̂′) ± z·SE (z = {Z_ROW:g}, {cfg['reps']} reps) "
                      f"against the labelled deficit 1 − m(Σ) = {deficit:.4f} ± {dse:.4f}",
              note="n′ = n²: loss below the labelled deficit" if expect == "agree"
              else "negative control n′ ≈ d: the loss must exceed the labelled deficit",
              evidence="Monte-Carlo", extra=dict(n_unl=list(nus), loss=list(mean), se=list(se)))
    keep = [i for i, nu in enumerate(nus) if mean[i] > Z_ROW * se[i]]
    if len(keep) >= 3:
        fit = stats.loglog_fit(np.array(nus, float)[keep], mean[keep], weights=(mean[keep] / se[keep]) ** 2)
        lo, hi = fit.interval()
        measure(cid, dict(cfg, fit="log loss vs log n′"), theory=-1.0, numeric=fit.slope, stderr=fit.se,
                seed=audit_seed,
                why=f"loss of overlap ∝ (n′)^slope over n′ = {[nus[i] for i in keep]}, 95 % t-interval "
                    f"[{lo:.2f}, {hi:.2f}]; −1 is the ‖Σ̂′ − Σ‖² ≍ d/n′ heuristic, not the paper's",
                extra=dict(n_over_n2=[nus[i] / n_sq for i in keep]))


def _check_saving(cfg, audit_seed, sweep_options):
    cid = "preconditioning.saving_exponent"
    g2 = 0.5
    kw = dict(cache=sweep_options.get("cache", None)) if "cache" in sweep_options else {}
    pre = measure_n_stars(cfg["k"], cfg["g1"], g2, cfg["dims"], cfg["trials"], audit_seed,
                          preconditioner="inverse empirical", progress=False, **kw)
    raw = measure_n_stars(cfg["k"], cfg["g1"], g2, cfg["dims"], cfg["trials"], audit_seed,
                          preconditioner="identity", progress=False, **kw)
    logd = np.log(np.array(cfg["dims"], float))
    logratio = np.array([[math.log(raw[dd][t] / pre[dd][t]) for dd in cfg["dims"]]
                         for t in range(cfg["trials"])])
    fit = stats.per_trial_slopes(logd, logratio)
    lo, hi = fit.interval()
    measure(cid, dict(gamma2=g2, gamma1=cfg["g1"], k=cfg["k"], dims=list(cfg["dims"]),
                      trials=cfg["trials"]),
            theory=float(CLAIMS[cid].expr.subs(gamma2, sp.Rational(1, 2))), numeric=fit.slope,
            stderr=fit.se, seed=audit_seed,
            why=f"slope of log[n*(identity)/n*(Σ̂⁻¹)] in log d, 95 % t-interval [{lo:.2f}, {hi:.2f}] "
                f"({fit.dof} dof): the summary's 'approximately d^0.5 fewer' is an expectation without a "
                "stated constant or finite-d correction; shown, not asserted",
            extra=dict(n_pre={str(k_): v for k_, v in pre.items()},
                       n_identity={str(k_): v for k_, v in raw.items()}))


def test_unlabeled_samples(audit_seed):
    _check_unlabeled(A8, audit_seed)


def test_preconditioning_saving(audit_seed, sweep_options):
    _check_saving(B8, audit_seed, sweep_options)


@pytest.mark.paper_scale
def test_unlabeled_samples_paper(audit_seed):
    _check_unlabeled(A8_PAPER, audit_seed)


@pytest.mark.paper_scale
def test_preconditioning_saving_paper(audit_seed, sweep_options):
    _check_saving(B8_PAPER, audit_seed, sweep_options)
