"""Paper 000 §4, Monte-Carlo: R̂λ and R̂0 (Eqs. 23-27) against ridge/min-norm risks of explicit and reduced
designs (numerics.ridge), the printed Eq. (27) refuted, the O(1/d) approach.

Monte-Carlo tolerances are z·SE plus a finite-size allowance that the compared claim does not
define: an asymptotic formula (R̂0, R̂λ) is allowed the finite-size gap of its finite-d counterpart
(Eqs. 23-24 solved at the simulated d, a separate claim, minus the same at d = 1e12 — never minus
the checked formula, which would let the allowance absorb the formula's own error), and the
finite-d formula is allowed the next order, gap²/R̂ (the square of the first-order correction). Neither is fitted to the
simulations; ``test_gap_to_asymptotic_shrinks_like_1_over_d`` records the measured 1/n coefficients.
"""

from __future__ import annotations


import numpy as np
import pytest

from numerics import ridge as nr
from numerics import ridge_sweeps, sweep
from theory import CLAIMS
from theory import ridge as tr

from . import stats as vstats
from .agreement import agree, bound, measure
from .ridge_common import (ALIGNS, D_GRID, D_LIMIT, GRID, RHOS, WHY_MC, WHY_MC_FINITE, Z_GRID,
                           _grid_risks, _n, _seed, finite_size_allowances, r0_finite_pair)


@pytest.mark.parametrize("g, r, a", GRID, ids=[f"gamma={g}-rho={r}-A={a}" for g, r, a in GRID])
def test_min_norm_risk_monte_carlo(audit_seed, g, r, a):
    """Min-norm risk at d = 500 (400 draws, reduced model) against R̂0 (Eq. 27, derived form) with γ =
    d/n of the simulation, and against the finite-d theory (allowances: see the module docstring)."""
    seed = _seed(audit_seed, 100)
    risks = _grid_risks(seed)[g][:, RHOS.index(r), ALIGNS.index(a)]
    n = _n(D_GRID, g)
    point = dict(sigma2=1, rho=r, A=a, gamma=D_GRID / n)
    mean, se = risks.mean(), risks.std(ddof=1) / np.sqrt(len(risks))
    asym = CLAIMS["ridge.R0_hat"].evaluate(prec=30, **point)
    finite, limit = r0_finite_pair(point, D_GRID)
    allow_asym, allow_finite = finite_size_allowances(finite, limit)
    extra = {"d": D_GRID, "n": n, "trials": len(risks)}
    agree("ridge.R0_hat", {**point, "d": D_GRID}, theory=asym, numeric=mean, stderr=se, z=Z_GRID,
          allowance=allow_asym, why_tol=WHY_MC, seed=seed, extra=extra, evidence="Monte-Carlo")
    agree("ridge.R0_hat_finite", {**point, "d": D_GRID}, theory=finite, numeric=mean, stderr=se,
          z=Z_GRID, allowance=allow_finite, why_tol=WHY_MC_FINITE, seed=seed, extra=extra,
          evidence="Monte-Carlo")


def test_finite_d_theory_is_closer_over_the_grid(audit_seed):
    """Over the 100-point grid the finite-d theory misses the simulations by less, on average, than
    the asymptotic formula."""
    seed = _seed(audit_seed, 100)
    miss_asym, miss_fin = [], []
    for g, r, a in GRID:
        risks = _grid_risks(seed)[g][:, RHOS.index(r), ALIGNS.index(a)]
        point = dict(sigma2=1, rho=r, A=a, gamma=D_GRID / _n(D_GRID, g))
        m = risks.mean()
        miss_asym.append(abs(float(CLAIMS["ridge.R0_hat"].evaluate(prec=20, **point)) - m) / m)
        miss_fin.append(abs(float(CLAIMS["ridge.R0_hat_finite"].evaluate(prec=20, **point, d=D_GRID)) - m) / m)
    bound("ridge.R0_hat_finite", {"d": D_GRID, "grid": "100 points"}, value=np.mean(miss_fin),
          limit=np.mean(miss_asym), why_tol="mean relative miss: finite-d ≤ asymptotic", seed=seed,
          evidence="consistency only",
          note=f"mean rel. miss finite {np.mean(miss_fin):.2e} vs asymptotic {np.mean(miss_asym):.2e}")


# -- the printed Eq. (27) against the simulations -------------------------------------------------
ERRATUM_POINTS = [(3, 20, 0.5), (1.5, 100, 0.8), (5, 100, 1), (10, 100, 0.8), (2, 100, 0.5)]


