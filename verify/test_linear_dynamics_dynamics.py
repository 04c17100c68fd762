"""Paper 000 §3.2 and Appendices B-C: decomposed, early-phase, reduced and later-phase dynamics.

Read top-down: (1) the symbolic derivations (Eqs. 9-12 from 6-7, Eq. 35, Eq. 37 = Eq. 17, the
early timescale, Eq. 40 → Eq. 20, Eq. 41); (2) the Bernoulli solution and the fixed point against
high-precision integration of the scalar equations; (3) the full two-layer network, trained from its
loss, against the Bernoulli and reduced dynamics, with the orders in s fitted; (4) the conservation
law; (5) the early timescale against the measured loss drop; (6) the Eq. (20) bound on an 8 × 8 × 3
grid with its assumption checked for three definitions of t1; (7) the ν = 0 cases; (8) the
deviation dynamics of Appendix C; (9) its energy inequality (48)-(49) along the network's flow and
the order in s of the Grönwall bound (50) against the measured deviations.

The numeric side never sees a closed form: coefficients (‖Σxy‖, λ1, λ2, ν) come from the explicit
construction numerics.spiked.appendix_a; the network from numerics.linear_network (loss gradients).
"""

from __future__ import annotations

import math
from functools import lru_cache

import mpmath
import numpy as np
import pytest
import scipy.integrate
import scipy.interpolate
import scipy.optimize
import scipy.stats
import sympy as sp
from sympy.solvers.ode import checkodesol

from numerics import linear_network as net
from numerics.alignment_energy import deviation_energy
from numerics.reduced_ode import Coefficients, bernoulli_mp, fixed_point, reduced_mp, reduced_scipy
from numerics.spiked import appendix_a
from theory import CLAIMS
from theory import linear_dynamics as ld
from theory.symbols import A, delta, rho, s, sigma2, t, tau, u0

from . import _later_phase as lp
from .agreement import agree, bound, measure
from .symbolic import identity

SPOTS = [{sigma2: sp.Rational(37, 10), rho: 20, A: sp.Rational(3, 10)},
         {sigma2: 1, rho: sp.Rational(1, 2), A: sp.Rational(9, 10)}]
G_, L1_ = sp.symbols("G lambda_1", positive=True)   # generic ‖Σxy‖, λ1 for the ODE checks


def spot(claim_id, lhs, rhs, *, points=SPOTS, note=""):
    """lhs = rhs at spot points, both evaluated at 40 digits (for identities SymPy cannot
    reduce symbolically after Appendix A is substituted: nested radicals)."""
    for point in points:
        with mpmath.workdps(40):
            left, right = (mpmath.mpf(sp.Float(sp.N(e.subs(point), 40), 40)._mpf_) for e in (lhs, rhs))
        agree(claim_id, {str(k): float(v) for k, v in point.items()}, theory=left, numeric=right,
              atol=1e-30 * max(1.0, float(abs(left))), note=note,
              why_tol="spot check at 40 digits: residual below 1e-30 of the terms' size")


# =============================================================================================
# (1) symbolic derivations
# =============================================================================================
def test_decomposed_dynamics_rederived_from_gradient_flow():
    """Eqs. (9)-(12) from Eqs. (6)-(7) with Σ̂ → Σ: write W = (w1, …, wd)Vᵀ with the §3.2 basis
    built explicitly (d = 4, m = 2, plane coordinates μ = e1, β = A e1 + √(1 − A²) e2) and project."""
    m_, d_ = 2, 4
    mu = sp.Matrix([1, 0, 0, 0])
    beta = sp.Matrix([A, sp.sqrt(1 - A**2), 0, 0])
    Sigma = sigma2 * (sp.eye(d_) + rho * mu * mu.T)
    Sxy = Sigma * beta
    v1 = Sxy / sp.sqrt(sp.expand(Sxy.dot(Sxy)))
    v2 = sp.Matrix([-v1[1], v1[0], 0, 0])
    V = sp.Matrix.hstack(v1, v2, sp.Matrix([0, 0, 1, 0]), sp.Matrix([0, 0, 0, 1]))
    Wt = sp.Matrix(m_, d_, lambda i, j: sp.Symbol(f"w{j + 1}_{i + 1}", real=True))  # columns w_j
    a = sp.Matrix(m_, 1, lambda i, _: sp.Symbol(f"a_{i + 1}", real=True))
    W = Wt * V.T
    dW = a * (Sxy.T - a.T * W * Sigma)                                 # Eq. (6), τ·dW/dt
    da = W * (Sxy - Sigma * W.T * a)                                   # Eq. (7), τ·da/dt
    rhs = ld.decomposed_rhs_of(a, Wt[:, 0], Wt[:, 1], Wt[:, 2:], G=ld.sigma_xy_norm,
                               l1=ld.lambda1, l2=ld.lambda2, nu_=ld.nu, s2=sigma2)
    projected = ((dW * V)[:, 0], (dW * V)[:, 1], (dW * V)[:, 2:], da)
    state = {sym: sp.Rational(k + 2, 7) * (-1) ** k for k, sym in
             enumerate(sorted(Wt.free_symbols | a.free_symbols, key=str))}
    for name, got, want in zip(("Eq. (9)", "Eq. (10)", "Eq. (11)", "Eq. (12)"), projected, rhs):
        for g, w in zip(got, sp.Matrix(want)):
            # the entries are polynomials in the weights: compare coefficient by coefficient
            diff = sp.Poly(sp.expand(g - w), *sorted(state, key=str))
            coeffs = [sp.radsimp(sp.cancel(sp.together(cf))) for cf in diff.coeffs()]
            identity("linear_dynamics.decomposed_rhs", sum(cf**2 for cf in coeffs), 0,
                     spot_points=SPOTS, note=f"{name}: sum of squared coefficient differences")


def test_reduced_rhs_from_decomposed_under_alignment():
    """Eqs. (18)-(19) from Eqs. (9)-(10) with a = r r̂1, w1 = w1 r̂1, w2 = w2 r̂1 (m = 1 suffices:
    only inner products with a enter) and r² = w1² + w2² (conservation law, traced)."""
    r = sp.sqrt(ld.w1**2 + ld.w2**2)
    one = lambda v: sp.Matrix([[v]])  # noqa: E731
    rhs = ld.decomposed_rhs_of(one(r), one(ld.w1), one(ld.w2), sp.zeros(1, 1), G=ld.sigma_xy_norm,
                               l1=ld.lambda1, l2=ld.lambda2, nu_=ld.nu, s2=sigma2)
    for k, (got, want) in enumerate(zip(rhs[:2], ld.reduced_rhs), start=18):
        identity("linear_dynamics.reduced_rhs", got[0, 0], want, note=f"Eq. ({k}) from Eq. ({k - 9})",
                 spot_points=[{**p, ld.w1: sp.Rational(1, 3), ld.w2: sp.Rational(-1, 5)} for p in SPOTS])


def test_reduced_rhs_matches_the_integrated_right_hand_side():
    """The theory's Eqs. (18)-(19) against numerics.reduced_ode.reduced_rhs (written separately
    from the paper) at random states, coefficients from the construction."""
    from numerics.reduced_ode import reduced_rhs as numeric_rhs
    c = _coeffs_mp("1", "20", "0.3")
    f = sp.lambdify((ld.w1, ld.w2), [e.subs({sigma2: 1, rho: 20, A: sp.Rational(3, 10)})
                                     for e in ld.reduced_rhs], "mpmath")
    rng = np.random.default_rng(11)
    with mpmath.workdps(40):
        worst = max(abs(th - nm) for x1, x2 in rng.uniform(-1, 1, (5, 2))
                    for th, nm in zip(f(mpmath.mpf(x1), mpmath.mpf(x2)),
                                      numeric_rhs(mpmath.mpf(x1), mpmath.mpf(x2), c, 1)))
    agree("reference.linear_dynamics.reduced_rhs_transcription", {"rho": 20, "A": 0.3, "points": 5},
          theory=0, numeric=worst, atol=1e-30, role="reference", evidence="high-precision",
          why_tol="40-digit evaluation of O(10) terms: residual < 1e-30", seed=11,
          note="the paper's Eqs. (18)-(19) as encoded vs as transcribed in numerics: both sides "
          "are the printed equation, so this checks the transcription, not the claim")


def test_conservation_law_holds_identically():
    """τ d/dt (aaᵀ − WWᵀ) = 0 for any a, W, symmetric Σ and Sxy (m = 3, d = 3, all symbols)."""
    m_, d_ = 3, 3
    W = sp.Matrix(m_, d_, lambda i, j: sp.Symbol(f"W{i}{j}"))
    a = sp.Matrix(m_, 1, lambda i, _: sp.Symbol(f"a{i}"))
    S = sp.Matrix(d_, d_, lambda i, j: sp.Symbol(f"S{min(i, j)}{max(i, j)}"))
    Sxy = sp.Matrix(d_, 1, lambda i, _: sp.Symbol(f"c{i}"))
    drift = ld.conservation_rhs_of(a, W, S, Sxy).applyfunc(sp.expand)
    identity("linear_dynamics.conservation_law", sum(e**2 for e in drift), 0,
             note="all entries of τ d/dt(aaᵀ − WWᵀ) expand to 0")


