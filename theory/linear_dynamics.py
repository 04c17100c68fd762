"""Paper 000 (Watanabe, Karakida, Teramae), §3 and Appendices A-C: the two-layer linear network
under spiked covariance Σ = σ²(I + ρμμᵀ), target y = βᵀx, alignment A = μᵀβ ∈ [0, 1].

Appendix A quantities, in the data-adapted basis of §3.2: v1 = Σxy/‖Σxy‖ with Σxy = Σβ (Eq. 3);
v2 the unit vector of span{Σxy, β} orthogonal to v1, signed so that ν = −v1ᵀΣv2 > 0.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from .claims import Claim, register
from .symbols import A, rho, sigma2

_D = 1 + ((1 + rho) ** 2 - 1) * A**2  # the recurring denominator of Eqs. (29)-(33)

sigma_xy_norm = sigma2 * sp.sqrt(_D)
mu_dot_v1 = (1 + rho) * A / sp.sqrt(_D)
mu_dot_v2 = -sp.sqrt(1 - (1 + rho) ** 2 * A**2 / _D)
lambda1 = sigma2 * (1 + rho * (1 + rho) ** 2 * A**2 / _D)
lambda2 = sigma2 * (1 + rho * (1 - (1 + rho) ** 2 * A**2 / _D))
nu = sigma2 * rho * (1 + rho) * A * sp.sqrt(1 - A**2) / _D

#: the 2×2 block [[λ1, −ν], [−ν, λ2]] of Σ in the basis (v1, v2): trace and determinant
covariance_block = (sigma2 * (2 + rho), sigma2**2 * (1 + rho))


@cache
def derive_appendix_a() -> dict[str, sp.Expr]:
    """Re-derive Eqs. (28)-(33) from Eq. (1), Eq. (3) and the §3.2 basis, in coordinates of the
    plane span{μ, β}: μ = (1, 0), β = (A, √(1 − A²)), where Σ acts as σ² diag(1 + ρ, 1).

    The sign of v2 is fixed by the paper's convention ν > 0: with μᵀv1 ≥ 0 this means μᵀv2 ≤ 0,
    i.e. v2 is v1 rotated by +90° in these coordinates.
    """
    mu = sp.Matrix([1, 0])
    beta = sp.Matrix([A, sp.sqrt(1 - A**2)])
    sigma = sigma2 * (sp.eye(2) + rho * mu * mu.T)
    sxy = sigma * beta
    norm = sp.sqrt(sp.expand(sxy.dot(sxy)))
    v1 = sxy / norm
    v2 = sp.Matrix([-v1[1], v1[0]])
    out = {
        "sigma_xy_norm": norm,
        "mu_dot_v1": mu.dot(v1),
        "mu_dot_v2": mu.dot(v2),
        "lambda1": (v1.T * sigma * v1)[0],
        "lambda2": (v2.T * sigma * v2)[0],
        "nu": -(v1.T * sigma * v2)[0],
    }
    block = sp.Matrix([[out["lambda1"], -out["nu"]], [-out["nu"], out["lambda2"]]])
    out["covariance_block"] = (block.trace(), block.det())
    return {key: (tuple(sp.simplify(e) for e in val) if isinstance(val, tuple) else sp.simplify(val))
            for key, val in out.items()}


def _derived(name: str):
    return lambda: derive_appendix_a()[name]


_PARALLEL = ("In the parallel case (Σxy ∥ β: A = 0, A = 1 or ρ = 0) §3.2 lets v2 be any unit vector "
             "orthogonal to v1. ")
_P = ("sigma2", "rho", "A")

register(Claim(
    id="linear_dynamics.sigma_xy_norm", expr=sigma_xy_norm, params=_P, source="000 Eq. (28)",
    statement="Norm of the input-output correlation: ‖Σxy‖ = ‖Σβ‖ = σ²√(1 + ((1 + ρ)² − 1)A²).",
    derivation=_derived("sigma_xy_norm"),
))
register(Claim(
    id="linear_dynamics.mu_dot_v1", expr=mu_dot_v1, params=_P, source="000 Eq. (29)",
    statement="Overlap of the spike with the first basis vector v1 = Σxy/‖Σxy‖.",
    derived_from=("linear_dynamics.sigma_xy_norm",), derivation=_derived("mu_dot_v1"),
))
register(Claim(
    id="linear_dynamics.mu_dot_v2", expr=mu_dot_v2, params=_P, source="000 Eq. (30)",
    statement="Overlap of the spike with the second basis vector v2 (sign convention ν > 0).",
    derived_from=("linear_dynamics.mu_dot_v1",), derivation=_derived("mu_dot_v2"),
    conditions=_PARALLEL + "Eq. (30) uses (μᵀv1)² + (μᵀv2)² = 1, i.e. μ ∈ span{v1, v2}; it then "
    "holds only for the choice v2 = −(μ − (μᵀv1)v1)/‖μ − (μᵀv1)v1‖ (the continuous extension of "
    "the generic case). For A = 0 or ρ = 0 with another choice, μᵀv2 differs.",
))
register(Claim(
    id="linear_dynamics.lambda1", expr=lambda1, params=_P, source="000 Eq. (31)",
    statement="Data variance along v1: λ1 = v1ᵀΣv1.",
    derived_from=("linear_dynamics.mu_dot_v1",), derivation=_derived("lambda1"),
))
register(Claim(
    id="linear_dynamics.lambda2", expr=lambda2, params=_P, source="000 Eq. (32)",
    statement="Data variance along v2: λ2 = v2ᵀΣv2, which sets the speed of the later phase.",
    derived_from=("linear_dynamics.mu_dot_v2",), derivation=_derived("lambda2"),
    conditions=_PARALLEL + "For A = 0 with ρ > 0, Eq. (32) gives σ²(1 + ρ), which holds only for "
    "v2 = ±μ; any other admissible v2 gives a smaller value (σ² for v2 ⊥ μ). For ρ = 0 every "
    "choice gives σ².",
))
register(Claim(
    id="linear_dynamics.nu", expr=nu, params=_P, source="000 Eq. (33)",
    statement="Coupling ν = −v1ᵀΣv2 ≥ 0 between the two phases; zero exactly when A ∈ {0, 1} or ρ = 0.",
    derived_from=("linear_dynamics.mu_dot_v1", "linear_dynamics.mu_dot_v2"),
    derivation=_derived("nu"),
))
register(Claim(
    id="linear_dynamics.covariance_block", expr=covariance_block, params=_P,
    source="000 Eqs. (1), (31)-(33)",
    statement="The block [[λ1, −ν], [−ν, λ2]] of Σ in the basis (v1, v2) has trace σ²(2 + ρ) and "
    "determinant σ⁴(1 + ρ): its eigenvalues are the spike and bulk eigenvalues of Σ.",
    derived_from=("linear_dynamics.lambda1", "linear_dynamics.lambda2", "linear_dynamics.nu"),
    derivation=_derived("covariance_block"),
    conditions="Holds with v2 ∈ span{μ, β}, as in the generic case; in the parallel case with "
    "A = 0 and another choice of v2, the block is not Σ restricted to an invariant plane.",
))


# =============================================================================================
# §3.2 and Appendices B-C: decomposed, early-phase, reduced and later-phase dynamics
# =============================================================================================
# State variables of the dynamics are local symbols (they are not parameters of any claim): claims
# whose expression contains them are dynamical laws, checked symbolically and against integrations,
# not evaluated at a parameter point (``evaluate`` raises for them).

from .symbols import delta, s, t, tau, u0  # noqa: E402

w1, w2 = sp.symbols("w1 w2", real=True)           #: reduced magnitudes of Eqs. (18)-(19)
x = sp.Symbol("x", real=True)                      #: integration variable (w2) of Eq. (40)
w1s = sp.Symbol("w_1*", positive=True)             #: w1* as a free symbol in Eq. (40)
r10, q10 = sp.symbols("r_1 q_1", real=True)        #: (w1(0) ± a(0))/2, one component, Eq. (35)
_mm, _dd = sp.symbols("m d_rest", positive=True, integer=True)


def decomposed_rhs_of(a, W1, W2, R, *, G, l1, l2, nu_, s2):
    """τ·d/dt of (w1, w2, R, a) by Eqs. (9)-(12), for column vectors a, w1, w2 (m×1) and the block
    R = (w3, …, wd) (m×(d−2)); works for explicit SymPy matrices and for matrix symbols.
    Σ_{i≥3} σ² aᵀwi wi = σ² R Rᵀ a and Eq. (11) for all i ≥ 3 at once is τ dR/dt = −σ² a aᵀ R."""
    c1 = l1 * (a.T * W1) - nu_ * (a.T * W2)          # λ1 aᵀw1 − ν aᵀw2   (1×1)
    c2 = -nu_ * (a.T * W1) + l2 * (a.T * W2)         # −ν aᵀw1 + λ2 aᵀw2  (1×1)
    return (G * a - a * c1,                                              # Eq. (9)
            -a * c2,                                                     # Eq. (10)
            -s2 * a * (a.T * R),                                         # Eq. (11)
            G * W1 - W1 * c1 - W2 * c2 - s2 * R * (R.T * a))              # Eq. (12)


decomposed_rhs = decomposed_rhs_of(
    sp.MatrixSymbol("a", _mm, 1), sp.MatrixSymbol("w_1", _mm, 1), sp.MatrixSymbol("w_2", _mm, 1),
    sp.MatrixSymbol("R", _mm, _dd), G=sigma_xy_norm, l1=lambda1, l2=lambda2, nu_=nu, s2=sigma2)

_G = sigma_xy_norm

#: Eq. (35), one component: w1(t), a(t) from w1(0) = r1 + q1, a(0) = r1 − q1
early_linear_solution = (r10 * sp.exp(_G * t / tau) + q10 * sp.exp(-_G * t / tau),
                         r10 * sp.exp(_G * t / tau) - q10 * sp.exp(-_G * t / tau))

#: Eq. (36), right-hand side τ du/dt, as a function of the symbol w1 standing for u
bernoulli_rhs = _G * w1 - lambda1 * w1**3


def bernoulli_u_in(G, l1):
    """Eq. (37) with ‖Σxy‖ = G, λ1 = l1 (free symbols for the ODE checks)."""
    return sp.sqrt(G / l1 / (1 + ((G / l1) / u0**2 - 1) * sp.exp(-2 * G * t / tau)))


def bernoulli_u_eq17_in(G, l1):
    """Eq. (17) / (38), the printed main-text form, with ‖Σxy‖ = G, λ1 = l1."""
    return sp.sqrt(G / ((1 - sp.exp(-2 * G * t / tau)
                         + G / l1 * u0**-2 * sp.exp(-2 * G * t / tau)) * l1))


def early_loss_midpoint_in(G, l1):
    """Time at which u² of Eq. (37) reaches (1 − 1/√2)G/l1, the loss midpoint."""
    return tau / (2 * G) * sp.log((G / (l1 * u0**2) - 1) / (1 + sp.sqrt(2)))


bernoulli_u = bernoulli_u_in(_G, lambda1)
bernoulli_u_eq17 = bernoulli_u_eq17_in(_G, lambda1)

early_timescale = tau / (2 * _G) * sp.log(_G / (lambda1 * s**2))

_r2 = w1**2 + w2**2
#: Eqs. (18)-(19): τ dw1/dt, τ dw2/dt
reduced_rhs = (_G * sp.sqrt(_r2) - lambda1 * w1 * _r2 + nu * w2 * _r2,
               nu * w1 * _r2 - lambda2 * w2 * _r2)

#: ν/λ2 of Eqs. (32)-(33) in lowest terms: λ2 = σ²(1 + ρ)(1 + ρA²)/D, so the ratio is
#: ρA√(1 − A²)/(1 + ρA²) (the identity is checked in verify). The claims below use this form:
#: SymPy's evalf of the unreduced quotient takes minutes at some points (e.g. ρ = 20, A = 0.9).
nu_over_lambda2 = rho * A * sp.sqrt(1 - A**2) / (1 + rho * A**2)

#: Eq. (41) with the fixed-point condition of Eq. (19): w2* = (ν/λ2) w1*, w1*² + w2*² = 1
w1_star = 1 / sp.sqrt(1 + nu_over_lambda2**2)
w2_star = nu_over_lambda2 / sp.sqrt(1 + nu_over_lambda2**2)

#: the ratio ν/λ2 and λ2 as free positive symbols: Eqs. (40)-(42) are derived in them, then
#: Appendix A is substituted (SymPy cannot simplify the nested radicals of the substituted form)
c_ratio, l2_sym = sp.symbols("c lambda_2", positive=True)


def later_phase_integrand_in(c, L):
    """Eq. (39): 1/((w1*² + x²)(ν w1* − λ2 x)) with ν = cL, λ2 = L."""
    return 1 / ((w1s**2 + x**2) * (c * L * w1s - L * x))


def later_phase_antiderivative_in(c, L):
    """Eq. (40), the printed antiderivative, with ν/λ2 = c and λ2 = L."""
    return (1 / (L * w1s**2 * (1 + c**2))
            * (c * sp.atan(x / w1s) + sp.log(x**2 + w1s**2) / 2 - sp.log(c * w1s - x)))


def later_phase_bound_in(c, L):
    """Eq. (20) / (42) with ν/λ2 = c and λ2 = L."""
    e = 1 - sp.exp(-delta)
    return tau / L * (c * sp.atan(c * e) + sp.log(1 + (c * e) ** 2) / 2 + delta)


later_phase_integrand = later_phase_integrand_in(nu_over_lambda2, lambda2)
later_phase_antiderivative = later_phase_antiderivative_in(nu_over_lambda2, lambda2)
#: Eq. (20) / (42)
later_phase_bound = later_phase_bound_in(nu_over_lambda2, lambda2)


def conservation_rhs_of(a, W, Sigma, Sxy):
    """τ d/dt (a aᵀ − W Wᵀ) under Eqs. (6)-(7) with population moments (Σ̂ → Σ)."""
    g = Sxy - Sigma * W.T * a                      # Σxy − Σ Wᵀ a   (d×1)
    da, dW = W * g, a * g.T                        # Eqs. (7), (6)
    return (da * a.T + a * da.T) - (dW * W.T + W * dW.T)


def derive_bound(c=c_ratio, L=l2_sym) -> sp.Expr:
    """Eq. (20) from Eq. (40): τ × the antiderivative between w2(t1) = 0 and
    (1 − e^{−δ}) w2*, with w1* = 1/√(1 + c²) and w2* = c w1* (Eq. 41), for ν/λ2 = c, λ2 = L."""
    F = later_phase_antiderivative_in(c, L)
    star = 1 / sp.sqrt(1 + c**2)
    upper = (1 - sp.exp(-delta)) * c * star
    return tau * (F.subs({x: upper, w1s: star}) - F.subs({x: 0, w1s: star}))


def derive_fixed_point() -> tuple[sp.Expr, sp.Expr]:
    """w1*, w2* from aᵀW → βᵀ: in the basis (v1, v2), β = (v1ᵀβ, v2ᵀβ); with a = r = 1 the fixed
    point is w_i* = viᵀβ. Same plane coordinates as derive_appendix_a."""
    mu_ = sp.Matrix([1, 0])
    beta = sp.Matrix([A, sp.sqrt(1 - A**2)])
    sigma = sigma2 * (sp.eye(2) + rho * mu_ * mu_.T)
    sxy = sigma * beta
    v1 = sxy / sp.sqrt(sp.expand(sxy.dot(sxy)))
    v2 = sp.Matrix([-v1[1], v1[0]])
    return sp.simplify(v1.dot(beta)), sp.simplify(v2.dot(beta))


_P3 = ("sigma2", "rho", "A")
_STATE = ("State variables (w1, w2, a, R, r_1, q_1, x) are free symbols: this is a dynamical law, "
          "checked symbolically and by integration; evaluate() does not apply. ")

register(Claim(
    id="linear_dynamics.decomposed_rhs", expr=decomposed_rhs, params=_P3,
    source="000 Eqs. (9)-(12)",
    statement="The gradient flow (6)-(7) with population moments, written in the basis V: "
    "τẇ1 = ‖Σxy‖a − (λ1aᵀw1 − νaᵀw2)a, τẇ2 = −(−νaᵀw1 + λ2aᵀw2)a, τẇi = −σ²aᵀwi a (i ≥ 3), "
    "τȧ = ‖Σxy‖w1 − (…)w1 − (…)w2 − σ²Σ aᵀwi wi.",
    derived_from=("linear_dynamics.sigma_xy_norm", "linear_dynamics.lambda1",
                  "linear_dynamics.lambda2", "linear_dynamics.nu"),
    conditions=_STATE + "Population limit n → ∞ (Σ̂ → Σ); R = (w3, …, wd) collects Eq. (11).",
))
register(Claim(
    id="linear_dynamics.early_linear_solution", expr=early_linear_solution,
    params=("sigma2", "rho", "A", "tau", "t"), source="000 Eq. (35)",
    statement="Solution of the linearized early-phase system (34): each component of w1 and a is "
    "r1 e^{‖Σxy‖t/τ} ± q1 e^{−‖Σxy‖t/τ} with r1, q1 = (w1(0) ± a(0))/2.",
    derived_from=("linear_dynamics.decomposed_rhs",),
    conditions=_STATE + "Exact for Eq. (34); for the network only while the cubic terms, "
    "O(s³), are negligible.",
))
register(Claim(
    id="linear_dynamics.bernoulli_u", expr=bernoulli_u,
    params=("sigma2", "rho", "A", "tau", "u0", "t"), source="000 Eqs. (36)-(37), (17)",
    statement="The magnitude u(t) of w1 ≈ a ≈ u r̂1 in the early phase solves the Bernoulli "
    "equation τu̇ = ‖Σxy‖u − λ1u³; its solution (37) equals the printed Eq. (17).",
    derived_from=("linear_dynamics.decomposed_rhs",), as_printed=None,
    conditions="Eq. (16) claims the reduction holds up to O(s). It does so uniformly in time only "
    "when ν = 0; for ν > 0 the w2 component grows as ν∫u³dt during the transition and Eq. (17) "
    "misses the network by an s-independent amount (recorded as a confirmed miss).",
))
register(Claim(
    id="linear_dynamics.early_timescale", expr=early_timescale,
    params=("sigma2", "rho", "A", "tau", "s"), source="000 §3.2.1 (after Eq. 14 and Eq. 17)",
    statement="Characteristic time of the early phase: τ/(2‖Σxy‖)·log(‖Σxy‖/(λ1 s²)).",
    derived_from=("linear_dynamics.bernoulli_u",),
    conditions="Derived from Eq. (37) with u(0) = s; the network's u(0) = ‖(w1(0) + a(0))/2‖ ≈ "
    "s√((1 + m/d)/4) shifts the time of the loss drop by the s-independent offset "
    "τ/(2‖Σxy‖)·[log(s²/u(0)²) − log(1 + √2)] (the latter for the loss midpoint).",
))
register(Claim(
    id="linear_dynamics.reduced_rhs", expr=reduced_rhs, params=_P3, source="000 Eqs. (18)-(19)",
    statement="Reduced scalar dynamics of w1, w2 (a = √(w1² + w2²)).",
    derived_from=("linear_dynamics.decomposed_rhs", "linear_dynamics.conservation_law"),
    conditions=_STATE + "Exact when w_i(0) = 0 (i ≥ 3) and a(0), w1(0), w2(0) are aligned with "
    "|a(0)|² = w1(0)² + w2(0)²; otherwise an O(s) approximation (Appendix C). Measured against the "
    "network (population flow, m = 50, d = 30): deviation vectors O(s); the projections r̂1ᵀWv1, "
    "r̂1ᵀWv2 follow the reduced path to O(s²) once the decaying mode of Eq. (35) has died, "
    "provided the path starts at the network's growing mode, w1(0) = ‖r1‖ − w2(0)²/(4‖r1‖); "
    "starting at w1(0) = ‖r1‖ leaves an s-independent deviation.",
))
_a_sym, _W_sym = sp.MatrixSymbol("a", _mm, 1), sp.MatrixSymbol("W", _mm, _dd + 2)
_g_sym = sp.MatrixSymbol("g", _dd + 2, 1)
#: (τ d(aaᵀ)/dt, τ d(WWᵀ)/dt) under Eqs. (6)-(7), written with g = Σxy − ΣWᵀa: the same two terms
_conservation_pair = (sp.MatAdd(_W_sym * _g_sym * _a_sym.T, _a_sym * _g_sym.T * _W_sym.T, evaluate=False),
                      sp.MatAdd(_a_sym * _g_sym.T * _W_sym.T, _W_sym * _g_sym * _a_sym.T, evaluate=False))
register(Claim(
    id="linear_dynamics.conservation_law",
    expr=_conservation_pair, params=_P3,
    source="000 §3.2.2 (conservation law)",
    statement="Under the gradient flow (6)-(7) τ d(aaᵀ)/dt and τ d(WWᵀ)/dt are the same two terms "
    "Wgaᵀ + agᵀWᵀ (g = Σxy − ΣWᵀa), so aaᵀ − WWᵀ = aaᵀ − Σ wi wiᵀ stays at its O(s²) initial value.",
    conditions=_STATE + "Exact for gradient flow (with Σ̂ or Σ); gradient descent with step η "
    "drifts by O(η) over a fixed time t/τ.",
))
register(Claim(
    id="linear_dynamics.w1_star", expr=w1_star, params=_P3, source="000 Eq. (41)",
    statement="Fixed point of the reduced dynamics: w1* = 1/√(1 + (ν/λ2)²) = v1ᵀβ.",
    derived_from=("linear_dynamics.reduced_rhs",),
    derivation=lambda: derive_fixed_point()[0],
))
register(Claim(
    id="linear_dynamics.w2_star", expr=w2_star, params=_P3, source="000 Eq. (41)",
    statement="Fixed point of the reduced dynamics: w2* = (ν/λ2) w1* = v2ᵀβ.",
    derived_from=("linear_dynamics.reduced_rhs",),
    derivation=lambda: derive_fixed_point()[1],
))
register(Claim(
    id="linear_dynamics.later_phase_antiderivative", expr=later_phase_antiderivative, params=_P3,
    source="000 Eq. (40)",
    statement="Partial-fraction antiderivative of 1/((w1*² + x²)(νw1* − λ2x)) used in Eq. (40).",
    derived_from=("linear_dynamics.reduced_rhs",),
    conditions=_STATE + "Valid for x < (ν/λ2) w1* = w2*, where the log argument is positive.",
))
register(Claim(
    id="linear_dynamics.later_phase_bound", expr=later_phase_bound,
    params=("sigma2", "rho", "A", "tau", "delta"), source="000 Eq. (20) / (42)",
    statement="Upper bound on t2 − t1, the time for w2 to grow from w2(t1) ≈ 0 to (1 − e^{−δ})w2*.",
    derived_from=("linear_dynamics.later_phase_antiderivative", "linear_dynamics.w1_star",
                  "linear_dynamics.w2_star"),
    derivation=lambda: derive_bound(nu_over_lambda2, lambda2),
    conditions="Rests on the assumption w1(t) ≥ w1* and w2(t) ≤ w2* for t ≥ t1 (Eq. 39), on "
    "w2(t1) ≈ 0, and on s → 0; t1 (the start of the later phase) is not defined in the paper. "
    "Measured on 8 ρ × 8 A × 3 δ: wherever the assumption holds the bound holds. With t1 = the "
    "early timescale (the paper's marker) the assumption holds in 18 of 192 cells and the bound "
    "fails in 107 (small ρA, where w1 approaches w1* from below); with t1 = first time w1 = w1* "
    "the assumption holds in 186 cells and the bound never fails, but w2(t1) is then far from 0 "
    "(t2 < t1 in 88 cells).",
))
register(Claim(
    id="linear_dynamics.no_later_phase", expr=reduced_rhs[1].subs(nu, 0), params=_P3,
    source="000 §3.2.2 (after Eq. 19)",
    statement="If A = 0, A = 1 or ρ = 0 then ν = 0 and τẇ2 = −λ2 w2 (w1² + w2²): w2 never grows "
    "beyond its initial O(s) value and there is no later phase.",
    derived_from=("linear_dynamics.nu", "linear_dynamics.reduced_rhs"),
    conditions=_STATE,
))

#: time at which the early-phase loss L = βᵀΣβ − 2‖Σxy‖u² + λ1u⁴ (aᵀW = u²v1ᵀ, Eq. 37) reaches the
#: midpoint between L(0) ≈ βᵀΣβ and the plateau βᵀΣβ − ‖Σxy‖²/λ1, i.e. u² = (1 − 1/√2)‖Σxy‖/λ1
early_loss_midpoint = early_loss_midpoint_in(_G, lambda1)

register(Claim(
    id="linear_dynamics.early_loss_midpoint", expr=early_loss_midpoint,
    params=("sigma2", "rho", "A", "tau", "u0"), source="000 Eq. (37) (loss-drop time, derived)",
    statement="Time at which the early-phase loss is halfway down its drop: "
    "τ/(2‖Σxy‖)·log((‖Σxy‖/(λ1u0²) − 1)/(1 + √2)); it differs from the printed early timescale by "
    "τ/(2‖Σxy‖)[log(s²/u0²) − log(1 + √2)] + O(u0²), an s-independent offset.",
    derived_from=("linear_dynamics.bernoulli_u", "linear_dynamics.early_timescale"),
    conditions="Neglects w2 (exact for ν = 0); requires u0² < (1 − 1/√2)‖Σxy‖/λ1.",
))


# -- Appendix C: dynamics of the deviation vectors ------------------------------------------------
def deviation_rhs_of(a, W1, W2, R, P, *, G, l1, l2, nu_, s2, printed: bool = False):
    """τ·d/dt of (Δw1, Δw2, Δa) = P⊥(w1, w2, a) by Eqs. (43)-(45): P⊥ applied to Eqs. (9), (10),
    (12). The i ≥ 3 term of Eq. (12) is −σ²Σ aᵀwi wi, so its projection is −σ² P⊥ R Rᵀ a;
    Eq. (45) prints it with a plus sign (``printed=True``)."""
    c1 = l1 * (a.T * W1) - nu_ * (a.T * W2)
    c2 = -nu_ * (a.T * W1) + l2 * (a.T * W2)
    sign = 1 if printed else -1
    return (G * P * a - P * a * c1,                                       # Eq. (43)
            -P * a * c2,                                                  # Eq. (44)
            G * P * W1 - P * W1 * c1 - P * W2 * c2 + sign * s2 * P * R * (R.T * a))  # Eq. (45)


_P_sym = sp.MatrixSymbol(r"P_{\perp}", _mm, _mm)
_dev_args = (sp.MatrixSymbol("a", _mm, 1), sp.MatrixSymbol("w_1", _mm, 1), sp.MatrixSymbol("w_2", _mm, 1),
             sp.MatrixSymbol("R", _mm, _dd), _P_sym)
_dev_kw = dict(G=sigma_xy_norm, l1=lambda1, l2=lambda2, nu_=nu, s2=sigma2)

register(Claim(
    id="linear_dynamics.deviation_rhs", expr=deviation_rhs_of(*_dev_args, **_dev_kw), params=_P3,
    source="000 Eqs. (43)-(45)",
    statement="Dynamics of the deviation vectors Δw1 = P⊥w1, Δw2 = P⊥w2, Δa = P⊥a (P⊥ = I − r̂1r̂1ᵀ): "
    "P⊥ applied to Eqs. (9), (10), (12).",
    derived_from=("linear_dynamics.decomposed_rhs",),
    as_printed=deviation_rhs_of(*_dev_args, **_dev_kw, printed=True),
    conditions=_STATE + "Eq. (45) prints the i ≥ 3 term as +σ²Σ aᵀwi Δwi; projecting Eq. (12) gives "
    "−σ²Σ aᵀwi Δwi. The sign does not matter for the bound (48), which takes absolute values, but "
    "Eqs. (47)-(49) then carry the term without |·|.",
))


# -- Appendix C: the energy inequality (47)-(49) and the Grönwall bound (50) -----------------------
# State of Eqs. (47)-(49) as scalars: p1 = aᵀw1, p2 = aᵀw2, the energy E of Eq. (46), and for the
# i ≥ 3 block (in any orthonormal completion v3, …, vd of v1, v2) the sums over i ≥ 3 of |aᵀwi|,
# aᵀwi, |aᵀwi|·‖Δwi‖² and aᵀwi·‖Δwi‖² (the printed form carries them without |·|).
p1, p2, E_dev = sp.symbols("p_1 p_2 E", real=True)
rest_abs, rest_signed, restq_abs, restq_signed = sp.symbols(
    "S_abs S_signed Q_abs Q_signed", real=True)

#: the two coefficients of Eq. (47): τ dE/dt = 2c ΔaᵀΔw1 − 2k ΔaᵀΔw2 − σ²Σ aᵀwi ΔaᵀΔwi
deviation_c = _c_dev = _G - (lambda1 * p1 - nu * p2)
deviation_k = _k_dev = -nu * p1 + lambda2 * p2


def alignment_rate_in(c, k, s2, rest, printed: bool = False):
    """The rate K of τ dE/dt ≤ K·E + remainder. Derived from Eq. (47): Cauchy-Schwarz and
    2xy ≤ x² + y² give |c|(‖Δa‖² + ‖Δw1‖²) + |k|(‖Δa‖² + ‖Δw2‖²) + ½σ²Σ|aᵀwi|(‖Δa‖² + ‖Δwi‖²),
    and each bracket except the last ‖Δwi‖² is ≤ 2E: K = 2(|c| + |k| + ½σ²Σ|aᵀwi|). Eq. (49) prints
    C = c + |k| + ½σ²Σ aᵀwi (``printed=True``): without the factor 2 and without |·| on c and aᵀwi."""
    if printed:
        return c + sp.Abs(k) + sp.Rational(1, 2) * s2 * rest
    return 2 * (sp.Abs(c) + sp.Abs(k) + sp.Rational(1, 2) * s2 * rest)


alignment_rate = alignment_rate_in(_c_dev, _k_dev, sigma2, rest_abs)
alignment_rate_printed = alignment_rate_in(_c_dev, _k_dev, sigma2, rest_signed, printed=True)

register(Claim(
    id="linear_dynamics.alignment_energy_inequality",
    expr=alignment_rate * E_dev + sigma2 * restq_abs / 2, params=_P3,
    source="000 Appendix C, Eqs. (47)-(49)",
    statement="Right-hand side of the differential inequality for the deviation energy: "
    "τ dE/dt ≤ 2(|c| + |k| + ½σ²Σ_{i≥3}|aᵀwi|)·E + ½σ²Σ_{i≥3}|aᵀwi|‖Δwi‖², with "
    "c = ‖Σxy‖ − (λ1aᵀw1 − νaᵀw2), k = −νaᵀw1 + λ2aᵀw2 (the last term is the O(s³) of Eq. 48).",
    derived_from=("linear_dynamics.deviation_rhs",),
    as_printed=alignment_rate_printed * E_dev + sigma2 * restq_signed / 2,
    conditions="State variables (p1 = aᵀw1, p2 = aᵀw2, E and the i ≥ 3 sums) are free symbols: "
    "checked symbolically and along integrated flows; evaluate() does not apply. The i ≥ 3 sums "
    "depend on the completion v3, …, vd; any orthonormal one gives a valid bound. "
    "Eqs. (48)-(49) as printed lose, between the first and second line, the "
    "|·| on c (and on aᵀwi), and, between the second and third, the factor 2: ‖Δa‖² + ‖Δw1‖² ≤ 2E, "
    "not E. The factor 2 is attained (Δa = Δw1, Δw2 = 0, k = 0 gives τ dE/dt = 2cE), and along the "
    "paper's network flow (ρ = 20, A = 0.3, m = 50, d = 30) the printed inequality fails during "
    "the transition (τ dE/dt exceeds C·E + remainder by ≈ 27% of the terms' size) while the "
    "corrected one holds; dropping only the |·| on c (c < 0 after the overshoot) or only the "
    "factor 2 also fails there. It changes the conclusion: the Grönwall factor of Eq. (50) grows as s⁻² "
    "instead of s⁻¹, and the bound on E becomes O(1) (see alignment_gronwall_order).",
))


def derive_gronwall_order(factor) -> tuple[sp.Expr, sp.Expr]:
    """Exponent of s in sup_t exp(∫₀ᵗ K/τ) and the order in s of the bound √(2E) it gives, for
    K = factor·(‖Σxy‖ − λ1u²) + (s-independent, integrable terms) during the early phase.

    While w1 ≈ a ≈ u r̂1 (Eq. 37) c = G − λ1u² and k = O(u² ν), and τ du/dt = (G − λ1u²)u, so
    ∫₀ᵗ c/τ dt' = log(u(t)/u0) exactly: the early phase contributes factor·log(u_sat/u0) with
    u_sat = √(G/λ1), u0 ∝ s, over a time ≈ τ/(2G)·log(G/(λ1s²)) that grows like log(1/s). The rest
    (|c| − c after the overshoot, |k|, the later phase up to the fixed point, where c = k = 0)
    does not depend on s to leading order. E(0) + ∫O(s³) = O(s²), so E ≤ O(s^{2 + exponent})."""
    G, l1 = sp.symbols("G lambda_1", positive=True)
    log_growth = sp.limit(sp.log(bernoulli_u_in(G, l1) / u0), t, sp.oo)   # log(u_sat/u0)
    exponent = sp.simplify(u0 * sp.diff(factor * log_growth, u0))          # d log F / d log u0
    return exponent, sp.nsimplify((2 + exponent) / 2)


register(Claim(
    id="linear_dynamics.alignment_gronwall_order",
    expr=(sp.Integer(-2), sp.Integer(0)), params=(),
    source="000 Appendix C, Eq. (50) with the early timescale of §3.2.1",
    statement="Order in s of the Grönwall factor sup_t exp(∫₀ᵗK/τ) of Eq. (50) (first entry: −2 "
    "with the corrected rate K = 2(|c| + |k| + …)) and of the resulting bound on the deviations "
    "‖Δ‖ ~ √E (second entry: 0, i.e. no decay in s).",
    derived_from=("linear_dynamics.alignment_energy_inequality", "linear_dynamics.bernoulli_u",
                  "linear_dynamics.early_timescale"),
    as_printed=(sp.Integer(-1), sp.Rational(1, 2)),
    derivation=lambda: derive_gronwall_order(2),
    conditions="Proof gap. Appendix C bounds C(t) and concludes from Eq. (50) that the deviations "
    "vanish as s → 0, but the factor exp(∫C/τ) is taken over the early phase, which lasts "
    "≈ τ/(2‖Σxy‖)·log(‖Σxy‖/(λ1s²)) → ∞: with the printed C (factor 1) it is ∝ s⁻¹ and the proof "
    "as written gives E = O(s), ‖Δ‖ = O(√s) (as_printed: (−1, 1/2)); with the corrected rate "
    "(factor 2, Eqs. 48-49) it is ∝ s⁻² and gives E = O(1), no conclusion. The measured "
    "deviations are O(s) (E = O(s²)): the bound holds along the flow but is loose by s⁻²; the "
    "O(s) claim of §3.2.2 is true but not proved by this argument.",
))
register(Claim(
    id="linear_dynamics.alignment_order", expr=sp.Integer(1), params=(),
    source="000 §3.2.2 (alignment up to O(s) corrections) and Appendix C",
    statement="Order in s of the deviation energy's square root √(2 sup_t E(t)) (Eq. 46): the "
    "vectors a, w1, w2 stay aligned with r̂1 up to O(s) for all time.",
    derived_from=("linear_dynamics.deviation_rhs",),
    conditions="The proof of Appendix C does not give this order (alignment_gronwall_order: O(√s) "
    "as printed, O(1) once Eqs. 48-49 are corrected); the order is measured on the network.",
))
