"""Paper 003 (abstract only): the first-layer gradient is close to rank two.

Reads top-down: (1) the gradient formula and the exact split, symbolically and to machine
precision; (2) the two terms are rank one along the predicted directions; (3) their energies
against Monte-Carlo over seeds, for both scalings, ReLU and tanh, isotropic and ill-conditioned
bulk; (4) the growth exponent of the spike term and the crossover ν_c where its coherent part
enters; (5) the rank-two reading: Eckart-Young for the top-2 energy and Wedin for the subspace
overlaps; (6) the regularizers. The theory side is theory.gradient_rank (SymPy); the numeric side
numerics.two_layer_gradient builds data, network and gradient from their definitions.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
import sympy as sp

from numerics import two_layer_gradient as tl
from theory import CLAIMS

from .agreement import MAX_REL_TOL, agree, bound, measure

N, D, M = 300, 400, 500
SEEDS = 8
Z = 3.0
U = np.finfo(float).eps / 2  # unit roundoff
NUS = (0.0, 0.15, 0.25, 0.35, 0.45)
OFFSET = {"split": 100, "sweep": 1000, "fine": 5000, "reg": 9000, "fd": 300, "energy": 13000}


def _theory(claim_id, prec=15, **params):
    return float(CLAIMS[claim_id].evaluate(prec=prec, **params))


def _params(nu, scaling, alpha=0.0, noise_var=0.0):
    return dict(n=N, d=D, m=M, zeta=N**nu, scale_exp=tl.SCALINGS[scaling], alpha_exp=alpha,
                noise_var=noise_var)


def _rel_allowance(nu, alpha=0.0):
    """One unit of each neglected relative order of Step 3: 1/√m, the fluctuation of the
    pre-activation variances q_j = w_jᵀΣ_bw_j (relative SD √(2t₂/d), i.e. order √(t₂/d): 1/√d on an
    isotropic bulk, 0.20 at α = 1, d = 400 where the top eigenvalue λ₁ = 61 dominates), and ζ²/d."""
    lam = tl.bulk_spectrum(D, alpha)
    return 1 / np.sqrt(M) + np.sqrt(float(np.sum(lam**2)) / D**2) + N ** (2 * nu) / D


WHY_MC = (f"Monte-Carlo over {SEEDS} seeds (data and network): z = {Z:g} standard errors of the "
          "seed mean (seed spread ⊕ each seed's own sampling SE of mean r²z² or r² ⊕ the χ²₁ spread "
          "√2·coherent/√k of the f̄²-driven part) + finite-size allowance of one unit of each neglected relative order, "
          "(1/√m + 1/√d + ζ²/d)·|theory|")


# -- (1) gradient formula and exact split -------------------------------------------------------
@pytest.mark.parametrize("claim_id, residual", [
    ("gradient_rank.gradient_formula", "derive_gradient_residual"),
    ("gradient_rank.exact_split", "derive_split_residual"),
    ("gradient_rank.jacobian_penalty_gradient", "derive_jacobian_penalty_residual"),
])
def test_symbolic_derivation_is_exact(claim_id, residual):
    """Differentiating the loss (or penalty) entry by entry at n = 3, d = 2, m = 2 with a generic σ
    reproduces the matrix formula; G − (R + S + E) expands to zero with symbolic κ_j."""
    from theory import gradient_rank

    res = getattr(gradient_rank, residual)()
    nonzero = sum(1 for e in res if e != 0)
    agree(claim_id, {"check": "symbolic, generic σ, n=3 d=2 m=2"}, theory=0, numeric=nonzero,
          atol=0.0, why_tol="exact: number of entries that do not reduce to 0")


def _sum_bound(net, data, extra_abs=0.0):
    """A-priori rounding bound of (c_m/n)|a| |σ′|ᵀ diag(|r|) |X| computed in floating point:
    n-term dot products carry at most n·u relative to the sum of absolute terms."""
    n = data.X.shape[0]
    r = np.abs(tl.residual(data, net))
    dphi = np.abs(tl.act(net.activation, data.X @ net.W.T, 1)) + extra_abs
    mag = (net.c_m / n) * np.abs(net.a)[:, None] * (dphi.T @ (r[:, None] * np.abs(data.X)))
    return float(mag.max())


SPLIT_CASES = [(act, sc, nu, alpha) for act in tl.ACTIVATIONS for sc in tl.SCALINGS
               for nu in (0.0, 0.3, 0.6) for alpha in (0.0, 1.0)]


@pytest.mark.parametrize("activation, scaling, nu, alpha", SPLIT_CASES,
                         ids=[f"{a}-{s}-nu{v}-alpha{al}" for a, s, v, al in SPLIT_CASES])
def test_split_reconstructs_gradient_to_machine_precision(activation, scaling, nu, alpha, audit_seed):
    """R + S + E, each from its own formula, equals G from the chain-rule formula, and G equals
    the plain per-sample sum: differences at the level of rounding."""
    seed = audit_seed + OFFSET["split"]
    data, net, _ = tl.sample(120, 90, 70, 120**nu, seed, scaling=scaling, activation=activation,
                             alpha=alpha)
    G = tl.gradient(data, net)
    parts = tl.split(data, net)
    scale = _sum_bound(net, data, extra_abs=float(np.abs(parts.kappa).max()))
    n = data.X.shape[0]
    tol = 4 * n * U * scale  # three terms + G, each an n-term sum
    params = dict(n=120, d=90, m=70, nu_exp=nu, activation=activation, scaling=scaling, alpha=alpha)
    agree("gradient_rank.exact_split", params, theory=0.0,
          numeric=float(np.abs(G - (parts.R + parts.S + parts.E)).max()), atol=tol, seed=seed,
          why_tol="rounding: 4 n-term sums, each within n·u of the sum of absolute terms "
          "(c_m/n)|a|(|σ′| + |κ|)ᵀ|r||X| (max entry)")
    agree("gradient_rank.gradient_formula", params, theory=0.0,
          numeric=float(np.abs(G - tl.gradient_by_samples(data, net)).max()), atol=2 * n * U * scale,
          seed=seed, why_tol="rounding: two n-term sums, n·u of the sum of absolute terms each")


@pytest.mark.parametrize("activation", tl.ACTIVATIONS)
def test_gradient_matches_finite_differences(activation, audit_seed):
    """Central differences of the loss itself, at 12 entries; the tolerance is the Richardson
    estimate |FD(h) − FD(2h)| of the truncation error plus roundoff 10·u·|L|/h."""
    seed = audit_seed + OFFSET["fd"]
    data, net, rng = tl.sample(50, 30, 20, 50**0.3, seed, activation=activation)
    entries = [(int(rng.integers(20)), int(rng.integers(30))) for _ in range(12)]
    G = tl.gradient(data, net) + tl.jacobian_penalty_gradient(data, net, 0.3)
    step = 1e-5
    fd_h = tl.finite_difference_gradient(data, net, entries, step=step, lam_jac=0.3)
    fd_2h = tl.finite_difference_gradient(data, net, entries, step=2 * step, lam_jac=0.3)
    L = tl.loss(data, net, lam_jac=0.3)
    for (j, k), a, b in zip(entries, fd_h, fd_2h):
        agree("gradient_rank.jacobian_penalty_gradient", dict(activation=activation, j=j, k=k),
              theory=G[j, k], numeric=a, atol=abs(a - b) + 10 * U * abs(L) / step + 1e-14, seed=seed,
              why_tol="Richardson: |FD(h) − FD(2h)| = 3× the O(h²) truncation error, + 10·u·|L|/h "
              "roundoff (+1e-14 when both vanish); a ReLU kink inside ±2h shows as a FD(h) ≠ FD(2h)")


# -- (2) rank one along the predicted directions ------------------------------------------------
@pytest.mark.parametrize("activation", tl.ACTIVATIONS)
def test_residue_and_spike_terms_are_rank_one_along_predicted_directions(activation, audit_seed):
    """Build R and S as full matrix products (not as outer products) and read their SVDs: σ₂/σ₁ at
    rounding level, right singular vectors Xᵀr/‖Xᵀr‖ and q, left vector of R along a ⊙ κ."""
    seed = audit_seed + OFFSET["split"] + 1
    data, net, _ = tl.sample(120, 90, 70, 120**0.4, seed, activation=activation)
    n = data.X.shape[0]
    r = tl.residual(data, net)
    parts = tl.split(data, net)
    dphi = tl.act(activation, data.X @ net.W.T, 1)
    R_full = (net.c_m / n) * net.a[:, None] * ((np.ones((n, 1)) * parts.kappa).T @ (r[:, None] * data.X))
    S_full = (net.c_m / n) * net.a[:, None] * ((dphi - parts.kappa).T
                                              @ (r[:, None] * (data.zeta * np.outer(data.z, data.q))))
    tol = 100 * U * np.sqrt(70 * 90)
    why = "rounding: 100·u·√(md) for singular-value ratios and direction cosines of m×d products"
    for name, mat, right, left in (("residue", R_full, parts.r_right, net.a * parts.kappa),
                                   ("spike", S_full, data.q, None)):
        u_, s_, vt = np.linalg.svd(mat)
        claim = "gradient_rank.exact_split"
        agree(claim, dict(term=name, check="sigma2/sigma1", activation=activation), theory=0.0,
              numeric=s_[1] / s_[0], atol=tol, seed=seed, why_tol=why)
        agree(claim, dict(term=name, check="1 - |cos(right, predicted)|", activation=activation),
              theory=0.0, numeric=1 - abs(vt[0] @ right) / np.linalg.norm(right), atol=tol, seed=seed,
              why_tol=why)
        if left is not None:
            agree(claim, dict(term=name, check="1 - |cos(left, a*kappa)|", activation=activation),
                  theory=0.0, numeric=1 - abs(u_[:, 0] @ left) / np.linalg.norm(left), atol=tol,
                  seed=seed, why_tol=why)


# -- (3) energies over the sweep ----------------------------------------------------------------
@lru_cache(maxsize=None)
def sweep_point(activation, scaling, nu, alpha, base_seed, seeds=SEEDS, noise_var=0.0, reg="none",
                reg_strength=0.0):
    """Measurements at one point for ``seeds`` seeds (the same seeds at every ν: common random
    numbers, so ν-to-ν differences are not seed noise). Returns an array of rows."""
    rows = []
    for s in range(seeds):
        seed = base_seed + OFFSET["sweep"] + s
        data, net, rng = tl.sample(N, D, M, N**nu, seed, scaling=scaling, activation=activation,
                                   alpha=alpha, noise_var=noise_var)
        extra = None
        if reg == "wd":
            extra = tl.weight_decay_gradient(net, reg_strength)
        elif reg == "jac":
            extra = tl.jacobian_penalty_gradient(data, net, reg_strength)
        meas = tl.measure(data, net, rng, extra=extra, noise_var=noise_var)
        c2m = net.c_m**2 * M
        r = tl.residual(data, net)
        rz2, r2 = (r * data.z) ** 2, r**2
        # relative sampling SE of the sample means the energies rest on (heavy-tailed products)
        rel_S = float(rz2.std(ddof=1) / (np.sqrt(N) * rz2.mean()))
        rel_R = float(r2.std(ddof=1) / (np.sqrt(N) * r2.mean()))
        rows.append(dict(R=meas.norm_R**2 / c2m, S=meas.norm_S**2 / c2m, E=meas.norm_E**2 / c2m,
                         opE2=meas.op_E**2 / c2m, G2=meas.norm_G**2 / c2m, sv=meas.sv,
                         F2=meas.top2_fraction, ovq=meas.overlap_spike, ovr=meas.overlap_residue,
                         ova=meas.overlap_left_a, c2m=c2m, rel_S=rel_S, rel_R=rel_R, seed=seed))
    return rows


def _mean_se(rows, key, rel_key=None):
    """Seed mean and its SE. With ``rel_key``, the SE also carries each seed's own sampling error
    (relative SE of the sample mean over n points it rests on): five seeds underestimate the spread
    of skewed, heavy-tailed products such as r²z², so the two estimates are combined in quadrature."""
    x = np.array([r[key] for r in rows], dtype=float)
    se = float(x.std(ddof=1) / np.sqrt(len(x)))
    if rel_key is not None:
        within = np.array([r[key] * r[rel_key] for r in rows])
        se = float(np.hypot(se, np.sqrt(np.sum(within**2)) / len(x)))
    return float(x.mean()), se


def _coherent(activation, term, params):
    """The χ²₁-distributed parts of an energy (Step 3): ζ⁴Pb²/d (spike, ∝ f̄²), Pb²t̃₂ (remainder,
    ∝ f̄²) and the curvature parts ζ⁴c₃²(1 + Pκ²)t₂/d² (spike) and c₃²(1 + Pκ²)2t₄/d² (remainder)."""
    from theory.gradient_rank import moments

    if term == "residue":
        return 0.0
    b2 = float(moments(activation)["b"]) ** 2
    P = M ** (1 - 2 * params["scale_exp"])
    lam = tl.bulk_spectrum(D, params["alpha_exp"])
    # the curvature parts rest on β̃ᵀΣ_b²β̃ and β̃ᵀΣ_b⁴β̃, dominated by the top eigenvalues: χ²₁-like
    # variables over β as well
    mo = moments(activation, 1 + params["noise_var"] + params["zeta"] ** 2 / D)
    c3, kap = float(sp.N(mo["c3"], 15)), float(sp.N(mo["kappa"], 15))
    t2, t4 = float(np.sum(lam**2) / D), float(np.sum(lam**4) / D)
    if term == "spike":
        return params["zeta"] ** 4 * (P * b2 / D + c3**2 * (1 + P * kap**2) * t2 / D**2)
    return P * b2 * float(np.sum((lam + params["noise_var"]) ** 2) / D) + c3**2 * (1 + P * kap**2) * 2 * t4 / D**2


#: seeds per in-regime energy point (control-variate estimate; 6 control variates leave 17 dof)
ENERGY_SEEDS = 24
NOISE_ENERGY_CASES = [("relu", "ntk", 0.0, 0.0, 1.0), ("tanh", "mf", 0.0, 0.0, 1.0)]
ENERGY_CASES = ([(act, sc, nu, 0.0, 0.0) for act in tl.ACTIVATIONS for sc in tl.SCALINGS for nu in NUS]
                + [("relu", "ntk", nu, 1.0, 0.0) for nu in (0.0, 0.25, 0.45)]
                + [("tanh", "mf", nu, 1.0, 0.0) for nu in (0.0, 0.35)] + NOISE_ENERGY_CASES)


def in_regime(zeta, d=D):
    """Step 3 neglects ζ²/d beside 1/√d: a point is inside the claims' regime ζ² ≪ d (APPROX of
    theory.gradient_rank) when ζ²/d ≤ 1/√d, fixed before looking at any measurement. At (n, d) =
    (300, 400) that is ν ≤ 0.25 (ζ²/d = 0.043); ν = 0.35, 0.45 give 0.135 and 0.42."""
    return zeta**2 / d <= 1 / np.sqrt(d)


#: an energy point is resolved only where one unit of the neglected orders leaves half the
#: 0.3·|theory| budget for z·SE; on the α = 1 bulk at d = 400 the q_j-fluctuation unit √(t₂/d) is
#: 0.20 alone, so those points are recorded, not asserted (paper scale halves t₂/d)
RESOLVED_UNIT = 0.5 * MAX_REL_TOL


@lru_cache(maxsize=None)
def energy_point(activation, scaling, zeta, alpha, base_seed, seeds, noise_var=0.0, n=N, d=D, m=M):
    """Rows (‖R‖², ‖S‖², ‖E‖² over c_m² m, then the six centred control variates of
    numerics.two_layer_gradient.control_variates), from the split alone (no spectra)."""
    out = []
    for s in range(seeds):
        data, net, _ = tl.sample(n, d, m, zeta, base_seed + OFFSET["energy"] + s, scaling=scaling,
                                 activation=activation, alpha=alpha, noise_var=noise_var)
        out.append([*(tl.term_energies(data, net, noise_var) / (net.c_m**2 * m)),
                    *tl.control_variates(data, net, noise_var)])
    return np.array(out)


def cv_mean(y, C):
    """Control-variate estimate of E y: the intercept of the least-squares fit y ≈ μ + γᵀC over
    seeds, where every column of C has mean exactly 0 (so μ̂ = ȳ − γ̂ᵀC̄ is unbiased up to O(1/k)).
    SE: the larger of the classical and the heteroskedasticity-robust (HC1 sandwich) SE of the
    intercept, since r²z²-type products are heavy-tailed. Constant columns (e.g. f̄ for tanh) drop."""
    keep = [j for j in range(C.shape[1]) if np.ptp(C[:, j]) > 0]
    A = np.column_stack([np.ones(len(y)), C[:, keep]])
    k, p = A.shape
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - A @ coef
    inv = np.linalg.pinv(A.T @ A)
    classical = resid @ resid / (k - p) * inv[0, 0]
    meat = (A * resid[:, None] ** 2).T @ A
    robust = (inv @ meat @ inv)[0, 0] * k / (k - p)
    return float(coef[0]), float(np.sqrt(max(classical, robust)))


def _agree_or_measure(claim, params, *, theory, numeric, stderr, allowance, why_tol, seed,
                      out_of_regime=None, extra=None, evidence="Monte-Carlo", note=""):
    """agree() where the regime and the tolerance budget allow it, measure() otherwise. Both tests
    are decided by the point and the SE alone (never by the discrepancy)."""
    tol = Z * stderr + allowance
    if out_of_regime is None and tol <= MAX_REL_TOL * abs(theory):
        return agree(claim, params, theory=theory, numeric=numeric, stderr=stderr, z=Z,
                     allowance=allowance, why_tol=why_tol, seed=seed, extra=extra, evidence=evidence,
                     note=note)
    why = out_of_regime or (f"z·SE + allowance = {tol:.3g} exceeds {MAX_REL_TOL}·|theory| = "
                            f"{MAX_REL_TOL * abs(theory):.3g}: the sizes do not resolve the claim")
    return measure(claim, params, theory=theory, numeric=numeric, stderr=stderr, why=why, seed=seed,
                   extra=extra, note=note)


WHY_CV = (f"Monte-Carlo over {ENERGY_SEEDS} seeds (data and network), control-variate estimate "
          "(six statistics of exactly known mean: f̄² over the signs a, ‖Λc_mWᵀa‖², βᵀΛ²β, βᵀΛ²u, "
          f"mean y², mean z²): z = {Z:g} SE of the intercept (max of classical and HC1) + one unit "
          "of each relative order Step 3 neglects, (1/√m + √(t₂/d) + ζ²/d)·|theory|, at a point inside "
          "the regime ζ²/d ≤ 1/√d")


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
    from scipy import stats

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
    A = np.column_stack([np.ones_like(x), x])
    cov_unscaled = np.linalg.inv(A.T @ (w[:, None] * A))
    coef = cov_unscaled @ (A.T @ (w * y))
    resid = y - A @ coef
    dof = len(x) - 2
    scale = max(1.0, float(resid @ (w * resid)) / dof)  # inflate the SEs by the lack of fit
    se_c, se_s = np.sqrt(np.diag(cov_unscaled) * scale)
    t = float(stats.t.ppf(stats.norm.cdf(Z), dof))
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


# -- (4) growth exponent of the spike term and the crossover ------------------------------------
SLOPE_WINDOW = (0.15, 0.2, 0.25, 0.3, 0.35)
SLOPE_SEEDS = 8
#: the coherent part scales with the squared mean output f̄² (a χ²₁ variable over seeds): its
#: seed mean needs ~30 seeds for a 25 % standard error
NULL_SEEDS = 24
NULL_NU = 0.45  # coherent/fluctuation ≈ 17 for NTK ReLU here, so a χ²₁-spread mean still decides


@lru_cache(maxsize=None)
def spike_energies(activation, scaling, nu, base_seed, seeds):
    """‖S‖²/(c_m² m) alone (no spectra) for many seeds."""
    rows = []
    for s in range(seeds):
        data, net, _ = tl.sample(N, D, M, N**nu, base_seed + s, scaling=scaling, activation=activation)
        parts = tl.split(data, net)
        rz2 = (tl.residual(data, net) * data.z) ** 2
        rows.append(dict(S=float(parts.s_left @ parts.s_left) / (net.c_m**2 * M),
                         rel_S=float(rz2.std(ddof=1) / (np.sqrt(N) * rz2.mean())), seed=base_seed + s))
    return rows


def _fit_slope(log_zeta, log_y):
    A = np.vstack([log_zeta, np.ones_like(log_zeta)]).T
    coef, *_ = np.linalg.lstsq(A, log_y, rcond=None)
    return float(coef[0])


@pytest.mark.parametrize("activation, scaling", [(a, s) for a in tl.ACTIVATIONS for s in tl.SCALINGS])
def test_spike_term_growth_exponent(activation, scaling, audit_seed):
    """Least-squares exponent of the seed-mean ‖S‖² in ζ over ν ∈ [0.15, 0.35] against the same
    fit of the theory curve; SE by bootstrap over 8 seeds. The pure-fluctuation exponent 2 is
    refuted for NTK ReLU (coherent part) and holds for mean-field and tanh."""
    lz = np.log(np.array([N**nu for nu in SLOPE_WINDOW]))
    base = audit_seed + OFFSET["fine"]
    table = np.array([[r["S"] for r in spike_energies(activation, scaling, nu, base, SLOPE_SEEDS)]
                      for nu in SLOPE_WINDOW])  # ν × seed
    fitted = _fit_slope(lz, np.log(table.mean(axis=1)))
    rng = np.random.default_rng(base)
    boot = [_fit_slope(lz, np.log(table[:, rng.integers(0, SLOPE_SEEDS, SLOPE_SEEDS)].mean(axis=1)))
            for _ in range(200)]
    se = float(np.std(boot))
    claim = f"gradient_rank.spike_energy_{activation}"
    th_curve = [_theory(claim, **_params(nu, scaling)) for nu in SLOPE_WINDOW]
    # the claim's local slope averaged over the equally spaced ln ζ grid equals the least-squares
    # slope of the theory curve up to its curvature across the window (recorded separately below)
    slope_claim = f"gradient_rank.spike_log_slope_{activation}"
    th_slope = float(np.mean([_theory(slope_claim, **_params(nu, scaling)) for nu in SLOPE_WINDOW]))
    th_fit = _fit_slope(lz, np.log(th_curve))
    # a relative error ε at each end moves a fitted log-slope by at most 2ε/Δlnζ
    eps = _rel_allowance(SLOPE_WINDOW[-1])
    allowance = 2 * eps / (lz[-1] - lz[0])
    params = dict(activation=activation, scaling=scaling, nu_window="0.15-0.35", n=N, d=D, m=M)
    why = (f"fitted exponent: z = {Z:g} bootstrap SE over {SLOPE_SEEDS} seeds + 2ε/Δlnζ with ε the "
           "finite-size allowance of the energies at the top of the window")
    _agree_or_measure(slope_claim, params, theory=th_slope, numeric=fitted, stderr=se,
                      allowance=allowance, why_tol=why, seed=base, evidence="fitted rate")
    agree(f"reference.gradient_rank.slope_claim_vs_energy_claim_{activation}", params,
          theory=th_slope, numeric=th_fit, role="reference", evidence="consistency only",
          source="003 Step 3 (theory vs theory: the slope claim against the energy claim's LS slope)", atol=0.05 + 2 * N ** (2 * SLOPE_WINDOW[-1]) / D, seed=base,
          why_tol="deterministic: the two slopes differ by the curvature of ln E‖S‖² over the window "
          "(≤ 0.05 for a slope moving by ≤ 1) and by the ζ-dependence of v′ρ₂ through q̄ = 1 + ζ²/d "
          "that the slope claim freezes at ζ = 0 (≤ 2ζ²/d at the window top)")
    if activation == "relu" and scaling == "ntk":
        _coherent_part_tracks_mean_output(base + 500)


def _coherent_part_tracks_mean_output(base):
    """Conditional on (a, W), Step 3 predicts the coherent spike energy ζ⁴κ₂²f̄²‖Wq‖²/m with
    f̄ = c_m Σ_k a_k E σ(h_k) and κ₂ = E σ″, i.e. (for ReLU) κ₂f̄ = b·c_m Σ_k a_k √(q_k/q̄) with
    b and v′ from theory.gradient_rank.moments. Regress the measured
    excess ‖S‖² − ζ²v′ mean(r²z²)/n over seeds on it: slope 1 (theory) against slope 0 (the null
    "no coherent part"). SE of the slope from the regression residuals."""
    from theory.gradient_rank import moments

    mo = moments("relu")
    b_theory, vprime = float(mo["b"]), float(mo["vprime"])
    xs, ys = [], []
    nu = NULL_NU
    zeta = N**nu
    for s in range(NULL_SEEDS):
        data, net, _ = tl.sample(N, D, M, zeta, base + s, scaling="ntk", activation="relu")
        parts = tl.split(data, net)
        qk = tl.preactivation_variance(data, net)
        # κ₂ f̄ = b · c_m Σ_k a_k √(q_k/q̄) for ReLU (E σ(h_k) = √(q_k/2π), E σ″ = 1/√(2π q̄)),
        # with b = E σ″ · E σ taken from theory
        fbar_b = b_theory * net.c_m * float(net.a @ np.sqrt(qk / qk.mean()))
        c2m = net.c_m**2 * M
        r = tl.residual(data, net)
        fluct = zeta**2 * vprime * float(np.mean((r * data.z) ** 2)) / N
        xs.append(zeta**4 * fbar_b**2 * float(np.sum((net.W @ data.q) ** 2)) / M)
        ys.append(float(parts.s_left @ parts.s_left) / c2m - fluct)
    x, y = np.array(xs), np.array(ys)
    slope = float(x @ y / (x @ x)) if x @ x > 0 else float("nan")
    resid = y - slope * x
    se = float(np.sqrt(resid @ resid / (len(x) - 1) / (x @ x))) if x @ x > 0 else float("inf")
    params = dict(n=N, d=D, m=M, zeta=zeta, scaling="ntk", activation="relu", seeds=NULL_SEEDS)
    allowance = _rel_allowance(nu)
    why = (f"regression slope over {NULL_SEEDS} seeds: z = {Z:g} SE from the residuals + the "
           "relative finite-size allowance (1/√m + 1/√d + ζ²/d)")
    _agree_or_measure("gradient_rank.spike_energy_relu",
                      {**params, "check": "coherent part / prediction given f̄"}, theory=1.0,
                      numeric=slope, stderr=se, allowance=allowance, why_tol=why, seed=base,
                      out_of_regime=None if in_regime(zeta) else (
                          f"ζ²/d = {zeta**2 / D:.2f} > 1/√d: the regression runs where the coherent "
                          "part dominates, outside ζ² ≪ d; slope ± SE recorded, the null below decides"))
    agree("gradient_rank.spike_energy_relu", {**params, "check": "null: no coherent part"},
          theory=0.0, numeric=slope, stderr=se, z=Z, allowance=allowance, why_tol=why, seed=base,
          expect="disagree", evidence="Monte-Carlo", note="the excess spike energy follows f̄²: the coherent term is real")


FINE_NUS = tuple(np.round(np.arange(0.0, 0.451, 0.05), 3))


def test_crossover_where_the_coherent_spike_enters(audit_seed):
    """NTK ReLU: ν at which the seed-mean local log-slope of ‖S‖² crosses 3 (coherent = fluctuating
    part), against ν_c of theory; SE by bootstrap over the 8 seeds."""
    seeds = 8
    table = np.array([[r["S"] for r in spike_energies("relu", "ntk", float(nu),
                                                     audit_seed + OFFSET["fine"], seeds)]
                      for nu in FINE_NUS])
    lz = np.log(N) * np.array(FINE_NUS)

    def crossing(cols):
        ly = np.log(table[:, cols].mean(axis=1))
        slope = np.diff(ly) / np.diff(lz)
        mid = 0.5 * (np.array(FINE_NUS[1:]) + np.array(FINE_NUS[:-1]))
        above = np.nonzero(slope >= 3)[0]
        if len(above) == 0 or above[0] == 0:
            return np.nan
        i = above[0]
        return float(mid[i - 1] + (3 - slope[i - 1]) * (mid[i] - mid[i - 1]) / (slope[i] - slope[i - 1]))

    measured = crossing(np.arange(seeds))
    rng = np.random.default_rng(audit_seed + OFFSET["fine"])
    boot = np.array([crossing(rng.integers(0, seeds, seeds)) for _ in range(200)])
    se = float(np.nanstd(boot))
    th = _theory("gradient_rank.crossover_nu_relu", n=N, d=D, m=M, scale_exp=0.5, noise_var=0)
    allowance = _rel_allowance(th) / (2 * np.log(N)) + 0.025
    _agree_or_measure("gradient_rank.crossover_nu_relu", dict(n=N, d=D, m=M, scaling="ntk", seeds=seeds),
          theory=th, numeric=measured, stderr=se, allowance=allowance, seed=audit_seed + OFFSET["fine"],
          evidence="fitted rate",
          why_tol=f"z = {Z:g} bootstrap SE over seeds + ε/(2 ln n) (relative error ε of A/B moves "
          "ln ζ_c² by ε) + 0.025 = half the ν grid step (slopes live at grid midpoints)",
          note=f"{np.isnan(boot).sum()} of 200 bootstrap resamples had no crossing")


# -- (5) rank two: Eckart-Young and Wedin ---------------------------------------------------------
RANK_CASES = [(act, sc, nu) for act in tl.ACTIVATIONS for sc in tl.SCALINGS for nu in (0.0, 0.25, 0.45)]


@pytest.mark.parametrize("activation, scaling, nu", RANK_CASES,
                         ids=[f"{a}-{s}-nu{v}" for a, s, v in RANK_CASES])
def test_top2_energy_and_overlaps(activation, scaling, nu, audit_seed):
    """σ₁² + σ₂² ≥ ‖G‖² − ‖E‖² (Eckart-Young: R + S is a rank-2 competitor) for every seed; the seed
    mean of the top-2 share against the leading-order share; where σ₂(G) > ‖E‖_op, Wedin's theorem
    with A = R + S (rank two, row space ∋ q, Xᵀr) gives ‖P_{V₂}q‖² and ‖P_{V₂}Xᵀr‖² ≥ 1 − (‖E‖/σ₂)²."""
    rows = sweep_point(activation, scaling, nu, 0.0, audit_seed)
    params = _params(nu, scaling)
    for r in rows:
        bound(f"gradient_rank.top2_fraction_{activation}", {**params, "seed": r["seed"]},
              value=r["F2"], limit=1 - r["E"] / r["G2"], sense=">=", atol=1e-12, seed=r["seed"],
              why_tol="exact inequality (Eckart-Young); 1e-12 for ARPACK's converged singular values")
    th = _theory(f"gradient_rank.top2_fraction_{activation}", **params)
    mean, se = _mean_se(rows, "F2")
    e_top2 = float(np.mean([2 * r["opE2"] / r["G2"] for r in rows]))
    _agree_or_measure(f"gradient_rank.top2_fraction_{activation}", params, theory=th, numeric=mean,
          stderr=se, allowance=e_top2 + _rel_allowance(nu) * (1 - th), seed=rows[0]["seed"],
          why_tol=WHY_MC.replace("·|theory|", "·(1 − theory)") + " + the remainder's own top-2 share "
          "2‖E‖²_op/‖G‖²_F (measured), which the two-term share omits")
    for r in rows:
        ratio = r["opE2"] / (r["sv"][1] ** 2 / r["c2m"])  # ‖E‖²_op/σ₂(G)², both per c_m² m
        if ratio >= 1:
            continue
        for key, name in (("ovq", "spike q"), ("ovr", "residue Xᵀr")):
            bound("gradient_rank.exact_split", {**params, "seed": r["seed"], "overlap": name},
                  value=r[key], limit=1 - ratio, sense=">=", atol=1e-9, seed=r["seed"],
                  why_tol="exact inequality (Wedin sin-Θ with A = R + S); 1e-9 for ARPACK tolerance",
                  note=f"‖E‖²_op/σ₂² = {ratio:.3f}")


# -- (6) regularizers -----------------------------------------------------------------------------
REG_NU = 0.35


def _boot_ratio(num_rows, den_rows, key_num, key_den, rng, draws=200):
    """Ratio of seed means (num[key_num]/num[key_den]) / (den[key_num]/den[key_den]) and its
    bootstrap SE over seeds (paired: the same seeds on both sides)."""
    a = np.array([[r[key_num], r[key_den]] for r in num_rows])
    b = np.array([[r[key_num], r[key_den]] for r in den_rows])

    def ratio(idx):
        return (a[idx, 0].mean() / a[idx, 1].mean()) / (b[idx, 0].mean() / b[idx, 1].mean())

    k = len(a)
    boot = [ratio(rng.integers(0, k, k)) for _ in range(draws)]
    return float(ratio(np.arange(k))), float(np.std(boot))


@pytest.mark.parametrize("activation", tl.ACTIVATIONS)
def test_weight_decay_dilutes_without_turning(activation, audit_seed):
    """λ = c_m (‖λW‖²/(c_m²m) ≈ 1): the top-2 share falls by the predicted factor, while the spike
    overlap of the top-2 subspace moves (relatively) less than the share: weight decay dilutes
    both rank-one terms uniformly and does not select a direction."""
    base = audit_seed + OFFSET["reg"]
    clean = sweep_point(activation, "ntk", REG_NU, 0.0, base)
    lam_ = M**-0.5
    wd = sweep_point(activation, "ntk", REG_NU, 0.0, base, reg="wd", reg_strength=lam_)
    params = {**_params(REG_NU, "ntk"), "lam": lam_}
    th = _theory(f"gradient_rank.weight_decay_top2_ratio_{activation}", **params)
    per_seed = np.array([w["F2"] / c["F2"] for w, c in zip(wd, clean)])
    e_top2 = float(np.mean([2 * c["opE2"] / c["G2"] for c in clean]))
    _agree_or_measure(f"gradient_rank.weight_decay_top2_ratio_{activation}", params, theory=th,
          numeric=float(per_seed.mean()), stderr=float(per_seed.std(ddof=1) / np.sqrt(len(per_seed))),
          allowance=(_rel_allowance(REG_NU) + e_top2) * (1 - th), seed=base,
          why_tol=WHY_MC.replace("·|theory|", "·(1 − theory)") + " + the remainder's top-2 share "
          "(measured), both scaled by the predicted drop 1 − theory")
    drop_share = 1 - per_seed.mean()
    drop_spike = 1 - np.mean([w["ovq"] / c["ovq"] for w, c in zip(wd, clean)])
    bound(f"gradient_rank.weight_decay_top2_ratio_{activation}", {**params, "check": "selectivity"},
          value=drop_spike, limit=drop_share, sense="<=", seed=base,
          why_tol="qualitative claim checked as an inequality: relative loss of spike overlap ≤ "
          "relative loss of top-2 share (margin reported)",
          note="weight decay dilutes the rank-one terms rather than turning the spike direction")


@pytest.mark.parametrize("activation", tl.ACTIVATIONS)
def test_input_noise_favours_the_residue(activation, audit_seed):
    """Input noise s² = 1 (one draw per sample) multiplies ‖S‖²/‖R‖² by the predicted factor:
    below 1 for ReLU (the noise joins the bulk residue), above 1 for tanh (the larger pre-activation
    variance lowers κ = E σ′, which scales the residue term but not the spike fluctuation)."""
    base = audit_seed + OFFSET["reg"]
    clean = sweep_point(activation, "ntk", REG_NU, 0.0, base)
    noisy = sweep_point(activation, "ntk", REG_NU, 0.0, base, noise_var=1.0)
    params = _params(REG_NU, "ntk", noise_var=1.0)
    th = _theory(f"gradient_rank.input_noise_balance_{activation}", **params)
    value, se = _boot_ratio(noisy, clean, "S", "R", np.random.default_rng(base))
    _agree_or_measure(f"gradient_rank.input_noise_balance_{activation}", params, theory=th,
          numeric=value, stderr=se, allowance=2 * _rel_allowance(REG_NU) * th, seed=base,
          why_tol=f"ratio of seed-mean ratios: z = {Z:g} bootstrap SE (paired seeds) + twice the "
          "relative finite-size allowance (one per energy ratio)")
    lowers = th < 1
    bound(f"gradient_rank.input_noise_balance_{activation}", {**params, "check": "direction"},
          value=value, limit=1.0, sense="<=" if lowers else ">=", seed=base,
          why_tol="qualitative claim as an inequality: the noise moves ‖S‖²/‖R‖² the way theory says",
          note="ReLU: the noise feeds the residue" if lowers else
          "tanh: the noise lowers κ = E sech² (saturation), shrinking the residue term more")


def test_jacobian_penalty_is_rank_one_on_the_residue_side(audit_seed):
    """ReLU, NTK, λ_J = 1: ∇J is rank one with left vector a (the residue term's left vector);
    added to G it raises the alignment of the top-left singular vector with a and moves the
    residue's right direction out of the top-2 subspace more than the spike's."""
    base = audit_seed + OFFSET["reg"]
    shares, cos_a = [], []
    for s in range(SEEDS):
        data, net, rng = tl.sample(N, D, M, 1.0, base + OFFSET["sweep"] + s)  # ν = 0
        J = tl.jacobian_penalty_gradient(data, net, 1.0)
        u, sv, _ = tl.top_singular(J, 2, rng)
        shares.append(sv[0] ** 2 / float(np.sum(J**2)))
        cos_a.append(abs(u[:, 0] @ net.a) / np.sqrt(M))
    th = _theory("gradient_rank.jacobian_top1_share_relu", m=M)
    zeta = 1.0
    allowance = (1 + zeta**4 / D) / (4 * np.pi**2 * D * 0.25**2) + 1 / N
    agree("gradient_rank.jacobian_top1_share_relu", dict(m=M, d=D, n=N, nu_exp=0.0), theory=th,
          numeric=float(np.mean(shares)), stderr=float(np.std(shares, ddof=1) / np.sqrt(SEEDS)), z=Z,
          allowance=allowance, seed=base,
          why_tol=f"z = {Z:g} SE over {SEEDS} seeds + the energy shares of the neglected neuron-neuron "
          "correlations of σ′: bulk (1/(4π²dκ⁴)), spike-induced (ζ⁴/(4π²d²κ⁴)) and sampling (1/n)")
    bound("gradient_rank.jacobian_top1_share_relu", dict(m=M, check="left vector ∥ a"),
          value=float(np.min(cos_a)) ** 2, limit=th - allowance, sense=">=", seed=base,
          why_tol="cos² of ∇J's top-left singular vector with a/√m is at least the top-1 share "
          "minus the correlation allowance (smallest seed)")
    clean = sweep_point("relu", "ntk", REG_NU, 0.0, base)
    jac = sweep_point("relu", "ntk", REG_NU, 0.0, base, reg="jac", reg_strength=1.0)
    params = dict(_params(REG_NU, "ntk"), lam_jac=1.0)
    ova0, ova1 = np.mean([r["ova"] for r in clean]), np.mean([r["ova"] for r in jac])
    bound("gradient_rank.jacobian_penalty_gradient", {**params, "check": "left alignment with a"},
          value=ova1, limit=ova0, sense=">=", seed=base,
          why_tol="qualitative claim as an inequality: top-2 left subspace of G + ∇J holds more of a")
    d_res = np.mean([c["ovr"] - j["ovr"] for c, j in zip(clean, jac)])
    d_spk = np.mean([abs(c["ovq"] - j["ovq"]) for c, j in zip(clean, jac)])
    bound("gradient_rank.jacobian_penalty_gradient", {**params, "check": "selectivity"},
          value=d_spk, limit=d_res, sense="<=", seed=base,
          why_tol="qualitative claim as an inequality: the residue direction's overlap with the "
          "top-2 right subspace moves more than the spike's")


# -- paper scale: the energies at twice the size, with more seeds --------------------------------
PAPER = dict(n=600, d=800, m=1000, seeds=16)
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