def test_eq35_solves_eq34():
    w, a_ = ld.early_linear_solution
    G = ld.sigma_xy_norm
    spots = [{**p, tau: 2, t: sp.Rational(1, 3), ld.r10: sp.Rational(1, 10**5),
              ld.q10: -sp.Rational(3, 10**5)} for p in SPOTS]
    identity("linear_dynamics.early_linear_solution", tau * sp.diff(w, t), G * a_, spot_points=spots,
             note="τ dw1/dt = ‖Σxy‖ a")
    identity("linear_dynamics.early_linear_solution", tau * sp.diff(a_, t), G * w, spot_points=spots,
             note="τ da/dt = ‖Σxy‖ w1")
    identity("linear_dynamics.early_linear_solution", w.subs(t, 0) + a_.subs(t, 0), 2 * ld.r10,
             note="w1(0) + a(0) = 2 r1")


def test_eq37_solves_eq36_and_equals_eq17():
    """checkodesol on the Bernoulli equation with generic G, λ1 > 0, then with Appendix A."""
    u = sp.Function("u")
    generic = ld.bernoulli_u_in(G_, L1_)
    ode = sp.Eq(tau * u(t).diff(t), G_ * u(t) - L1_ * u(t) ** 3)
    ok, residual = checkodesol(ode, sp.Eq(u(t), generic))
    agree("linear_dynamics.bernoulli_u", {"check": "checkodesol Eq. (36)"}, theory=0,
          numeric=0 if ok else 1, why_tol="exact: checkodesol substitutes and simplifies to 0",
          note=f"residual {residual}")
    identity("linear_dynamics.bernoulli_u", generic.subs(t, 0), u0, note="u(0) = u0")
    identity("linear_dynamics.bernoulli_u", generic, ld.bernoulli_u_eq17_in(G_, L1_),
             note="Eq. (37) = Eq. (17), generic G, λ1")
    spot("linear_dynamics.bernoulli_u", ld.bernoulli_u, ld.bernoulli_u_eq17,
         points=[{**p, tau: 2, u0: sp.Rational(1, 1000), t: sp.Rational(3, 2)} for p in SPOTS],
         note="Eq. (37) = Eq. (17) with Appendix A substituted")


def test_early_timescale_is_where_the_initial_term_of_eq37_reaches_one():
    """With u(0) = s, the term (‖Σxy‖/λ1)u(0)⁻²e^{−2‖Σxy‖t/τ} of Eq. (17) equals 1 at the early
    timescale; the loss-midpoint time solves L(u²) = (L(0) + plateau)/2 exactly under Eq. (37)."""
    G, l1 = ld.sigma_xy_norm, ld.lambda1
    term = (G / l1) * s**-2 * sp.exp(-2 * G * t / tau)
    identity("linear_dynamics.early_timescale", term.subs(t, ld.early_timescale), 1,
             spot_points=[{**p, tau: 3, s: sp.Rational(1, 10**5)} for p in SPOTS])
    u2 = sp.Symbol("u2", positive=True)
    loss_drop = -2 * G_ * u2 + L1_ * u2**2            # L − βᵀΣβ with aᵀW = u²v1ᵀ
    mid = [r for r in sp.solve(sp.Eq(loss_drop, -G_**2 / (2 * L1_)), u2) if r.subs({G_: 1, L1_: 1}) < 1]
    at_mid = ld.bernoulli_u_in(G_, L1_) ** 2
    t_mid = ld.early_loss_midpoint_in(G_, L1_)
    identity("linear_dynamics.early_loss_midpoint", at_mid.subs(t, t_mid), mid[0],
             spot_points=[{G_: 7, L1_: 20, tau: 2, u0: sp.Rational(1, 1000)}],
             note="u(t_mid)² = (1 − 1/√2)‖Σxy‖/λ1, the loss midpoint")


def test_eq40_antiderivative_and_eq20():
    """d/dx of the printed antiderivative is the integrand of Eq. (40); evaluated from 0 to
    (1 − e^{−δ})w2* with Eq. (41) it is Eq. (20) (generic c = ν/λ2, λ2)."""
    c, L = ld.c_ratio, ld.l2_sym
    F, f = ld.later_phase_antiderivative_in(c, L), ld.later_phase_integrand_in(c, L)
    spots = [{c: sp.Rational(2, 1), L: sp.Rational(3, 2), ld.w1s: sp.Rational(1, 2),
              ld.x: sp.Rational(1, 3)}]
    identity("linear_dynamics.later_phase_antiderivative", sp.diff(F, ld.x), f, spot_points=spots)
    identity("linear_dynamics.later_phase_bound", ld.derive_bound(c, L), ld.later_phase_bound_in(c, L),
             spot_points=[{c: 2, L: sp.Rational(3, 2), tau: 1, delta: 3}])


def test_nu_over_lambda2_in_lowest_terms():
    """The later-phase claims use ν/λ2 = ρA√(1 − A²)/(1 + ρA²); it equals Eq. (33)/Eq. (32)."""
    identity("linear_dynamics.later_phase_bound", sp.cancel(sp.together(ld.nu / ld.lambda2
                                                                        - ld.nu_over_lambda2)), 0,
             note="ν/λ2 of Appendix A in lowest terms")
    spot("linear_dynamics.later_phase_bound", ld.nu / ld.lambda2, ld.nu_over_lambda2,
         note="ν/λ2 at 40 digits")


def test_fixed_point_eq41():
    """w1*, w2* of Eq. (41) equal v1ᵀβ, v2ᵀβ (both ≥ 0, compared squared: SymPy cannot denest the
    radicals otherwise), zero Eqs. (18)-(19), and reproduce β: r(w1 v1 + w2 v2) = β with r = 1."""
    v1b, v2b = ld.derive_fixed_point()
    for cid, star, ref in (("linear_dynamics.w1_star", ld.w1_star, v1b),
                           ("linear_dynamics.w2_star", ld.w2_star, v2b)):
        identity(cid, sp.cancel(sp.together(star**2 - ref**2)), 0,
                 note="(Eq. 41)² − (viᵀβ)² cancels to 0; both sides ≥ 0 on the domain")
        spot(cid, star, ref, note="Eq. (41) vs viᵀβ, unsquared")
    at_star = {ld.w1: v1b, ld.w2: v2b}
    for k, rhs in enumerate(ld.reduced_rhs, start=18):
        identity("linear_dynamics.w1_star", sp.cancel(sp.together(sp.radsimp(rhs.subs(at_star)))), 0,
                 spot_points=SPOTS, note=f"Eq. ({k}) vanishes at (v1ᵀβ, v2ᵀβ)")
    identity("linear_dynamics.w1_star", v1b**2 + v2b**2, 1, spot_points=SPOTS, note="r* = 1")
    # β = r*(w1* v1 + w2* v2) in the plane coordinates of Appendix A (μ = e1)
    beta = sp.Matrix([A, sp.sqrt(1 - A**2)])
    Sxy = sigma2 * sp.Matrix([(1 + rho) * A, sp.sqrt(1 - A**2)])
    v1 = Sxy / sp.sqrt(sp.expand(Sxy.dot(Sxy)))
    v2 = sp.Matrix([-v1[1], v1[0]])
    r_star = sp.sqrt(ld.w1_star**2 + ld.w2_star**2)
    rebuilt = r_star * (ld.w1_star * v1 + ld.w2_star * v2)
    for k, name in enumerate(("μ", "μ⊥")):
        spot("linear_dynamics.w2_star", rebuilt[k], beta[k],
             note=f"{name}-component of r*(w1* v1 + w2* v2) = β")


def test_no_later_phase_when_nu_vanishes():
    """ν = 0 at A = 0, A = 1 and ρ = 0, and then Eq. (19) is τẇ2 = −λ2 w2 r²: w2 w2' ≤ 0."""
    for point in ({A: 0}, {A: 1}, {rho: 0}):
        identity("linear_dynamics.no_later_phase", ld.nu.subs(point), 0,
                 note=f"ν at {point}")
        identity("linear_dynamics.no_later_phase", ld.reduced_rhs[1].subs(ld.nu, 0),
                 CLAIMS["linear_dynamics.no_later_phase"].expr, note="Eq. (19) at ν = 0")
    identity("linear_dynamics.no_later_phase", ld.w2 * CLAIMS["linear_dynamics.no_later_phase"].expr,
             -ld.lambda2 * ld.w2**2 * (ld.w1**2 + ld.w2**2),
             note="w2·τẇ2 = −λ2 w2²(w1² + w2²) ≤ 0 since λ2 ≥ σ² > 0: |w2| never grows")


# =============================================================================================
# (2) high-precision integration of the scalar equations
# =============================================================================================
MP_POINTS = [dict(sigma2="1", rho="20", A="0.3", tau="1", u0="1e-5"),
             pytest.param(dict(sigma2="3.7", rho="0.5", A="0.9", tau="2.5", u0="0.001"),
                          marks=pytest.mark.paper_scale)]
MP_DPS, MP_RTOL = 35, 1e-30
WHY_MP = ("precision: odefun's Taylor steps at 35 digits (local tolerance 1e-35), coefficients "
          "from the construction at 30 + 15 digits; ≥ 30 digits survive: rtol 1e-30")


@lru_cache(maxsize=None)
def _coeffs_mp(sigma2_, rho_, A_, prec=45):
    b = appendix_a(sigma2_, rho_, A_, d=4, seed=1, prec=prec)
    return Coefficients(b.sigma_xy_norm, b.lambda1, b.lambda2, b.nu)


