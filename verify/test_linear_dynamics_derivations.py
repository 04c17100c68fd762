"""Paper 000 §3.2 and Appendix B, symbolic: Eqs. (9)-(12) re-derived from the gradient flow (6)-(7),
the reduced Eqs. (18)-(19) under alignment, the conservation law, Eq. (35), Eq. (37) = Eq. (17), the early
timescale, Eq. (40) → Eq. (20), ν/λ2 and Eq. (41)."""

from __future__ import annotations


import mpmath
import numpy as np
import sympy as sp
from sympy.matrices import ShapeError
from sympy.solvers.ode import checkodesol

from theory import CLAIMS
from theory import linear_dynamics as ld
from theory.symbols import A, delta, rho, s, sigma2, t, tau, u0

from .agreement import agree
from .linear_dynamics_common import G_, L1_, SPOTS, _coeffs_mp, claim_matrices, spot
from .symbolic import identity


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
    # the registered claim (CLAIMS), so that a changed claim is what gets compared
    rhs = claim_matrices("linear_dynamics.decomposed_rhs",
                         {"a": a, "w_1": Wt[:, 0], "w_2": Wt[:, 1], "R": Wt[:, 2:]}, {"m": m_, "d_rest": d_ - 2})
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
    # the claim's own expression (CLAIMS), so that a changed claim is what gets compared
    for k, (got, want) in enumerate(zip(rhs[:2], CLAIMS["linear_dynamics.reduced_rhs"].expr), start=18):
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
    """§3.2.2: τ d/dt (aaᵀ − WWᵀ) = 0 for any a, W, symmetric Σ and Sxy (m = 3, d = 3, all
    symbols). The claim's pair (τ d(aaᵀ)/dt, τ d(WWᵀ)/dt), read from CLAIMS with these matrices put
    in, must equal the two products differentiated directly under Eqs. (6)-(7), and each other."""
    m_, d_ = 3, 3
    W = sp.Matrix(m_, d_, lambda i, j: sp.Symbol(f"W{i}{j}"))
    a = sp.Matrix(m_, 1, lambda i, _: sp.Symbol(f"a{i}"))
    S = sp.Matrix(d_, d_, lambda i, j: sp.Symbol(f"S{min(i, j)}{max(i, j)}"))
    Sxy = sp.Matrix(d_, 1, lambda i, _: sp.Symbol(f"c{i}"))
    drift = ld.conservation_rhs_of(a, W, S, Sxy).applyfunc(sp.expand)
    identity("linear_dynamics.conservation_law", sum(e**2 for e in drift), 0,
             note="all entries of τ d/dt(aaᵀ − WWᵀ) expand to 0")
    g = Sxy - S * W.T * a
    da, dW = W * g, a * g.T                                             # Eqs. (7), (6): τ·d/dt
    direct = (da * a.T + a * da.T, dW * W.T + W * dW.T)                # product rule
    try:
        pair = claim_matrices("linear_dynamics.conservation_law", {"a": a, "W": W, "g": g},
                              {"m": m_, "d_rest": d_ - 2})
    except (ValueError, ShapeError) as err:      # wrong shapes: not the network's
        agree("linear_dynamics.conservation_law", {"check": "shapes"}, theory=0, numeric=1, atol=0.0,
              evidence="symbolic", why_tol="exact: the claim must be built from a (m×1), W (m×d), g (d×1)",
              note=str(err))
        return
    for name, got, want in zip(("τ d(aaᵀ)/dt", "τ d(WWᵀ)/dt"), pair, direct):
        identity("linear_dynamics.conservation_law", sum(sp.expand(e) ** 2 for e in got - want), 0,
                 note=f"{name}: the claim's entry vs Eqs. (6)-(7) differentiated directly")
    identity("linear_dynamics.conservation_law", sum(sp.expand(e) ** 2 for e in pair[0] - pair[1]), 0,
             note="the claim's two terms coincide: aaᵀ − WWᵀ is conserved")


def test_eq35_solves_eq34():
    w, a_ = CLAIMS["linear_dynamics.early_linear_solution"].expr
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
    identity("linear_dynamics.early_timescale", term.subs(t, CLAIMS["linear_dynamics.early_timescale"].expr), 1,
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
    # the registered claim (in σ², ρ, A) differentiates to the integrand with c = ν/λ2 and λ2 of
    # Eqs. (32)-(33) substituted
    F_claim = CLAIMS["linear_dynamics.later_phase_antiderivative"].expr
    f_claim = f.subs({c: ld.nu_over_lambda2, L: ld.lambda2})
    identity("linear_dynamics.later_phase_antiderivative", sp.diff(F_claim, ld.x), f_claim,
             spot_points=[{**p, ld.w1s: sp.Rational(1, 2), ld.x: sp.Rational(1, 3)} for p in SPOTS],
             note="claim in σ², ρ, A: d/dx equals the Eq. (40) integrand")
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