@pytest.mark.parametrize("g, r, a", ERRATUM_POINTS, ids=[f"gamma={g}-rho={r}-A={a}" for g, r, a in ERRATUM_POINTS])
def test_printed_eq27_is_refuted_by_simulation(audit_seed, g, r, a):
    seed = _seed(audit_seed, 100)
    risks = _grid_risks(seed)[g][:, RHOS.index(r), ALIGNS.index(a)]
    point = dict(sigma2=1, rho=r, A=a, gamma=D_GRID / _n(D_GRID, g))
    mean, se = risks.mean(), risks.std(ddof=1) / np.sqrt(len(risks))
    printed = CLAIMS["ridge.R0_hat"].evaluate(prec=30, printed=True, **point)
    allow, _ = finite_size_allowances(*r0_finite_pair(point, D_GRID))
    agree("ridge.R0_hat", {**point, "d": D_GRID, "form": "as printed"}, theory=printed, numeric=mean,
          stderr=se, z=Z_GRID, allowance=allow, why_tol=WHY_MC, seed=seed, evidence="Monte-Carlo",
          expect="disagree", note="printed Eq. (27) (κ read as σ²(γ − 1)) vs min-norm simulations")


# -- the O(1/d) approach -------------------------------------------------------------------------
GAP_POINTS = [(3, 20, 0.5), (5, 100, 0.3), (2, 5, 1.0)]
GAP_DS = (250, 500, 1000, 2000)