@pytest.mark.parametrize("point", MP_POINTS, ids=["rho=20-A=0.3", "rho=0.5-A=0.9"])
def test_bernoulli_solution_matches_high_precision_ode(point):
    claim = CLAIMS["linear_dynamics.bernoulli_u"]
    c = _coeffs_mp(point["sigma2"], point["rho"], point["A"])
    t_e = float(CLAIMS["linear_dynamics.early_timescale"].evaluate(
        prec=20, sigma2=point["sigma2"], rho=point["rho"], A=point["A"], tau=point["tau"],
        s=point["u0"]))
    times = ["0.25", mpmath.nstr(t_e, 6), mpmath.nstr(1.5 * t_e, 6)]
    with mpmath.workdps(MP_DPS):
        numeric = bernoulli_mp(mpmath.mpf(point["u0"]), c, mpmath.mpf(point["tau"]),
                               [mpmath.mpf(x) for x in times], dps=MP_DPS)
    for tt, num in zip(times, numeric):
        agree(claim.id, {**point, "t": tt}, theory=claim.evaluate(prec=50, **point, t=tt),
              numeric=num, rtol=MP_RTOL, evidence="high-precision", why_tol=WHY_MP)


def test_fixed_point_and_reduced_ode_at_high_precision():
    """Newton on Eqs. (18)-(19) (30 digits) and a long SciPy path both give Eq. (41)."""
    point = dict(sigma2="1", rho="20", A="0.3")
    c = _coeffs_mp(point["sigma2"], point["rho"], point["A"])
    w1n, w2n = fixed_point(c)
    th1 = CLAIMS["linear_dynamics.w1_star"].evaluate(prec=30, **point)
    th2 = CLAIMS["linear_dynamics.w2_star"].evaluate(prec=30, **point)
    why = "Newton in mpmath at 30 digits, returned as float64: rtol 4 ulp"
    agree("linear_dynamics.w1_star", {**point, "method": "Newton"}, theory=th1, numeric=w1n,
          rtol=1e-15, evidence="high-precision", why_tol=why)
    agree("linear_dynamics.w2_star", {**point, "method": "Newton"}, theory=th2, numeric=w2n,
          rtol=1e-15, evidence="high-precision", why_tol=why)
    # the SciPy path over a long horizon converges to the same point
    cf = Coefficients(*(float(v) for v in (c.G, c.lambda1, c.lambda2, c.nu)))
    w1t, w2t = reduced_scipy(1e-3, 0.0, cf, 1.0, 40.0).limit
    why = ("SciPy path at t = 40τ: distance to the fixed point ~e^{-40·1.2} plus the path's "
           "global error (rtol 1e-11): atol 1e-9")
    agree("linear_dynamics.w1_star", {**point, "method": "SciPy path t=40"}, theory=th1,
          numeric=w1t, atol=1e-9, evidence="high-precision", why_tol=why)
    agree("linear_dynamics.w2_star", {**point, "method": "SciPy path t=40"}, theory=th2,
          numeric=w2t, atol=1e-9, evidence="high-precision", why_tol=why)


def test_scipy_reduced_path_matches_mpmath():
    """The SciPy path used for long horizons agrees with the 30-digit mpmath path."""
    point = dict(sigma2="1", rho="20", A="0.3")
    c = _coeffs_mp(point["sigma2"], point["rho"], point["A"])
    times = [1.0, 2.0, 3.0]
    ref = reduced_mp("1e-3", 0, c, 1, times, dps=20)
    cf = Coefficients(*(float(v) for v in (c.G, c.lambda1, c.lambda2, c.nu)))
    path = reduced_scipy(1e-3, 0.0, cf, 1.0, 5.0)
    got1, got2 = path.at(times)
    for k, tt in enumerate(times):
        for comp, ref_v, got in (("w1", ref[k][0], got1[k]), ("w2", ref[k][1], got2[k])):
            agree("reference.linear_dynamics.reduced_scipy_vs_mpmath",
                  {**point, "t": tt, "component": comp}, theory=ref_v, numeric=got, atol=1e-9,
                  role="reference", evidence="high-precision",
                  why_tol="DOP853 at rtol 1e-11 over ~10³ steps: global error < 1e-9 (the mpmath "
                  "reference at 20 digits is exact at this scale)",
                  note="SciPy (numeric) vs mpmath 20 digits (in the theory column)")


# =============================================================================================
# (3) the full network against the Bernoulli and reduced dynamics
# =============================================================================================
M_NET, D_NET = 50, 30
#: the O(s) fits: s ∈ {1e-3 … 1e-6} as the issue asks, plus 1e-2 for the quantities that turn out
#: to be O(s²) (their s = 1e-5, 1e-6 values sink into the integration floor)
S_VALUES = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6)
S_NU0 = (1e-3, 1e-4, 1e-5)
NET_CASES = {  # name: (ρ, A, horizon t/τ, rtol)
    "paper": (20.0, 0.3, 12.0, 1e-13),
    "A=0": (20.0, 0.0, 20.0, 1e-11),
    "A=1": (20.0, 1.0, 4.0, 1e-11),
    "rho=0": (0.0, 0.3, 20.0, 1e-11),
}
#: with rtol 1e-13 the network–reduced deviations stop shrinking at 4e-11 … 2e-10 (observed
#: plateau); points below 10 × 1e-10 are integration error, not the s-dependence being fitted
INTEGRATION_FLOOR = 1e-10


@lru_cache(maxsize=None)
def _network(case: str, s_: float, seed: int):
    rho_, A_, horizon, rtol = NET_CASES[case]
    problem = net.spiked_problem(1.0, rho_, A_, D_NET, np.random.default_rng(seed))
    W0, a0 = net.init_weights(M_NET, D_NET, s_, np.random.default_rng(seed + 1))
    te = np.linspace(0.0, horizon, int(100 * horizon) + 1)
    traj = net.gradient_flow(W0, a0, problem.population, 1.0, te, rtol=rtol)
    return problem, traj, net.projections(traj, problem)


def matched_initial_conditions(u0_: float, w2_0: float) -> tuple[float, float]:
    """Initial conditions of Eqs. (18)-(19) matching the network.

    The network's w1 and a grow as r1 e^{Gt/τ} (Eq. 35), so the reduced path must have the same
    growing amplitude ‖r1‖ = u0, and w2 starts at the network's r̂1ᵀW(0)v2. While w2 ≈ const
    (its drift is O(s³)), Eq. (18) is τẇ1 = G√(w1² + w2²), solved by w1 = |w2| sinh(Gt/τ + c),
    whose growing amplitude is |w2|e^c/2; setting it to u0 gives w1(0) = u0 − w2(0)²/(4u0).
    (Starting from w1(0) = u0 instead shifts the growing mode by a relative (w2/u0)²/4 = O(1) in s
    and leaves an s-independent deviation: test_unmatched_start_leaves_an_s_independent_deviation.)"""
    return u0_ - w2_0**2 / (4 * u0_), w2_0


def _matched_reduced(problem, proj, horizon, rtol):
    c = Coefficients(problem.G, problem.lambda1, problem.lambda2, problem.nu)
    w10, w20 = matched_initial_conditions(proj.u0, proj.w2_0)
    return reduced_scipy(w10, w20, c, 1.0, horizon, rtol=rtol)


def fitted_order(s_values, deviations):
    """Slope of log(deviation) against log(s), with its 95% confidence half-width."""
    if len(s_values) < 3:
        raise ValueError(f"an order fit with a confidence interval needs >= 3 points, got {len(s_values)}")
    res = scipy.stats.linregress(np.log(s_values), np.log(deviations))
    half = scipy.stats.t.ppf(0.975, len(s_values) - 2) * res.stderr
    return float(res.slope), float(half)


ORDER_ALLOWANCE = 0.02
WHY_ORDER = ("fitted exponent: 95% CI half-width (t-quantile × SE of the slope) + 0.02 for "
             "pre-asymptotic terms (the next order is relatively O(s) ≤ 1e-2 at the largest s, "
             "moving the log-log slope by < 0.01)")


def _deviations(case, seed):
    """Max over the path of |network projection − reduced path| and of the deviation vectors.
    'late' = after the decaying mode q1 e^{−Gt/τ} of Eq. (35) has died (t ≥ 10τ/G)."""
    rows = {}
    for s_ in S_VALUES:
        problem, traj, proj = _network(case, s_, seed)
        red = _matched_reduced(problem, proj, traj.t[-1], NET_CASES[case][3])
        r1, r2 = red.at(traj.t)
        late = traj.t >= 10 / problem.G
        d1, d2 = np.abs(proj.p1 - r1), np.abs(proj.p2 - r2)
        rows[s_] = {
            "w1 (whole path)": d1.max(), "w1 (t ≥ 10τ/G)": d1[late].max(),
            "w2 (whole path)": d2.max(),
            "‖P⊥a‖": np.max(proj.orth_a), "‖P⊥w1‖": np.max(proj.orth_w1),
            "‖P⊥w2‖": np.max(proj.orth_w2), "‖(w3…wd)‖": np.max(proj.rest),
        }
    return rows


#: quantity -> the order Appendix C implies, and whether it is asserted as = 1 or as ≥ 1
EXPECTED_ORDER = {
    "w1 (whole path)": "=1",      # the decaying mode of Eq. (35) is O(s) at t = 0
    "w1 (t ≥ 10τ/G)": ">=1",      # measured O(s²): Appendix C's O(s) is conservative here
    "w2 (whole path)": ">=1",     # measured O(s²)
    "‖P⊥a‖": "=1", "‖P⊥w1‖": "=1", "‖P⊥w2‖": "=1", "‖(w3…wd)‖": "=1",
}


