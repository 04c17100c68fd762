"""Paper 003 (abstract only), (3): the energies of the three terms against Monte-Carlo over seeds
(control-variate means inside the regime ζ²/d ≤ 1/√d, recorded outside it), the spike gap's approach
with d, and the paper-scale energies."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from numerics import two_layer_gradient as tl

from . import stats as vstats
from .agreement import agree, measure
from .gradient_rank_common import (D, ENERGY_SEEDS, M, N, NUS, OFFSET, PAPER, RESOLVED_UNIT, SEEDS,
                                   WHY_CV, WHY_MC, Z, _agree_or_measure, _mean_se, _params,
                                   _rel_allowance, _theory, cv_mean, energy_point, in_regime)


NOISE_ENERGY_CASES = [("relu", "ntk", 0.0, 0.0, 1.0), ("tanh", "mf", 0.0, 0.0, 1.0)]
ENERGY_CASES = ([(act, sc, nu, 0.0, 0.0) for act in tl.ACTIVATIONS for sc in tl.SCALINGS for nu in NUS]
                + [("relu", "ntk", nu, 1.0, 0.0) for nu in (0.0, 0.25, 0.45)]
                + [("tanh", "mf", nu, 1.0, 0.0) for nu in (0.0, 0.35)] + NOISE_ENERGY_CASES)

@pytest.mark.parametrize("activation, scaling, nu, alpha, noise_var", ENERGY_CASES,
                         ids=[f"{a}-{s}-nu{v}-alpha{al}-s2{nv}" for a, s, v, al, nv in ENERGY_CASES])
def test_energies_of_the_three_terms(activation, scaling, nu, alpha, noise_var, audit_seed):
    """‖R‖², ‖S‖², ‖E‖² (over c_m² m) against Step 3: control-variate means over 24 seeds inside
    the regime ζ²/d ≤ 1/√d; outside it (ν ≥ 0.35 here) the 8-seed means are recorded with
    measure() and the approach to theory is checked by test_spike_gap_closes_with_d."""
    zeta = N**nu
    params = _params(nu, scaling, alpha, noise_var)
    inside = in_regime(zeta) and _rel_allowance(nu, alpha) <= RESOLVED_UNIT
    seeds = ENERGY_SEEDS if inside else SEEDS
    table = energy_point(activation, scaling, zeta, alpha, audit_seed, seeds, noise_var)
    base = audit_seed + OFFSET["energy"]
    for col, term in enumerate(("residue", "spike", "remainder")):
        claim = f"gradient_rank.{term}_energy_{activation}"
        th = _theory(claim, **params)
        if inside:
            mean, se = cv_mean(table[:, col], table[:, 3:])
        else:
            mean, se = float(table[:, col].mean()), float(table[:, col].std(ddof=1) / np.sqrt(seeds))
        _agree_or_measure(
            claim, params, theory=th, numeric=mean, stderr=se, allowance=_rel_allowance(nu, alpha) * th,
            why_tol=WHY_CV, seed=base, extra=dict(activation=activation, scaling=scaling),
            out_of_regime=None if inside else (
                f"ζ²/d = {zeta**2 / D:.3f} > 1/√d: outside ζ² ≪ d, where Step 3 drops O(ζ²/d) "
                f"terms; {SEEDS}-seed mean ± SE recorded (approach with d: test_spike_gap_closes_with_d)"
                if not in_regime(zeta) else
                f"one unit of the neglected orders is {_rel_allowance(nu, alpha):.2f} > "
                f"{RESOLVED_UNIT:g} (q_j-fluctuation √(t₂/d) on the α = {alpha:g} bulk): "
                f"{SEEDS}-seed mean ± SE recorded"))


TREND_DS = (400, 566, 800, 1131, 1600)
TREND_NU = 0.45  # ζ = 13.0: ζ²/d runs from 0.42 down to 0.11


def test_spike_gap_closes_with_d(audit_seed):
    """Outside ζ² ≪ d the tanh NTK spike energy at ζ = 300^0.45 is about three times its
    leading-order value at d = 400. Step 3 says the gap is a finite-d effect (the dropped Hermite
    orders form a series in ζ²/d): at fixed (n, m, ζ) the log-ratio ln(mean/theory) must vanish as
    ζ²/d → 0. Weighted least squares ln ρ = c + s·ζ²/d over five d (8 seeds each): the intercept c
    (the extrapolation to d = ∞) must be 0 within its t-interval (scipy.stats.t, 3 dof, at the
    confidence of z = 3); the slope is recorded. Each ρ(d) is recorded with measure()."""

    zeta = N**TREND_NU
    claim = "gradient_rank.spike_energy_tanh"
    base = audit_seed
    xs, ys, ses = [], [], []
    for d in TREND_DS:
        table = energy_point("tanh", "ntk", zeta, 0.0, base, SEEDS, 0.0, N, d, M)
        params = dict(n=N, d=d, m=M, zeta=zeta, scale_exp=0.5, alpha_exp=0.0, noise_var=0.0)
        th = _theory(claim, **params)
        mean, se = float(table[:, 1].mean()), float(table[:, 1].std(ddof=1) / np.sqrt(SEEDS))
        measure(claim, {**params, "check": "gap vs d"}, theory=th, numeric=mean, stderr=se,
                seed=base + OFFSET["energy"], why=f"ζ²/d = {zeta**2 / d:.2f}: outside or at the edge "
                "of ζ² ≪ d; the trend over d is asserted by the intercept row of this test")
        xs.append(zeta**2 / d)
        ys.append(np.log(mean / th))
        ses.append(se / mean)  # delta method for ln(mean)
    x, y, w = np.array(xs), np.array(ys), 1 / np.array(ses) ** 2
    fit = vstats.linear_fit(x, y, weights=w, inflate=True)  # SEs inflated by the lack of fit
    coef, se_c, se_s, dof = (fit.intercept, fit.slope), fit.intercept_se, fit.se, fit.dof
    t = vstats.t_matching_z(Z, dof)
    params = dict(n=N, m=M, zeta=zeta, scaling="ntk", d_values=str(TREND_DS), seeds=SEEDS)
    why = (f"weighted LS of ln(mean/theory) on ζ²/d over {len(x)} d values, weights 1/SE² of "
           f"ln(mean) (SEs inflated by χ²/dof when > 1): t = {t:.2f} (scipy.stats.t.ppf at the "
           f"z = {Z:g} level, {dof} dof) × SE of the intercept")
    agree(claim, {**params, "check": "ln(energy/theory) extrapolated to ζ²/d → 0"}, theory=0.0,
          numeric=float(coef[0]), stderr=float(se_c), z=t, why_tol=why, seed=base,
          evidence="fitted rate")
    measure(claim, {**params, "check": "slope of ln(energy/theory) in ζ²/d"}, theory=0.0,
            numeric=float(coef[1]), stderr=float(se_s), seed=base,
            why=f"the size of the dropped O(ζ²/d) term is not derived; slope ± t·SE = "
            f"{coef[1]:.3g} ± {t * se_s:.3g} (a d-independent gap would have slope 0)")

PAPER_CASES = [(act, sc, nu, alpha) for act in tl.ACTIVATIONS for sc in tl.SCALINGS
               for nu in (0.0, 0.25, 0.4) for alpha in (0.0, 1.0)]


@pytest.mark.paper_scale
@pytest.mark.parametrize("activation, scaling, nu, alpha", PAPER_CASES,
                         ids=[f"{a}-{s}-nu{v}-alpha{al}" for a, s, v, al in PAPER_CASES])
def test_energies_at_paper_scale(activation, scaling, nu, alpha, audit_seed):
    """Step 3 at (n, d, m) = (600, 800, 1000) with 16 seeds: the statistical part of the tolerance
    shrinks by ~√(16/8) and the finite-size allowance by ~√2, so coefficient errors of ~15 % show."""
    n, d, m, seeds = PAPER["n"], PAPER["d"], PAPER["m"], PAPER["seeds"]
    zeta = n**nu
    rows = []
    for s in range(seeds):
        seed = audit_seed + OFFSET["sweep"] + 20000 + s
        data, net, _ = tl.sample(n, d, m, zeta, seed, scaling=scaling, activation=activation, alpha=alpha)
        parts = tl.split(data, net)
        c2m = net.c_m**2 * m
        r = tl.residual(data, net)
        rz2, r2 = (r * data.z) ** 2, r**2
        rows.append(dict(R=float(np.linalg.norm(parts.r_left) * np.linalg.norm(parts.r_right)) ** 2 / c2m,
                         S=float(parts.s_left @ parts.s_left) / c2m, E=float(np.sum(parts.E**2)) / c2m,
                         rel_S=float(rz2.std(ddof=1) / (np.sqrt(n) * rz2.mean())),
                         rel_R=float(r2.std(ddof=1) / (np.sqrt(n) * r2.mean())), seed=seed))
    params = dict(n=n, d=d, m=m, zeta=zeta, scale_exp=tl.SCALINGS[scaling], alpha_exp=alpha, noise_var=0.0)
    from theory.gradient_rank import moments

    mo = moments(activation, 1 + zeta**2 / d)
    b2, c3 = float(mo["b"]) ** 2, float(sp.N(mo["c3"], 15))
    kap = float(sp.N(mo["kappa"], 15))
    P = m ** (1 - 2 * params["scale_exp"])
    lam = tl.bulk_spectrum(d, alpha)
    t2 = float(np.sum(lam**2) / d)
    coherent = {"residue": 0.0, "spike": zeta**4 * (P * b2 / d + c3**2 * (1 + P * kap**2) * t2 / d**2),
                "remainder": P * b2 * float(np.sum(lam**2) / d)
                + c3**2 * (1 + P * kap**2) * 2 * float(np.sum(lam**4) / d) / d**2}
    rel = 1 / np.sqrt(m) + np.sqrt(t2 / d) + zeta**2 / d
    inside = zeta**2 / d <= 1 / np.sqrt(d) and rel <= RESOLVED_UNIT
    for term, key, rel_key in (("residue", "R", "rel_R"), ("spike", "S", "rel_S"), ("remainder", "E", "rel_R")):
        claim = f"gradient_rank.{term}_energy_{activation}"
        th = _theory(claim, **params)
        mean, se = _mean_se(rows, key, rel_key)
        se = float(np.hypot(se, np.sqrt(2) * coherent[term] / np.sqrt(seeds)))
        allowance = rel * th
        _agree_or_measure(claim, params, theory=th, numeric=mean, stderr=se, allowance=allowance,
                          why_tol=WHY_MC.replace(f"{SEEDS} seeds", f"{seeds} seeds").replace(
                              "1/√d", "√(t₂/d)"), seed=rows[0]["seed"],
                          extra=dict(activation=activation, scaling=scaling, scale="paper"),
                          out_of_regime=None if inside else (
                              f"ζ²/d = {zeta**2 / d:.3f}, one unit of the neglected orders = "
                              f"{rel:.2f}: outside ζ²/d ≤ 1/√d or above {RESOLVED_UNIT:g}; "
                              "mean ± SE recorded"))