@pytest.mark.parametrize("g, r, a", GAP_POINTS, ids=[f"gamma={g}-rho={r}-A={a}" for g, r, a in GAP_POINTS])
def test_gap_to_asymptotic_shrinks_like_1_over_d(audit_seed, g, r, a):
    """|E R_d − R̂0| ∝ d^p with p = −1: weighted least squares of log|gap| on log d over
    d ∈ {250, …, 2000} (draws ∝ d so every gap is resolved), 95 % CI on p. Also records the
    coefficient c = gap·n/R̂0 and the finite-d theory's residual at each d."""
    seed = _seed(audit_seed, 200 + GAP_POINTS.index((g, r, a)))
    points = [dict(rho=r, align=a, d=d, n=_n(d, g), trials=1000 * d // 250) for d in GAP_DS]
    results = sweep.run(ridge_sweeps.min_norm_risk_point, points, seed=seed, desc="1/d gap")
    logd, loggap, w, coefs = [], [], [], []
    for d, (mean, se) in zip(GAP_DS, results):
        n = _n(d, g)
        point = dict(sigma2=1, rho=r, A=a, gamma=d / n)
        asym = float(CLAIMS["ridge.R0_hat"].evaluate(prec=20, **point))
        finite = float(CLAIMS["ridge.R0_hat_finite"].evaluate(prec=20, **point, d=d))
        gap = mean - asym
        logd.append(np.log(d)); loggap.append(np.log(abs(gap))); w.append((gap / se) ** 2)
        coefs.append((gap * n / asym, se * n / asym))
        measure("ridge.R0_hat_finite", {**point, "d": d}, theory=finite, numeric=mean, stderr=se, seed=seed,
                why="the finite-d residual is below what the draws resolve at every d; recorded, not asserted",
                note=f"asymptotic gap {gap:+.3e}, finite-d residual {mean - finite:+.3e}",
                extra={"gap_asymptotic": gap, "residual_finite": mean - finite, "se": se})
    X = np.column_stack([np.ones(len(logd)), logd])
    Wm = np.diag(w)
    cov = np.linalg.inv(X.T @ Wm @ X)
    coef = cov @ X.T @ Wm @ np.array(loggap)
    resid = np.array(loggap) - X @ coef
    dof = len(logd) - 2
    scale = max(1.0, float(resid @ Wm @ resid) / dof)  # inflate by the misfit when it exceeds noise
    slope, slope_se = coef[1], float(np.sqrt(cov[1, 1] * scale))
    z = vstats.t_quantile(0.975, 2)  # Student t, 2 dof, 95 %
    measure("ridge.R0_hat", {"sigma2": 1, "rho": r, "A": a, "gamma": g, "fit": "exponent p of gap ~ d^p"},
            theory=-1, numeric=slope, stderr=slope_se, seed=seed,
            why="95 % t-interval (2 dof, SE inflated by misfit) is wider than 0.3: four sizes do not "
                "resolve the exponent; recorded",
            extra={"ds": list(GAP_DS), "c_per_d": [c for c, _ in coefs], "t_interval": z * slope_se})
    c = np.array([c for c, _ in coefs])
    wc = 1 / np.array([e for _, e in coefs]) ** 2
    c_fit, c_se = float((wc * c).sum() / wc.sum()), float(1 / np.sqrt(wc.sum()))
    measure("ridge.R0_hat", {"sigma2": 1, "rho": r, "A": a, "gamma": g, "check": "1/n coefficient"},
            theory=0.0, numeric=c_fit, stderr=c_se, seed=seed,
            why="the O(1/n) coefficient c = gap·n/R̂ is a measured number (the paper states none)",
            note=f"c = {c_fit:.2f} ± {c_se:.2f}")


# -- ridge λ > 0 ----------------------------------------------------------------------------------
RIDGE_POINTS = [(3, 20, 0.5, 0.1), (1.2, 5, 0.8, 0.05), (1.5, 100, 0.3, 1.0), (2, 0, 1, 0.5)]


@pytest.mark.parametrize("g, r, a, lm", RIDGE_POINTS, ids=[f"gamma={g}-rho={r}-A={a}-lam={l}" for g, r, a, l in RIDGE_POINTS])
def test_ridge_risk_monte_carlo(audit_seed, g, r, a, lm):
    """Ridge risk (Eq. 22) at d = 2000 against R̂λ (Eq. 23 with Eq. 25) and its finite-d form.

    d = 2000, not 500: near γ = 1.2 with λ = 0.05 the simulated mean sits ≈ 0.25/d above the finite-d
    form (a 1/d term the form does not carry, e.g. the real-Gaussian mean correction of the spectrum),
    1.5 SE on average at d = 500 and 5.1 SE for one of 20 audit seeds; that term falls as 1/d and the
    SE only as 1/√d, so the larger d halves it in units of SE (measured: 0.5 and 1.6 SE at d = 2000)."""
    seed = _seed(audit_seed, 300 + RIDGE_POINTS.index((g, r, a, lm)))
    d = 2000
    n = _n(d, g)
    risks = nr.risks_spectral(1.0, r, a, d=d, n=n, lam=lm, trials=2000, rng=np.random.default_rng(seed))
    mean, se = risks.mean(), risks.std(ddof=1) / np.sqrt(len(risks))
    point = dict(sigma2=1, rho=r, A=a, gamma=d / n, lam=lm)
    asym = CLAIMS["ridge.R_lambda_hat"].evaluate(prec=30, **point)
    finite = tr.R_lambda_hat_finite(**point, d=d)
    allow_asym, allow_finite = finite_size_allowances(finite, tr.R_lambda_hat_finite(**point, d=D_LIMIT))
    agree("ridge.R_lambda_hat", {**point, "d": d}, theory=asym, numeric=mean, stderr=se, z=Z_GRID,
          allowance=allow_asym, why_tol=WHY_MC, seed=seed, evidence="Monte-Carlo",
          note=f"finite-d Eq. (23)-(24): {float(finite):.6f}")
    agree("ridge.R_lambda_hat", {**point, "d": d, "form": "finite d"}, theory=finite, numeric=mean,
          stderr=se, z=Z_GRID, allowance=allow_finite, why_tol=WHY_MC_FINITE, seed=seed,
          evidence="Monte-Carlo")


# -- the reduced Monte-Carlo model against brute force ---------------------------------------------
@pytest.mark.parametrize("g, r, a", [(3, 20, 0.5), (1.5, 100, 0.8)])
def test_reduced_model_matches_brute_force_in_law(audit_seed, g, r, a):
    """The O(n) reduced model (tridiagonal Wishart) and the explicit X ∈ R^{n×d} give the same mean
    risk: brute force 150 draws, reduced 3000, d = 200."""
    seed = _seed(audit_seed, 400)
    rng = np.random.default_rng(seed)
    d = 200
    n = _n(d, g)
    ref = nr.risks_reference(1.0, r, a, d=d, n=n, trials=150, rng=rng)
    red = nr.risks_spectral(1.0, r, a, d=d, n=n, trials=3000, rng=rng)
    se = float(np.sqrt(ref.var(ddof=1) / len(ref) + red.var(ddof=1) / len(red)))
    agree("reference.ridge.reduced_vs_explicit_design", {"rho": r, "A": a, "gamma": d / n, "d": d},
          theory=ref.mean(), numeric=red.mean(), stderr=se, z=Z_GRID, seed=seed, role="reference",
          evidence="Monte-Carlo", source="000 Eq. (21) (numeric path vs numeric path)",
          why_tol="two Monte-Carlo means of the same law: z·SE of the difference, no allowance",
          note="numerics.ridge reduced model against the explicit design")