@pytest.mark.parametrize("quantity", list(EXPECTED_ORDER))
def test_reduced_dynamics_track_the_network_to_order_s(quantity, audit_seed):
    """Appendix C: the network stays aligned with r̂1 up to O(s) and its projections r̂1ᵀWv1,
    r̂1ᵀWv2 follow Eqs. (18)-(19) up to O(s). Each deviation's order in s is fitted."""
    seed = audit_seed + 301
    rows = _deviations("paper", seed)
    pts = [(s_, rows[s_][quantity]) for s_ in S_VALUES if rows[s_][quantity] > 10 * INTEGRATION_FLOOR]
    ss, dev = zip(*pts)
    slope, half = fitted_order(ss, dev)
    params = {"rho": 20, "A": 0.3, "m": M_NET, "d": D_NET, "quantity": quantity}
    extra = {"s": list(ss), "deviation": [float(v) for v in dev], "ci95": half}
    note = (f"fitted order {slope:.3f} ± {half:.3f} over s = {ss[0]:g} … {ss[-1]:g}; "
            f"deviation/s at the smallest s: {dev[-1] / ss[-1]:.3g}")
    if EXPECTED_ORDER[quantity] == "=1":
        agree("linear_dynamics.reduced_rhs", params, theory=1.0, numeric=slope,
              atol=half + ORDER_ALLOWANCE, evidence="fitted rate", why_tol=WHY_ORDER, seed=seed, extra=extra, note=note)
    else:
        bound("linear_dynamics.reduced_rhs", params, value=slope, limit=1.0, sense=">=",
              atol=half + ORDER_ALLOWANCE, evidence="fitted rate", why_tol=WHY_ORDER, seed=seed, extra=extra,
              note=note + " (at least O(s) claimed; O(s²) measured)")


def test_unmatched_start_leaves_an_s_independent_deviation(audit_seed):
    """Starting the reduced path at (u0, w2(0)) instead of the matched point: the deviation after
    the transient does not shrink with s (order ≈ 0): the matching is what makes O(s) hold."""
    seed = audit_seed + 301
    devs = []
    for s_ in S_VALUES[1:]:
        problem, traj, proj = _network("paper", s_, seed)
        c = Coefficients(problem.G, problem.lambda1, problem.lambda2, problem.nu)
        r1, _ = reduced_scipy(proj.u0, proj.w2_0, c, 1.0, traj.t[-1]).at(traj.t)
        devs.append(np.max(np.abs(proj.p1 - r1)[traj.t >= 10 / problem.G]))
    slope, half = fitted_order(S_VALUES[1:], devs)
    agree("linear_dynamics.reduced_rhs", {"rho": 20, "A": 0.3, "start": "w1(0) = u0 (unmatched)"},
          theory=1.0, numeric=slope, atol=half + ORDER_ALLOWANCE, evidence="fitted rate", why_tol=WHY_ORDER, seed=seed,
          expect="disagree", extra={"deviation": [float(v) for v in devs]},
          note=f"order {slope:.3f}: the deviation stays ≈ {devs[-1]:.2g} for all s")


def _bernoulli_numpy(problem, u0_, times):
    """Eq. (37) through the registered claim, lambdified (theory side)."""
    f = sp.lambdify((sigma2, rho, A, tau, u0, t), CLAIMS["linear_dynamics.bernoulli_u"].expr, "numpy")
    return f(problem.sigma2, problem.rho, problem.A, 1.0, u0_, times)


@pytest.mark.parametrize("case", ["A=0", "A=1", "rho=0"])
def test_bernoulli_follows_the_network_to_order_s_when_nu_vanishes(case, audit_seed):
    """ν = 0: Eq. (17) with u(0) = ‖r1‖ follows r̂1ᵀWv1 to O(s) uniformly in time."""
    seed = audit_seed + 302
    devs = []
    for s_ in S_NU0:
        problem, traj, proj = _network(case, s_, seed)
        devs.append(np.max(np.abs(proj.p1 - _bernoulli_numpy(problem, proj.u0, traj.t))))
    slope, half = fitted_order(S_NU0, devs)
    rho_, A_, horizon, _ = NET_CASES[case]
    agree("linear_dynamics.bernoulli_u", {"rho": rho_, "A": A_, "t_max": horizon}, theory=1.0,
          numeric=slope, atol=half + ORDER_ALLOWANCE, evidence="fitted rate", why_tol=WHY_ORDER, seed=seed,
          extra={"s": list(S_NU0), "deviation": [float(v) for v in devs]},
          note=f"order {slope:.4f} ± {half:.4f}; max deviation / s = {devs[-1] / S_NU0[-1]:.3g}")


def test_bernoulli_misses_the_network_by_an_s_independent_amount_when_nu_is_positive(audit_seed):
    """Eq. (16) says '+ O(s)'. For ν > 0 the w2 component grows like ν∫u³dt during the transition
    (not at its O(s) initial scale, as §3.2.1 states), and Eq. (17) misses r̂1ᵀWv1 already before
    the early timescale by an amount that does not shrink with s."""
    seed = audit_seed + 301
    devs, w2_growth = [], []
    for s_ in S_VALUES[1:]:
        problem, traj, proj = _network("paper", s_, seed)
        t_e = float(CLAIMS["linear_dynamics.early_timescale"].evaluate(
            prec=20, sigma2=1, rho=20, A="0.3", tau=1, s=s_))
        upto = traj.t <= t_e
        devs.append(np.max(np.abs(proj.p1 - _bernoulli_numpy(problem, proj.u0, traj.t))[upto]))
        w2_growth.append(np.max(np.abs(proj.p2 - proj.w2_0)[upto]))
    slope, half = fitted_order(S_VALUES[1:], devs)
    agree("linear_dynamics.bernoulli_u", {"rho": 20, "A": 0.3, "window": "t ≤ early timescale"},
          theory=1.0, numeric=slope, atol=half + ORDER_ALLOWANCE, evidence="fitted rate", why_tol=WHY_ORDER, seed=seed,
          expect="disagree", extra={"deviation": [float(v) for v in devs],
                                    "w2 growth": [float(v) for v in w2_growth]},
          note=f"order {slope:.3f}: max |r̂1ᵀWv1 − u| up to the early timescale ≈ {devs[-1]:.2g} "
          f"for every s; w2 grows by ≈ {w2_growth[-1]:.2g} there (not O(s))")


def test_network_reaches_the_fixed_point_and_a_W_reaches_beta(audit_seed):
    seed = audit_seed + 303
    problem, traj, proj = _network("paper", 1e-5, seed)
    point = dict(sigma2="1", rho="20", A="0.3")
    # distance to the fixed point at t = 12τ: ~e^{−12·λ_slow} with λ_slow ≈ 1.3 measured on the
    # reduced path, plus O(s) = 1e-5
    why = "O(s) = 1e-5 from the alignment + residual convergence at t = 12τ (< 1e-6): atol 3e-5"
    agree("linear_dynamics.w1_star", {**point, "s": 1e-5, "t": 12}, numeric=proj.p1[-1],
          theory=CLAIMS["linear_dynamics.w1_star"].evaluate(prec=20, **point), atol=3e-5,
          evidence="trained network", why_tol=why, seed=seed, note="network r̂1ᵀWv1 at the end of training")
    agree("linear_dynamics.w2_star", {**point, "s": 1e-5, "t": 12}, numeric=proj.p2[-1],
          theory=CLAIMS["linear_dynamics.w2_star"].evaluate(prec=20, **point), atol=3e-5,
          evidence="trained network", why_tol=why, seed=seed, note="network r̂1ᵀWv2 at the end of training")
    miss = np.linalg.norm(net.end_to_end(traj)[-1] - problem.beta)
    agree("linear_dynamics.w1_star", {**point, "quantity": "‖aᵀW − β‖"}, theory=0, numeric=miss,
          atol=1e-6, evidence="trained network", why_tol="convergence at t = 12τ: residual < 1e-6 (exponential, rate ≥ 1.3/τ)",
          seed=seed, note="aᵀW → βᵀ (β = w1* v1 + w2* v2 at r* = 1)")


def test_decomposed_rhs_matches_the_loss_gradient(audit_seed):
    """Eqs. (9)-(12) against −½∇L of the network at a random state, projected on the basis V."""
    seed = audit_seed + 304
    rng = np.random.default_rng(seed)
    problem = net.spiked_problem(1.0, 20.0, 0.3, 8, rng)
    W, a = net.init_weights(5, 8, 0.7, rng)
    gW, ga = net.gradients(W, a, problem.population)
    V = np.linalg.qr(np.column_stack([problem.v1, problem.v2, rng.standard_normal((8, 6))]))[0]
    V[:, :2] = np.column_stack([problem.v1, problem.v2])
    Wt = W @ V
    th = ld.decomposed_rhs_of(sp.Matrix(a), sp.Matrix(Wt[:, 0]), sp.Matrix(Wt[:, 1]),
                              sp.Matrix(Wt[:, 2:]), G=CLAIMS["linear_dynamics.sigma_xy_norm"].evaluate(
                                  prec=20, sigma2=1, rho=20, A="0.3"),
                              l1=CLAIMS["linear_dynamics.lambda1"].evaluate(prec=20, sigma2=1, rho=20, A="0.3"),
                              l2=CLAIMS["linear_dynamics.lambda2"].evaluate(prec=20, sigma2=1, rho=20, A="0.3"),
                              nu_=CLAIMS["linear_dynamics.nu"].evaluate(prec=20, sigma2=1, rho=20, A="0.3"),
                              s2=1)
    num = ((-0.5 * gW) @ V[:, [0]], (-0.5 * gW) @ V[:, [1]], (-0.5 * gW) @ V[:, 2:], -0.5 * ga[:, None])
    worst = max(float(np.max(np.abs(np.array(sp.Matrix(t_), dtype=float) - n_))) for t_, n_ in zip(th, num))
    agree("linear_dynamics.decomposed_rhs", {"rho": 20, "A": 0.3, "m": 5, "d": 8}, theory=0,
          numeric=worst, atol=1e-12, seed=seed,
          why_tol="float64 gradient of O(1) entries, d = 8: rounding < 1e-13; atol 1e-12",
          note="max entry-wise |Eqs. (9)-(12) − (−½∇L in basis V)|")


# =============================================================================================
# (4) conservation law
# =============================================================================================
def test_conservation_law_under_gradient_flow(audit_seed):
    seed = audit_seed + 301
    for s_ in (1e-3, 1e-5):
        _, traj, proj = _network("paper", s_, seed)
        scale = float(np.max(np.sum(traj.a**2, axis=1)))
        agree("linear_dynamics.conservation_law", {"rho": 20, "A": 0.3, "s": s_, "method": "flow"},
              theory=0, numeric=float(np.max(proj.conservation)), atol=1e-9 * scale, seed=seed,
              evidence="trained network", why_tol="DOP853 at rtol 1e-11, ~3·10³ steps: accumulated drift < 1e-9 of ‖a‖²")


def test_conservation_drift_is_first_order_in_eta_under_gradient_descent(audit_seed):
    """Full-batch gradient descent on n = 10⁴ samples (the paper's training) drifts by
    η²(g_a g_aᵀ − g_W g_Wᵀ) per step: O(η) at fixed t/τ = 6."""
    seed = audit_seed + 305
    problem = net.spiked_problem(1.0, 20.0, 0.3, D_NET, np.random.default_rng(seed))
    data = net.sample(problem, 10_000, np.random.default_rng(seed + 2))
    W0, a0 = net.init_weights(M_NET, D_NET, 1e-3, np.random.default_rng(seed + 1))
    etas = (0.005, 0.0025, 0.00125, 0.000625)
    drifts = []
    for eta in etas:
        steps = int(round(6 / (2 * eta)))
        traj = net.gradient_descent(W0, a0, data.moments, eta, steps, every=steps)
        C = np.outer(traj.a[-1], traj.a[-1]) - traj.W[-1] @ traj.W[-1].T
        C0 = np.outer(a0, a0) - W0 @ W0.T
        drifts.append(float(np.linalg.norm(C - C0)))
    slope, half = fitted_order(etas, drifts)
    agree("linear_dynamics.conservation_law", {"rho": 20, "A": 0.3, "method": "GD", "n": 10_000,
                                               "t/tau": 6},
          theory=1.0, numeric=slope, atol=half + 0.06, seed=seed,
          evidence="fitted rate", why_tol="fitted order in η over η ∈ {5e-3 … 6.25e-4}: 95% CI + 0.06 for the O(η²) "
          "term, relatively η·(largest loss curvature ≈ 2λmax·‖a‖² ≤ 12) ≤ 0.06",
          extra={"eta": list(etas), "drift": drifts}, note=f"order {slope:.3f} ± {half:.3f}")


# =============================================================================================
# (5) early timescale against the measured loss drop
# =============================================================================================
def test_early_timescale_against_the_loss_drop(audit_seed):
    """Measured: first time the network's loss is halfway between L(0) and the early plateau
    βᵀΣβ − G²/λ1 (moments and G, λ1 from the numerics). early_loss_midpoint: that time itself
    (asserted for ν = 0, recorded for ν > 0). early_timescale: its shift between two initial
    scales, τ/‖Σxy‖·log(s1/s2); the s-independent offset cancels there, so the printed timescale
    is right to leading order in log(1/s)."""
    seed = audit_seed + 301
    drops = {}
    for case in ("A=1", "paper"):
        rho_, A_, _, _ = NET_CASES[case]
        scales = (1e-3, 1e-6) if case == "paper" else (1e-3, 1e-5)
        for s_ in scales:
            problem, traj, proj = _network(case, s_, seed)
            L = net.losses(traj, problem.population)
            plateau = problem.population.Syy - problem.G**2 / problem.lambda1
            target = (L[0] + plateau) / 2
            k = int(np.nonzero(L <= target)[0][0])
            spline = scipy.interpolate.CubicSpline(traj.t, L - target)
            t_drop = float(scipy.optimize.brentq(spline, traj.t[k - 1], traj.t[k], xtol=1e-12))
            pars = dict(sigma2=1, rho=rho_, A=A_, tau=1)
            printed = float(CLAIMS["linear_dynamics.early_timescale"].evaluate(prec=20, **pars, s=s_))
            mid = float(CLAIMS["linear_dynamics.early_loss_midpoint"].evaluate(prec=20, **pars, u0=proj.u0))
            drops[(case, s_)] = (t_drop, printed, proj.u0)
            why = ("cubic-spline root of the loss on a 0.01τ grid (relative error ≤ (h·2G/τ)⁴/384 ≤ "
                   "1e-4 of the step: 1e-5τ) + O(s) alignment terms (10 s)")
            note = (f"printed early timescale {printed:.4f}, offset {t_drop - printed:+.4f}τ "
                    f"({(t_drop - printed) / printed:+.1%} of it)")
            if case == "paper":
                # ν > 0: Eq. (37) ignores the w2 growth (Eq. 16 drops it), an s-independent model
                # error with no derived size: the number is recorded, not asserted
                measure("linear_dynamics.early_loss_midpoint", {**pars, "s": s_}, theory=mid,
                        numeric=t_drop, seed=seed, note=note,
                        why="ν > 0: Eq. (37) neglects the growth of w2 during the transition, an "
                        "s-independent miss (see test_bernoulli_misses_the_network_…) that no "
                        "quantity outside the claim sizes; recorded beside the prediction")
            else:
                agree("linear_dynamics.early_loss_midpoint", {**pars, "s": s_}, theory=mid,
                      numeric=t_drop, atol=1e-5 + 10 * s_, seed=seed, evidence="trained network",
                      why_tol=why + " (ν = 0: Eq. (37) exact to O(s))", note=note)
        # the printed timescale's content is its s-dependence, τ/(2‖Σxy‖)·log(1/s²): between two
        # initial scales with the same draw (u0/s fixed) the offset cancels, whatever ν is
        (t_big, pr_big, u_big), (t_small, pr_small, u_small) = (drops[(case, s_)] for s_ in scales)
        agree("linear_dynamics.early_timescale", {"sigma2": 1, "rho": rho_, "A": A_, "tau": 1,
                                                  "s": f"{scales[0]:g} → {scales[1]:g}"},
              theory=pr_small - pr_big, numeric=t_small - t_big,
              atol=2e-5 + 10 * sum(scales), allowance=2 * (u_big**2 + u_small**2), seed=seed,
              evidence="trained network",
              why_tol="two spline roots (1e-5τ each) + O(s) alignment terms (10 s at each s) + "
              "2u0² each for the log(1 − λ1u0²/G) the printed form drops; the s-independent "
              "offset (u0/s, and for ν > 0 the w2 growth) cancels in the difference",
              note=f"shift of the loss drop between s = {scales[0]:g} and {scales[1]:g}; printed "
              f"difference τ/‖Σxy‖·log({scales[0] / scales[1]:g})")


# =============================================================================================
# (6) the Eq. (20) bound on the grid
# =============================================================================================
# Outcome tables, one per definition of t1 (see verify/_later_phase.py), rows ρ, columns A:
# first letter: assumption of Eq. (39) (w1 ≥ w1*, w2 ≤ w2* for all t ≥ t1) holds (A) or fails (a);
# then per δ = 1, 2, 3: bound holds (B) or fails (b). Where the assumption holds the bound must
# hold (a 'b' there would be a failure of the paper's argument, not a table entry). Where it fails
# the outcome is recorded: a 'b' is a confirmed miss. The test fails when a measured outcome
# leaves its entry; the failing row's note gives t1, w2(t1)/w2* and the gaps to update it by hand.
KNOWN = {
    "early": """
      0.05 0.1  0.2  0.3  0.5  0.7  0.9  0.95
0.5   abbb abbb abbb abbb abbb abbb abbb abbb
1     abbb abbb abbb abbb abbb abbb abbb abbb
2     abbb abbb abbb abbb abbb abbb abbb abbb
5     abbb abbb abbb abbb aBBB aBBB aBBB abBB
10    abbb abbb abbb aBBB aBBB aBBB aBBB aBBB
20    abbb abbb aBBB aBBB aBBB aBBB aBBB aBBB
50    abbb aBBb ABBB ABBB aBBB aBBB aBBB aBBB
100   abbb ABBB ABBB ABBB ABBB aBBB aBBB aBBB
""",
    "w2_1pct": """
      0.05 0.1  0.2  0.3  0.5  0.7  0.9  0.95
0.5   abbb abbb abbb abbb abbb abbb abbb abbb
1     abbb abbb abbb abbb abbb abbb abbb abbb
2     abbb abbb abbb abbb abbb abbb abbb abbb
5     abbb abbb abbb abbb abbB aBBB abBB abbb
10    abbb abbb abbb abBB aBBB aBBB aBBB aBBB
20    abbb abbb aBBB aBBB aBBB aBBB aBBB aBBB
50    abbb aBBb ABBB ABBB ABBB ABBB aBBB aBBB
100   abbb ABBB ABBB ABBB ABBB ABBB ABBB aBBB
""",
    "w1_star": """
      0.05 0.1  0.2  0.3  0.5  0.7  0.9  0.95
0.5   ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
1     ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
2     ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
5     ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
10    ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
20    ABBB ABBB aBBB ABBB ABBB ABBB ABBB ABBB
50    ABBB aBBB ABBB ABBB ABBB ABBB ABBB ABBB
100   ABBB ABBB ABBB ABBB ABBB ABBB ABBB ABBB
""",
}


def _table(text: str) -> dict:
    lines = [ln.split() for ln in text.strip().splitlines()]
    cols = lines[0]
    return {(row[0], col): code for row in lines[1:] for col, code in zip(cols, row[1:])}


KNOWN_CODES = {name: _table(text) for name, text in KNOWN.items()}
_BOUND_F = None


def _bound_value(rho_: str, A_: str, dl: int) -> float:
    global _BOUND_F
    if _BOUND_F is None:
        _BOUND_F = sp.lambdify((sigma2, rho, A, tau, delta),
                               CLAIMS["linear_dynamics.later_phase_bound"].expr, "mpmath")
    return float(_BOUND_F(1, mpmath.mpf(rho_), mpmath.mpf(A_), 1, dl))


GRID = [(r, a) for r in lp.GRID_RHO for a in lp.GRID_ALIGN]


@pytest.mark.parametrize("rho_, A_", GRID, ids=[f"rho={r}-A={a}" for r, a in GRID])
def test_later_phase_bound_on_the_grid(rho_, A_):
    m = lp.later_phase(rho_, A_)
    for definition in lp.T1_DEFINITIONS:
        code = KNOWN_CODES[definition][(rho_, A_)]
        holds = m.assumption_holds(definition)
        t1 = m.t1[definition]
        w2_at_t1 = None if math.isnan(t1) else float(m.w2_fraction_at(definition))
        assumption_note = (f"t1 ({definition}) = {t1:.4g}; w2(t1)/w2* = {w2_at_t1}; "
                           f"min(w1 − w1*) = {m.w1_gap[definition]:.3g}, max(w2 − w2*) = "
                           f"{m.w2_gap[definition]:.3g} for t ≥ t1: assumption "
                           + ("holds" if holds else "FAILS"))
        # the assumption status is itself a recorded measurement against its table entry
        agree("linear_dynamics.later_phase_bound", {"rho": rho_, "A": A_, "t1": definition,
                                                    "check": "assumption (Eq. 39)"},
              theory=1 if code[0] == "A" else 0, numeric=1 if holds else 0,
              why_tol="exact: 1 = assumption holds within 1e-8 (integration precision) on t ≥ t1",
              note=assumption_note)
        for dl, letter in zip(lp.DELTAS, code[1:]):
            limit = _bound_value(rho_, A_, dl)
            value = m.t2[dl] - t1
            expect = "agree" if (holds or letter == "B") else "disagree"
            bound("linear_dynamics.later_phase_bound",
                  {"rho": rho_, "A": A_, "delta": dl, "t1": definition, "sigma2": 1, "tau": 1},
                  value=value, limit=limit, atol=1e-8, expect=expect,
                  why_tol="t1, t2 located by root finding on a DOP853 path (rtol 1e-11): 1e-8",
                  note=("assumption holds" if holds else "assumption FAILS") +
                  (f"; t2 − t1 = {value:.4f}, bound {limit:.4f}" +
                   ("; t2 < t1: the bound is vacuous here" if value < 0 else "")),
                  extra={"w2_fraction_at_t1": w2_at_t1, "u_sat": m.u_sat, "w1_star": m.w1_star})


# =============================================================================================
# (7) no later phase when ν = 0
# =============================================================================================
@pytest.mark.parametrize("case", ["A=0", "A=1", "rho=0"])
def test_w2_stays_at_its_initial_scale_when_nu_vanishes(case, audit_seed):
    seed = audit_seed + 302
    ratios = []
    for s_ in S_NU0:
        _, _, proj = _network(case, s_, seed)
        ratios.append(float(np.max(np.abs(proj.p2))) / s_)
    rho_, A_, horizon, _ = NET_CASES[case]
    # Eq. (19) at ν = 0 only shrinks |w2|: max_t |r̂1ᵀWv2| ≤ |w2(0)| + O(s²) alignment terms
    _, _, proj = _network(case, S_NU0[-1], seed)
    bound("linear_dynamics.no_later_phase", {"rho": rho_, "A": A_, "s": S_NU0[-1]},
          value=float(np.max(np.abs(proj.p2))), limit=abs(proj.w2_0), atol=10 * S_NU0[-1] ** 2,
          evidence="trained network", why_tol="|w2| is non-increasing under Eq. (19) at ν = 0; the network adds O(s²) "
          "(allowance 10 s²)", seed=seed,
          note=f"max|r̂1ᵀWv2|/s over s ∈ 1e-3…1e-5: {', '.join(f'{r:.3g}' for r in ratios)}")


def test_later_phase_bound_summary_per_definition_of_t1():
    """One row per definition of t1: the number of (ρ, A, δ) cells where the assumption holds but
    the bound fails must be 0 (that would refute the argument of Appendix B.2); the note counts
    every case, which is what the report states."""
    for definition in lp.T1_DEFINITIONS:
        counts = {"A,B": 0, "A,b": 0, "a,B": 0, "a,b": 0}
        vacuous = 0
        for r, a in GRID:
            m = lp.later_phase(r, a)
            key = "A" if m.assumption_holds(definition) else "a"
            for dl in lp.DELTAS:
                gap = m.t2[dl] - m.t1[definition]
                counts[f"{key},{'B' if gap <= _bound_value(r, a, dl) + 1e-8 else 'b'}"] += 1
                vacuous += gap < 0
        agree("linear_dynamics.later_phase_bound", {"t1": definition, "cells": 3 * len(GRID)},
              theory=0, numeric=counts["A,b"], atol=0,
              why_tol="exact count: cells where the assumption holds and the bound fails",
              note=(f"assumption holds & bound holds: {counts['A,B']}; assumption fails & bound "
                    f"holds: {counts['a,B']}; assumption fails & bound fails: {counts['a,b']}; "
                    f"t2 < t1 (vacuous): {vacuous}"))


def test_gradient_descent_on_samples_reaches_beta(audit_seed):
    """Full-batch GD on n = 10⁴ noise-free samples (n > d): the empirical minimizer is β, so
    aᵀW → β, and the projections settle at Eq. (41) up to the finite-n tilt of Σ̂ (which moves the
    path, not its end point)."""
    seed = audit_seed + 306
    rng = np.random.default_rng(seed)
    problem = net.spiked_problem(1.0, 20.0, 0.3, D_NET, rng)
    data = net.sample(problem, 10_000, rng)
    W0, a0 = net.init_weights(M_NET, D_NET, 1e-5, rng)
    eta = 0.005
    traj = net.gradient_descent(W0, a0, data.moments, eta, int(20 / (2 * eta)), every=100)
    miss = float(np.linalg.norm(net.end_to_end(traj)[-1] - problem.beta))
    agree("linear_dynamics.w1_star", {"rho": 20, "A": 0.3, "n": 10_000, "eta": eta, "t/tau": 20,
                                      "quantity": "‖aᵀW − β‖ (GD on samples)"},
          theory=0, numeric=miss, atol=1e-7, seed=seed,
          evidence="trained network", why_tol="exponential convergence at rate ≥ 0.8/τ over the 20τ horizon: residual ≤ "
          "e^{-16} ≈ 1e-7", note="noise-free labels: empirical minimizer = β")


# =============================================================================================
# (8) Appendix C: the deviation dynamics, Eqs. (43)-(45)
# =============================================================================================
def _explicit_state(m_=2, rest=2):
    a = sp.Matrix(m_, 1, lambda i, _: sp.Symbol(f"a_{i}", real=True))
    W1 = sp.Matrix(m_, 1, lambda i, _: sp.Symbol(f"w1_{i}", real=True))
    W2 = sp.Matrix(m_, 1, lambda i, _: sp.Symbol(f"w2_{i}", real=True))
    R = sp.Matrix(m_, rest, lambda i, j: sp.Symbol(f"w{j + 3}_{i}", real=True))
    P = sp.Matrix(m_, m_, lambda i, j: sp.Symbol(f"P_{min(i, j)}{max(i, j)}", real=True))
    return a, W1, W2, R, P


def test_deviation_dynamics_are_the_projected_decomposed_dynamics():
    """P⊥ applied to Eqs. (9), (10), (12) (any symmetric P, m = 2, d − 2 = 2) gives the derived
    Eqs. (43)-(45); the printed Eq. (45) differs in the sign of the i ≥ 3 term (erratum)."""
    a, W1, W2, R, P = _explicit_state()
    G, l1, l2, nu_ = sp.symbols("G lambda_1 lambda_2 nu", positive=True)
    kw = dict(G=G, l1=l1, l2=l2, nu_=nu_, s2=sigma2)
    dw1, dw2, _, da = ld.decomposed_rhs_of(a, W1, W2, R, **kw)
    projected = (P * dw1, P * dw2, P * da)
    for printed, expect in ((False, "agree"), (True, "disagree")):
        ours = ld.deviation_rhs_of(a, W1, W2, R, P, **kw, printed=printed)
        for k, (got, want) in enumerate(zip(ours, projected), start=43):
            residual = sum(sp.expand(e) ** 2 for e in (sp.Matrix(got) - want))
            expected_here = expect if k == 45 else "agree"
            identity("linear_dynamics.deviation_rhs", sp.expand(residual), 0, expect=expected_here,
                     note=f"Eq. ({k}) {'as printed' if printed else 'derived'} vs P⊥·Eqs. (9)/(10)/(12)")


def test_deviation_dynamics_against_the_loss_gradient(audit_seed):
    """Numerically, at a random state with w_i ≠ 0 (i ≥ 3): P⊥(−½∂L/∂a) equals the derived
    Eq. (45) to rounding and misses the printed one by 2σ²‖P⊥RRᵀa‖."""
    seed = audit_seed + 307
    rng = np.random.default_rng(seed)
    problem = net.spiked_problem(1.0, 20.0, 0.3, 8, rng)
    W, a = net.init_weights(5, 8, 0.7, rng)
    _, ga = net.gradients(W, a, problem.population)
    r = rng.standard_normal(5)
    r /= np.linalg.norm(r)
    P = np.eye(5) - np.outer(r, r)
    V = np.linalg.qr(np.column_stack([problem.v1, problem.v2, rng.standard_normal((8, 6))]))[0]
    V[:, :2] = np.column_stack([problem.v1, problem.v2])
    Wt = W @ V
    pars = dict(sigma2=1, rho=20, A="0.3")
    kw = dict(G=float(CLAIMS["linear_dynamics.sigma_xy_norm"].evaluate(prec=20, **pars)),
              l1=float(CLAIMS["linear_dynamics.lambda1"].evaluate(prec=20, **pars)),
              l2=float(CLAIMS["linear_dynamics.lambda2"].evaluate(prec=20, **pars)),
              nu_=float(CLAIMS["linear_dynamics.nu"].evaluate(prec=20, **pars)), s2=1.0)
    numeric = P @ (-0.5 * ga)
    args = (sp.Matrix(a), sp.Matrix(Wt[:, 0]), sp.Matrix(Wt[:, 1]), sp.Matrix(Wt[:, 2:]), sp.Matrix(P))
    for printed, expect in ((False, "agree"), (True, "disagree")):
        th = np.array(ld.deviation_rhs_of(*args, **kw, printed=printed)[2], dtype=float).ravel()
        agree("linear_dynamics.deviation_rhs", {"rho": 20, "A": 0.3, "m": 5, "d": 8,
                                                "form": "printed" if printed else "derived"},
              theory=0, numeric=float(np.max(np.abs(th - numeric))), atol=1e-12, seed=seed,
              expect=expect, why_tol="float64 gradient of O(1) entries: rounding < 1e-13; atol 1e-12",
              note="max |Eq. (45) − P⊥(−½∂L/∂a)|" + (f"; the printed sign misses by "
                                                    f"{float(np.max(np.abs(th - numeric))):.3g}"
                                                    if printed else ""))


@pytest.mark.parametrize("rho_, A_", GRID, ids=[f"rho={r}-A={a}" for r, a in GRID])
def test_fixed_point_on_the_grid(rho_, A_):
    """Eq. (41) against Newton's root of Eqs. (18)-(19) (coefficients from the construction) over
    the whole Eq. (20) grid."""
    m = lp.later_phase(rho_, A_)
    for cid, num in (("linear_dynamics.w1_star", m.w1_star), ("linear_dynamics.w2_star", m.w2_star)):
        agree(cid, {"sigma2": 1, "rho": rho_, "A": A_},
              theory=CLAIMS[cid].evaluate(prec=20, sigma2=1, rho=rho_, A=A_), numeric=num,
              rtol=1e-14, atol=1e-15,
              evidence="high-precision", why_tol="Newton at 30 digits on coefficients from a 30-digit construction, returned "
              "as float64: a few ulp")


# =============================================================================================
# (9) Appendix C: the energy inequality (47)-(49) and the Grönwall bound (50)
# =============================================================================================
def test_factor_two_of_the_energy_inequality_is_attained():
    """At Δa = Δw1 = ε e1, Δw2 = 0 (P⊥ = diag(1, 0), r̂ = e2) and k = −νaᵀw1 + λ2aᵀw2 = 0, Eqs.
    (43)-(45) give τ dE/dt = 2cE exactly: the derived rate 2(|c| + |k|) is attained, the printed
    C = c + |k| is exceeded by a factor 2 (generic positive coefficients, exact rationals)."""
    G, l1, l2, nu_ = sp.Integer(7), sp.Integer(20), sp.Rational(3, 2), sp.Integer(2)
    eps, u, v = sp.Rational(1, 10), sp.Rational(1, 5), sp.Rational(1, 7)
    p1_ = eps**2 + u * v
    z = nu_ * p1_ / (l2 * u)                                    # makes k = 0
    a, W1, W2 = sp.Matrix([eps, u]), sp.Matrix([eps, v]), sp.Matrix([0, z])
    R, P = sp.zeros(2, 1), sp.diag(1, 0)
    dw1, dw2, da = ld.deviation_rhs_of(a, W1, W2, R, P, G=G, l1=l1, l2=l2, nu_=nu_, s2=1)
    tau_dE = ((P * a).T * da + (P * W1).T * dw1 + (P * W2).T * dw2)[0, 0]   # Eq. (47)
    E = ((P * a).dot(P * a) + (P * W1).dot(P * W1) + (P * W2).dot(P * W2)) / 2  # Eq. (46)
    c = G - (l1 * (a.T * W1)[0] - nu_ * (a.T * W2)[0])
    k = -nu_ * (a.T * W1)[0] + l2 * (a.T * W2)[0]
    identity("linear_dynamics.alignment_energy_inequality", k, 0, note="the state has k = 0")
    identity("linear_dynamics.alignment_energy_inequality", tau_dE,
             ld.alignment_rate_in(c, k, 1, 0) * E, note=f"τ dE/dt = 2cE at c = {c} > 0: equality")
    identity("linear_dynamics.alignment_energy_inequality", tau_dE,
             ld.alignment_rate_in(c, k, 1, 0, printed=True) * E, expect="disagree",
             note="printed Eq. (49): C·E = cE, half of τ dE/dt (the inequality fails here)")


def _energy_sides(problem, de):
    """(τ dE/dt, derived right-hand side, printed right-hand side, derived rate K, printed rate C)
    along a path: the claim's expression (theory) at the inner products measured on the network."""
    claim = CLAIMS["linear_dynamics.alignment_energy_inequality"]
    args = (sigma2, rho, A, ld.p1, ld.p2, ld.E_dev, ld.rest_abs, ld.rest_signed, ld.restq_abs,
            ld.restq_signed)
    vals = (1.0, problem.rho, problem.A, de.aw1, de.aw2, de.E, np.abs(de.aw_rest).sum(1),
            de.aw_rest.sum(1), (np.abs(de.aw_rest) * de.dw_rest2).sum(1),
            (de.aw_rest * de.dw_rest2).sum(1))
    out = []
    for expr in (claim.expr, claim.as_printed, sp.diff(claim.expr, ld.E_dev),
                 sp.diff(claim.as_printed, ld.E_dev)):
        out.append(np.broadcast_to(sp.lambdify(args, expr, "numpy")(*vals), de.E.shape))
    return (de.tau_dE, *out)


@lru_cache(maxsize=None)
def _energy_path(s_, seed):
    problem, traj, _ = _network("paper", s_, seed)
    return problem, deviation_energy(traj, problem, problem.population)


def test_energy_inequality_along_the_network_flow(audit_seed):
    """Eqs. (48)-(49) along the paper's flow: τ dE/dt (from the loss gradient) against the derived
    right-hand side (must hold) and the printed one (fails during the transition)."""
    seed = audit_seed + 301
    for s_ in S_VALUES:
        problem, de = _energy_path(s_, seed)
        tdE, rhs, rhs_p, K, _ = _energy_sides(problem, de)
        scale = np.abs(tdE) + np.abs(K * de.E) + np.abs(rhs - K * de.E)
        excess, excess_p = (tdE - rhs) / scale, (tdE - rhs_p) / scale
        atol = 100 * np.finfo(float).eps / s_
        why = ("max over the path of (τ dE/dt − right-hand side)/(sum of the terms' sizes) ≤ 0; "
               "rounding: P⊥ of O(1) vectors leaves O(s) components with relative error ~ε/s, "
               "100ε/s")
        pars = {"sigma2": 1, "rho": 20, "A": 0.3, "m": M_NET, "d": D_NET, "s": s_}
        bound("linear_dynamics.alignment_energy_inequality", {**pars, "form": "derived"},
              value=float(excess.max()), limit=0.0, atol=atol, why_tol=why, seed=seed,
              evidence="trained network",
              note=f"largest normalised excess {excess.max():+.3g}"
              + (" (holds everywhere)" if excess.max() <= atol else " (FAILS)"))
        # only the |·| on c lost (factor 2 kept): c < 0 after the overshoot makes it fail too
        c_, k_ = (sp.lambdify((sigma2, rho, A, ld.p1, ld.p2), e, "numpy")(1.0, problem.rho, problem.A,
                                                                       de.aw1, de.aw2)
                  for e in (ld.deviation_c, ld.deviation_k))
        noabs = 2 * (c_ + np.abs(k_) + 0.5 * np.abs(de.aw_rest).sum(1)) * de.E + (rhs - K * de.E)
        excess_n = (tdE - noabs) / scale
        j = int(np.argmax(excess_n))
        bound("linear_dynamics.alignment_energy_inequality", {**pars, "form": "factor 2, no |c|"},
              value=float(excess_n[j]), limit=0.0, atol=atol, why_tol=why, seed=seed,
              expect="disagree", evidence="trained network",
              note=f"with the factor 2 but c in place of |c| the inequality fails at t = "
              f"{de.t[j]:.2f}τ (c = {c_[j]:.3g} there; min c = {c_.min():.3g})")
        # only the factor 2 lost (|·| kept)
        excess_h = (tdE - (K / 2 * de.E + (rhs - K * de.E))) / scale
        j = int(np.argmax(excess_h))
        bound("linear_dynamics.alignment_energy_inequality", {**pars, "form": "|c| kept, no factor 2"},
              value=float(excess_h[j]), limit=0.0, atol=atol, why_tol=why, seed=seed,
              expect="disagree", evidence="trained network",
              note=f"with |c| but without the factor 2 the inequality fails at t = {de.t[j]:.2f}τ "
              f"(τ dE/dt / (K/2·E) = {tdE[j] / (K[j] / 2 * de.E[j]):.3g})")
        k = int(np.argmax(excess_p))
        bound("linear_dynamics.alignment_energy_inequality", {**pars, "form": "printed"},
              value=float(excess_p[k]), limit=0.0, atol=atol, why_tol=why, seed=seed,
              expect="disagree", evidence="trained network",
              note=f"printed Eqs. (48)-(49) fail at t = {de.t[k]:.2f}τ by {excess_p[k]:.3g} of the "
              f"terms' size (τ dE/dt / (C·E) = {tdE[k] / rhs_p[k]:.3g})")


def _cumulative(f, t):
    return scipy.integrate.cumulative_trapezoid(f, t, initial=0.0)


def test_gronwall_factor_and_the_deviations_against_the_proofs_order(audit_seed):
    """Eq. (50) along the paper's flow for s = 1e-2 … 1e-6: the Grönwall factor exp(∫K/τ) with the
    derived rate grows as s⁻² (printed C: s⁻¹), so the bound B(t) = (E(0) + ∫rem/τ)·exp(∫K/τ) is
    O(1); it holds, but the measured E is O(s²) (deviations O(s)): the proof is loose by s⁻²."""
    seed = audit_seed + 301
    gron = CLAIMS["linear_dynamics.alignment_gronwall_order"]
    logF, logF2, logFp, logFp2, supE, supB, logB2 = ([] for _ in range(7))
    for s_ in S_VALUES:
        problem, de = _energy_path(s_, seed)
        _, rhs, _, K, Cp = _energy_sides(problem, de)
        t_, rem = de.t, rhs - K * de.E                       # τ = 1
        IK, IK2 = _cumulative(K, t_), _cumulative(K[::2], t_[::2])
        ICp, ICp2 = _cumulative(Cp, t_), _cumulative(Cp[::2], t_[::2])
        B = (de.E[0] + _cumulative(rem, t_)) * np.exp(IK)
        B2 = (de.E[0] + _cumulative(rem[::2], t_[::2])) * np.exp(IK2)
        logF.append(IK[-1]), logF2.append(IK2[-1])          # K ≥ 0: the end value is the sup
        logFp.append(ICp.max()), logFp2.append(ICp2.max())
        supE.append(float(de.E.max())), supB.append(float(B.max())), logB2.append(math.log(B2.max()))
        quad = float(np.max(np.abs(IK[::2] - IK2)))          # trapezoid at h vs 2h
        later = t_ > 0
        bound("linear_dynamics.alignment_gronwall_order", {"s": s_, "check": "E(t) ≤ B(t), Eq. (50)"},
              value=float(np.max(de.E[later] / B[later])), limit=1.0, atol=quad, seed=seed,
              evidence="trained network",
              why_tol=f"trapezoid ∫K/τ on the 0.01τ grid; its error estimate |I_h − I_2h| = "
              f"{quad:.2g} moves B by that relative amount",
              note=f"sup E/s² = {supE[-1] / s_**2:.4g}; sup B/sup E = {supB[-1] / supE[-1]:.3g}")
    ss = np.array(S_VALUES)

    def fit(values_log, values_log_2h):
        slope, half = fitted_order(ss, np.exp(values_log))
        slope2, _ = fitted_order(ss, np.exp(values_log_2h))
        return slope, half, abs(slope - slope2)

    why = ("fitted exponent over s = 1e-2 … 1e-6: 95% t-interval (scipy.stats.t.ppf, 3 dof) + the "
           "quadrature's error estimate (slope with the trapezoid at h vs 2h) + 0.02 for "
           "pre-asymptotic O(s) terms (as ORDER_ALLOWANCE)")
    slope, half, quad = fit(logF, logF2)
    ext = {"s": list(S_VALUES), "log_factor": logF, "ci95": half}
    agree(gron.id, {"quantity": "Grönwall factor exp(∫K/τ)", "form": "derived"}, theory=gron.expr[0],
          numeric=slope, atol=half + quad + ORDER_ALLOWANCE, why_tol=why, seed=seed,
          evidence="fitted rate", extra=ext, note=f"fitted exponent {slope:.4f} ± {half:.4f}")
    agree(gron.id, {"quantity": "Grönwall factor exp(∫K/τ)", "control": "printed exponent"},
          theory=gron.as_printed[0], numeric=slope, atol=half + quad + ORDER_ALLOWANCE, why_tol=why,
          seed=seed, evidence="fitted rate", expect="disagree",
          note="negative control: the corrected factor is not s⁻¹")
    slope_p, half_p, quad_p = fit(logFp, logFp2)
    agree(gron.id, {"quantity": "Grönwall factor exp(∫C/τ)", "form": "printed"},
          theory=gron.as_printed[0], numeric=slope_p, atol=half_p + quad_p + ORDER_ALLOWANCE,
          why_tol=why, seed=seed, evidence="fitted rate", extra={"log_factor": logFp, "ci95": half_p},
          note=f"the printed C gives exponent {slope_p:.4f} ± {half_p:.4f}: the proof as written "
          "would give E = O(s), ‖Δ‖ = O(√s)")
    # the bound's order for the deviations √(2B) and the measured one √(2E)
    dev_B = np.sqrt(2 * np.array(supB))
    slope_B, half_B = fitted_order(ss, dev_B)
    slope_B2, _ = fitted_order(ss, np.sqrt(2 * np.exp(logB2)))
    agree(gron.id, {"quantity": "√(2 sup B), the proof's bound on ‖Δ‖"}, theory=gron.expr[1],
          numeric=slope_B, atol=half_B + abs(slope_B - slope_B2) + ORDER_ALLOWANCE, why_tol=why,
          seed=seed, evidence="fitted rate", extra={"bound": [float(v) for v in dev_B]},
          note=f"order {slope_B:.4f} ± {half_B:.4f}: the bound does not shrink with s")
    dev_E = np.sqrt(2 * np.array(supE))
    slope_E, half_E = fitted_order(ss, dev_E)
    ext = {"s": list(S_VALUES), "sup_E_over_s2": [e / x**2 for e, x in zip(supE, S_VALUES)],
           "ci95": half_E}
    agree("linear_dynamics.alignment_order", {"rho": 20, "A": 0.3, "m": M_NET, "d": D_NET,
                                               "quantity": "√(2 sup E)"},
          theory=CLAIMS["linear_dynamics.alignment_order"].expr, numeric=slope_E,
          atol=half_E + ORDER_ALLOWANCE, why_tol=WHY_ORDER, seed=seed, evidence="fitted rate",
          extra=ext, note=f"order {slope_E:.4f} ± {half_E:.4f}; sup E/s² = "
          + ", ".join(f"{v:.4g}" for v in ext["sup_E_over_s2"]))
    bound(gron.id, {"quantity": "order of √(2 sup E) vs the proof's order"}, value=slope_E,
          limit=float(gron.expr[1]), sense=">=", atol=half_E, seed=seed, evidence="fitted rate",
          why_tol="95% t-interval of the fitted order",
          note=f"measured order {slope_E:.3f} ≥ the proof's {gron.expr[1]}: the bound holds but is "
          f"loose by s^{float(gron.expr[1]) - slope_E:.2f} in ‖Δ‖")


def test_gronwall_order_equals_its_derivation():
    """The exponents of alignment_gronwall_order from derive_gronwall_order (SymPy: log of Eq. 37's
    growth u_sat/u0, differentiated in log u0), for the derived factor 2 and the printed factor 1."""
    claim = CLAIMS["linear_dynamics.alignment_gronwall_order"]
    for got, want, note in ((claim.expr, claim.derivation(), "derived (factor 2)"),
                            (claim.as_printed, ld.derive_gronwall_order(1), "printed (factor 1)")):
        for k, (g, w) in enumerate(zip(got, want)):
            identity(claim.id, g, w, note=f"{note}, entry {k}")
