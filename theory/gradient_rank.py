"""Paper 003 (Sonthalia, Murray, Montúfar, *Low Rank Gradients and Where to Find Them*): the
first-layer gradient of a two-layer network under spiked data is close to rank two.

The seed file 003 is only the abstract, which states four claims without formulas: (i) G = ∇_W L
is approximately low rank, (ii) dominated by two rank-one terms, one along the bulk data-residue and
one along the spike, (iii) the scaling (mean-field c_m = 1/m vs NTK c_m = 1/√m) and the activation
set their balance, (iv) weight decay, input noise and Jacobian penalties modulate them selectively.
Every formula below is the suite's own precise version, derived here from first principles; each
claim's ``conditions`` says so and lists the approximations.

Set-up (the suite's choice). X = X_B + ζ z qᵀ ∈ R^{n×d}: bulk rows x_B ~ N(0, Σ_b), Σ_b with
eigenvalues λ_k ∝ k^{−α} and tr Σ_b = d; unit spike direction q (random, independent of Σ_b's
eigenbasis); latent z ~ N(0, I_n); spike strength ζ = n^ν. Target y = βᵀx_B/√(βᵀΣ_bβ) for a random
unit β (bulk only: E[y z] = 0). Network f(x) = c_m Σ_j a_j σ(w_jᵀx), w_j ~ N(0, I_d/d), a_j = ±1,
c_m = m^{−p} (p = 1 mean-field, p = 1/2 NTK). Loss L = (1/2n) Σ_i r_i², r = f(X) − y. Optional
input noise x_B → x_B + sξ (one draw; the target stays clean). G is m×d (the paper's G transposed).

Step 1 (chain rule). ∂L/∂W_jk = (1/n) Σ_i r_i c_m a_j σ′(w_jᵀx_i) x_ik, i.e.
    G = (c_m/n) diag(a) σ′(XWᵀ)ᵀ diag(r) X.
Step 2 (centring σ′, as the issue suggests). For any constants κ_j write σ′(h_ij) = κ_j + σ′⊥_ij;
with X = X_B + ζ z qᵀ the product splits exactly into
    R = (c_m/n) (a⊙κ)(Xᵀr)ᵀ                       residue term: rank one, right vector Xᵀr
    S = (c_m ζ/n) (a ⊙ σ′⊥ᵀ(r⊙z)) qᵀ              spike term: rank one, right vector q
    E = (c_m/n) diag(a) σ′⊥ᵀ diag(r) X_B           remainder.
The suite takes κ_j = E_x σ′(w_jᵀx) (population mean; 1/2 for ReLU at any variance).
Step 3 (leading-order energies). Averages over data, W and a, keeping the leading term in 1/√m,
1/√d and ζ²/d, via Gaussian integration by parts (Stein): E[g(x) z] = ζ Σ_k (w_kᵀq) E[∂_k g] and
E[x_B g(x)] = Σ_b E[∇g]. With P = c_m² m = m^{1−2p}, q̄ = 1 + s² + ζ²/d the pre-activation
variance, κ = E σ′, v′ = Var σ′, s₂ = E σ², b = E σ″ · E σ (all at variance q̄), ρ₂ = 1 + P s₂ ≈ E r²,
t₂ = tr(Σ_b²)/d and t̃₂ = t₂ + 2s² + s⁴:
    E‖R‖²_F/(c_m² m) = κ²[(d/n)(1+s²)ρ₂ + t₂ + Pκ² t̃₂ + ζ²(ζ²Pκ²/d + ρ₂/n) + 2ζ²Pκ²(1+s²)/d]
    E‖S‖²_F/(c_m² m) = ζ²[ζ² P b²/d + v′ρ₂/n + ζ² c₃²(1 + Pκ²) t₂/d²]
    E‖E‖²_F/(c_m² m) = v′ρ₂ (1+s²) d/n + P b² t̃₂ + c₃²(1 + Pκ²)(t₂²/d + 2t₄/d²),
with c₃ = E σ‴ and t₄ = tr(Σ_b⁴)/d (the last term: the curvature of σ′ meeting the residual's
linear part; zero for ReLU, sizeable for tanh on an ill-conditioned bulk).
The coherent spike energy ζ⁴Pb²/d comes from the mean output f̄ = c_m Σ_k a_k E σ(h_k) (of size
√P E σ) acting through E σ″: it needs E σ ≠ 0 and E σ″ ≠ 0 (ReLU: b = 1/(2π); odd activations such
as tanh: b = 0), and it is suppressed by P = 1/m in the mean-field scaling. This is how scaling and
activation set the balance: ‖S‖ grows like ζ² (NTK, ReLU) or only like ζ (mean-field, or tanh on
an isotropic bulk). For odd σ the next coherent term, ζ⁴c₃²(1 + Pκ²)t₂/d² with c₃ = E σ‴, comes from
the curvature of σ′ meeting the residual's linear part; it grows with the bulk's t₂ = tr(Σ_b²)/d.
"""

from __future__ import annotations

from functools import cache

import mpmath
import sympy as sp

from .claims import Claim, register
from .symbols import alpha_exp, d, lam, m, n, noise_var, scale_exp, zeta

_h = sp.Symbol("h", real=True)

#: the suite's statement that every formula here is its own derivation (003 is an abstract)
OWN = ("Seed 003 is only an abstract: this is the suite's own precise version, derived in "
       "theory.gradient_rank from first principles (module docstring, Steps 1-3). ")
APPROX = ("Leading order: neglects relative corrections O(1/√m) (a neuron's own term in f), "
          "O(1/√d) (overlaps w_jᵀw_k, fluctuations of q_j) and O(ζ²/d) (higher Hermite orders of "
          "the spike in the pre-activations); valid for ζ² ≪ d, i.e. ν < 1/2 at d ∝ n. ")

P = m ** (1 - 2 * scale_exp)  # c_m² m
QBAR = 1 + noise_var + zeta**2 / d
T2 = d * sp.harmonic(d, 2 * alpha_exp) / sp.harmonic(d, alpha_exp) ** 2
T2_TILDE = T2 + 2 * noise_var + noise_var**2
T4 = d**3 * sp.harmonic(d, 4 * alpha_exp) / sp.harmonic(d, alpha_exp) ** 4  # tr(Σ_b⁴)/d


_TANH_KINDS = {1: (r"\operatorname{sech}^{2}", lambda x: mpmath.sech(x) ** 2),
               2: (r"\operatorname{sech}^{4}", lambda x: mpmath.sech(x) ** 4),
               3: (r"\tanh^{2}", lambda x: mpmath.tanh(x) ** 2),
               4: (r"\tanh^{(3)}", lambda x: -2 * mpmath.sech(x) ** 2 * (1 - 3 * mpmath.tanh(x) ** 2))}


class TanhMoment(sp.Function):
    """E[φ(√v g)], g ~ N(0, 1), for φ = sech² (kind 1), sech⁴ (kind 2), tanh² (kind 3), tanh‴
    (kind 4).

    A SymPy function of (kind, v) that stays symbolic until evaluated; its numeric value is the
    Gaussian integral ∫ φ(√v g) e^{−g²/2} dg/√(2π) by mpmath's tanh-sinh quadrature at the
    requested precision (SymPy's own Integral.evalf does the same, about 100× slower)."""

    nargs = 2

    @classmethod
    def eval(cls, kind, var):
        if kind.is_Integer and int(kind) not in _TANH_KINDS:
            raise ValueError(f"TanhMoment kind must be one of {sorted(_TANH_KINDS)}, got {kind}")
        return None

    def _eval_evalf(self, prec):
        kind, var = self.args
        if not var.is_number:
            return None
        # SymPy's adaptive evalf re-asks at rising precision: round the working precision up to a
        # multiple of 64 bits (>= 128) and key the cache on the exact argument, so each moment is
        # integrated once per precision band
        work = max(128, 64 * -(-(prec + 20) // 64))
        return sp.Float._new(_tanh_moment(int(kind), var, work), prec)

    def _latex(self, printer, exp=None):
        kind, var = self.args
        body = (rf"\mathbb{{E}}\,{_TANH_KINDS[int(kind)][0]}\!\left(\sqrt{{{printer._print(var)}}}"
                r"\,g\right)")
        return body if exp is None else rf"\left({body}\right)^{{{exp}}}"


@cache
def _tanh_moment(kind: int, var: sp.Expr, prec: int):
    with mpmath.workprec(prec):
        root = mpmath.sqrt(mpmath.mpf(sp.Float(var, mpmath.libmp.prec_to_dps(prec) + 5)._mpf_))
        phi = _TANH_KINDS[kind][1]
        value = mpmath.quad(lambda g: phi(root * g) * mpmath.exp(-g * g / 2), [-mpmath.inf, 0, mpmath.inf])
        value /= mpmath.sqrt(2 * mpmath.pi)
    return mpmath.mpf(value)._mpf_


def moments(activation: str, var=QBAR) -> dict[str, sp.Expr]:
    """κ = Eσ′, v′ = Var σ′, s₂ = Eσ², b = Eσ″·Eσ at pre-activation variance ``var``.

    ReLU in closed form (Eσ′ = P(h > 0) = 1/2, σ′² = σ′, Eσ² = var/2, Eσ = √(var/2π), Eσ″ = density
    of h at 0 = 1/√(2π var)); tanh as Gaussian integrals (σ′ = sech² is even, so Eσ = Eσ″ = 0)."""
    if activation == "relu":
        return {"kappa": sp.Rational(1, 2), "vprime": sp.Rational(1, 4), "s2": var / 2,
                "b": 1 / (2 * sp.pi), "c3": sp.Integer(0)}
    if activation == "tanh":
        kappa = TanhMoment(1, var)
        return {"kappa": kappa, "vprime": TanhMoment(2, var) - kappa**2,
                "s2": TanhMoment(3, var), "b": sp.Integer(0), "c3": TanhMoment(4, var)}
    raise ValueError(f"activation must be one of ('relu', 'tanh'), got {activation!r}")


def energies(activation: str) -> dict[str, sp.Expr]:
    """The three leading-order energies E‖·‖²_F/(c_m² m) of Step 3."""
    mo = moments(activation)
    kap, vp, b = mo["kappa"], mo["vprime"], mo["b"]
    rho2 = 1 + P * mo["s2"]
    residue = kap**2 * ((d / n) * (1 + noise_var) * rho2 + T2 + P * kap**2 * T2_TILDE
                        + zeta**2 * (zeta**2 * P * kap**2 / d + rho2 / n)
                        + 2 * zeta**2 * P * kap**2 * (1 + noise_var) / d)
    # coherent parts of the spike term's left vector: κ₂f̄(w_jᵀq)ζ (mean output through E σ″) and
    # c₃ cov(h_j, r)(w_jᵀq)ζ (curvature meeting the residual's linear part, as in the remainder)
    spike = zeta**2 * (zeta**2 * P * b**2 / d + vp * rho2 / n
                       + zeta**2 * mo["c3"] ** 2 * (1 + P * kap**2) * T2 / d**2)
    # E[σ″(h_j) r] = c₃·cov(h_j, r) with c₃ = E σ‴ (Stein, second order): the residual's linear
    # part c_mκΣ_k a_k w_k − β̃ gives Σ_b w_j (w_jᵀΣ_b(…)) c₃, of mean square (t₂²/d + 2t₄/d²) per unit
    # ‖Σ_b^{1/2}(…)‖² (Isserlis); zero for ReLU (E δ′ = 0), the leading anisotropic term for tanh
    curvature = mo["c3"] ** 2 * (1 + P * kap**2) * (T2**2 / d + 2 * T4 / d**2)
    remainder = vp * rho2 * (1 + noise_var) * d / n + P * b**2 * T2_TILDE + curvature
    return {"residue": residue, "spike": spike, "remainder": remainder, "rho2": rho2}


def spike_log_slope(activation: str) -> sp.Expr:
    """d ln E‖S‖² / d ln ζ = 2 + 2Aζ²/(Aζ² + B) for E‖S‖² = ζ²(Aζ² + B), with A, B taken at
    ζ = 0 (their ζ²/d dependence is of the neglected order)."""
    mo = moments(activation, 1 + noise_var)
    coherent = P * mo["b"] ** 2 / d + mo["c3"] ** 2 * (1 + P * mo["kappa"] ** 2) * T2 / d**2
    fluct = mo["vprime"] * (1 + P * mo["s2"]) / n
    return 2 + 2 * coherent * zeta**2 / (coherent * zeta**2 + fluct)


def crossover_nu(activation: str) -> sp.Expr:
    """ν at which the coherent spike energy ζ⁴Pb²/d equals the fluctuation ζ²v′ρ₂/n: ζ_c² =
    v′ρ₂ d/(n P b²), ν_c = ln ζ_c / ln n (evaluated at ζ = 0 inside ρ₂; infinite when b = 0)."""
    mo = moments(activation, 1 + noise_var)
    rho2 = 1 + P * mo["s2"]
    if mo["b"] == 0:
        return sp.oo
    zc2 = mo["vprime"] * rho2 * d / (n * P * mo["b"] ** 2)
    return sp.log(zc2) / (2 * sp.log(n))


# -- structural claims: symbolic derivation at small explicit sizes ---------------------------
_SIGMA = sp.Function("sigma")


@cache
def small_instance(n_: int = 3, d_: int = 2, m_: int = 2):
    """Explicit symbolic matrices for the structural derivations: W, a, X_B, z, q, y, c, ζ and a
    generic activation σ (an undefined SymPy function)."""
    W = sp.Matrix(m_, d_, lambda j, k: sp.Symbol(f"w{j}{k}", real=True))
    a = sp.Matrix(m_, 1, lambda j, _: sp.Symbol(f"a{j}", real=True))
    XB = sp.Matrix(n_, d_, lambda i, k: sp.Symbol(f"xb{i}{k}", real=True))
    zz = sp.Matrix(n_, 1, lambda i, _: sp.Symbol(f"z{i}", real=True))
    qq = sp.Matrix(d_, 1, lambda k, _: sp.Symbol(f"q{k}", real=True))
    y = sp.Matrix(n_, 1, lambda i, _: sp.Symbol(f"y{i}", real=True))
    kap = sp.Matrix(m_, 1, lambda j, _: sp.Symbol(f"kappa{j}", real=True))
    c, zt = sp.Symbol("c", positive=True), sp.Symbol("zeta_", nonnegative=True)
    X = XB + zt * zz * qq.T
    return dict(W=W, a=a, XB=XB, z=zz, q=qq, y=y, kappa=kap, c=c, zeta=zt, X=X, n=n_, d=d_, m=m_)


def _network_terms(inst, W=None):
    W = inst["W"] if W is None else W
    H = inst["X"] * W.T  # n×m pre-activations
    f = sp.Matrix(inst["n"], 1, lambda i, _: inst["c"] * sum(
        inst["a"][j] * _SIGMA(H[i, j]) for j in range(inst["m"])))
    return H, f


@cache
def derive_gradient_residual() -> sp.Matrix:
    """∂L/∂W by differentiating L = (1/2n)Σ r_i² entry by entry, minus the matrix formula of
    Step 1: the zero matrix if the formula is right."""
    inst = small_instance()
    H, f = _network_terms(inst)
    r = f - inst["y"]
    L = sum(ri**2 for ri in r) / (2 * inst["n"])
    G_diff = sp.Matrix(inst["m"], inst["d"], lambda j, k: sp.diff(L, inst["W"][j, k]))
    Dphi = H.applyfunc(lambda h: sp.Subs(sp.Derivative(_SIGMA(_h), _h), _h, h).doit())
    G_formula = (inst["c"] / inst["n"]) * sp.diag(*inst["a"]) * Dphi.T * sp.diag(*r) * inst["X"]
    return (G_diff - G_formula).applyfunc(sp.simplify)


@cache
def derive_split_residual() -> sp.Matrix:
    """G − (R + S + E) for the Step 2 terms with symbolic κ_j: the zero matrix (exact split)."""
    inst = small_instance()
    H, f = _network_terms(inst)
    r = f - inst["y"]
    Dphi = H.applyfunc(lambda h: sp.Subs(sp.Derivative(_SIGMA(_h), _h), _h, h).doit())
    c, n_ = inst["c"], inst["n"]
    A = sp.diag(*inst["a"])
    G = (c / n_) * A * Dphi.T * sp.diag(*r) * inst["X"]
    Dperp = Dphi - sp.ones(n_, 1) * inst["kappa"].T
    R = (c / n_) * (A * inst["kappa"]) * (inst["X"].T * r).T
    rz = sp.Matrix(n_, 1, lambda i, _: r[i] * inst["z"][i])
    S = (c * inst["zeta"] / n_) * (A * Dperp.T * rz) * inst["q"].T
    E = (c / n_) * A * Dperp.T * sp.diag(*r) * inst["XB"]
    return (G - R - S - E).applyfunc(sp.expand)


@cache
def derive_jacobian_penalty_residual() -> sp.Matrix:
    """∂/∂W of (1/n)Σ_i ‖∇_x f(x_i)‖² by differentiation, minus 2/n Σ_i [u_i u_iᵀW +
    diag(c a⊙σ″(Wx_i)) W Wᵀ u_i x_iᵀ] with u_i = c a⊙σ′(Wx_i): the zero matrix."""
    inst = small_instance(2, 2, 2)
    W, a, c, X = inst["W"], inst["a"], inst["c"], inst["X"]
    n_, m_ = inst["n"], inst["m"]
    total = 0
    formula = sp.zeros(m_, inst["d"])
    for i in range(n_):
        x = X[i, :].T
        h = W * x
        u = sp.Matrix(m_, 1, lambda j, _: c * a[j] * sp.Subs(
            sp.Derivative(_SIGMA(_h), _h), _h, h[j]).doit())
        v = sp.Matrix(m_, 1, lambda j, _: c * a[j] * sp.Subs(
            sp.Derivative(_SIGMA(_h), (_h, 2)), _h, h[j]).doit())
        grad_x = W.T * u
        total += (grad_x.T * grad_x)[0]
        formula += 2 * (u * u.T * W + sp.diag(*v) * W * W.T * u * x.T)
    total = total / n_
    formula = formula / n_
    diff = sp.Matrix(m_, inst["d"], lambda j, k: sp.diff(total, W[j, k]))
    return (diff - formula).applyfunc(sp.expand)


# -- registration -------------------------------------------------------------------------------
_G, _R, _S, _E = (sp.MatrixSymbol(name, m, d) for name in ("G", "R", "S", "E"))

register(Claim(
    id="gradient_rank.gradient_formula",
    expr=sp.Eq(_G, sp.MatrixSymbol("G_chain", m, d)), params=(),
    source="003 abstract (gradient w.r.t. the input weights); suite derivation Step 1",
    statement="G = ∂L/∂W = (c_m/n) diag(a) σ′(XWᵀ)ᵀ diag(r) X for L = (1/2n)Σ(f − y)².",
    conditions=OWN + "Chain rule only; holds for any data, weights and differentiable σ.",
    derivation=derive_gradient_residual,
))
register(Claim(
    id="gradient_rank.exact_split", expr=sp.Eq(_G, _R + _S + _E), params=(),
    source="003 abstract ('two rank-one terms … residue … spike'); suite derivation Step 2",
    statement="G = R + S + E exactly, with R = (c_m/n)(a⊙κ)(Xᵀr)ᵀ (rank one along the data-residue "
    "Xᵀr), S = (c_m ζ/n)(a⊙σ′⊥ᵀ(r⊙z))qᵀ (rank one along the spike q) and E = (c_m/n)diag(a)σ′⊥ᵀ"
    "diag(r)X_B, σ′⊥ = σ′(XWᵀ) − 1κᵀ.",
    derived_from=("gradient_rank.gradient_formula",),
    conditions=OWN + "Exact for any constants κ_j; the suite uses κ_j = E_x σ′(w_jᵀx).",
    derivation=derive_split_residual,
))
register(Claim(
    id="gradient_rank.jacobian_penalty_gradient",
    expr=sp.Eq(sp.MatrixSymbol("nabla_J", m, d), sp.MatrixSymbol("J_chain", m, d)), params=("lam_jac",),
    source="003 abstract (Jacobian penalties); suite derivation",
    statement="∇_W λ_J(1/n)Σ‖∇_x f(x_i)‖² = (2λ_J/n)Σ_i[u_iu_iᵀW + diag(c_m a⊙σ″(Wx_i))WWᵀu_ix_iᵀ], "
    "u_i = c_m a⊙σ′(Wx_i); for ReLU (σ″ = 0 a.e.) ≈ 2λ_J c_m²[κ² aaᵀW + v′W]: a rank-one term on "
    "the residue's left vector a⊙κ plus a weight decay of strength 2λ_J c_m² v′.",
    conditions=OWN + "Exact chain rule; the rank-one reading uses E σ′_jσ′_k = κ² + δ_jk v′ and "
    "neglects the O(1/√d) correlation of different neurons.",
    derivation=derive_jacobian_penalty_residual,
))

_ENERGY_P = ("n", "d", "m", "zeta", "scale_exp", "alpha_exp", "noise_var")
ENERGIES = {act: energies(act) for act in ("relu", "tanh")}
for _act, _e in ENERGIES.items():
    register(Claim(
        id=f"gradient_rank.residue_energy_{_act}", expr=_e["residue"], params=_ENERGY_P,
        source="003 abstract ('one aligned with the bulk data-residue'); suite derivation Step 3",
        statement=f"E‖R‖²_F/(c_m² m) for {_act}: the residue term, ‖R‖_F = c_m‖a⊙κ‖‖Xᵀr‖/n.",
        derived_from=("gradient_rank.exact_split",), conditions=OWN + APPROX,
    ))
    register(Claim(
        id=f"gradient_rank.spike_energy_{_act}", expr=_e["spike"], params=_ENERGY_P,
        source="003 abstract ('another aligned with the rank one spike'); suite derivation Step 3",
        statement=f"E‖S‖²_F/(c_m² m) for {_act}: fluctuation ζ²v′ρ₂/n plus coherent ζ⁴Pb²/d "
        "(mean output through E σ″) and ζ⁴c₃²(1 + Pκ²)t₂/d² (curvature E σ‴ meeting the residual).",
        derived_from=("gradient_rank.exact_split",), conditions=OWN + APPROX + (
            "For odd σ (b = 0) only the curvature term is coherent; it is ζ⁴/d² (isotropic) but "
            "grows with t₂ on an ill-conditioned bulk." if _act == "tanh" else ""),
    ))
    register(Claim(
        id=f"gradient_rank.remainder_energy_{_act}", expr=_e["remainder"], params=_ENERGY_P,
        source="003 abstract ('approximately low rank'); suite derivation Step 3",
        statement=f"E‖E‖²_F/(c_m² m) for {_act}: the remainder, spread over min(m, d) directions.",
        derived_from=("gradient_rank.exact_split",), conditions=OWN + APPROX,
    ))
    register(Claim(
        id=f"gradient_rank.top2_fraction_{_act}",
        expr=(_e["residue"] + _e["spike"]) / (_e["residue"] + _e["spike"] + _e["remainder"]),
        params=_ENERGY_P, source="003 abstract ('dominated by two rank-one terms'); suite derivation",
        statement=f"Leading-order share of ‖G‖²_F in the two rank-one terms ({_act}); the measured "
        "top-2 share exceeds it by at most the remainder's own top-2 share, and Eckart-Young gives "
        "σ₁² + σ₂² ≥ ‖G‖²_F − ‖E‖²_F exactly.",
        derived_from=(f"gradient_rank.residue_energy_{_act}", f"gradient_rank.spike_energy_{_act}",
                      f"gradient_rank.remainder_energy_{_act}"),
        conditions=OWN + APPROX + "Treats R, S and E as orthogonal (cross terms average to zero).",
    ))
    register(Claim(
        id=f"gradient_rank.spike_log_slope_{_act}", expr=spike_log_slope(_act), params=_ENERGY_P,
        source="003 abstract ('the scaling regime and the activation function govern the balance')",
        statement=f"d ln E‖S‖²/d ln ζ for {_act}: 2 where the fluctuation dominates, 4 where the "
        "coherent part (NTK, non-odd σ) dominates.",
        derived_from=(f"gradient_rank.spike_energy_{_act}",), conditions=OWN + APPROX,
    ))

register(Claim(
    id="gradient_rank.crossover_nu_relu", expr=crossover_nu("relu"),
    params=("n", "d", "m", "scale_exp", "noise_var"),
    source="003 abstract (balance set by scaling and activation); suite derivation Step 3",
    statement="ν_c = ln(v′ρ₂d/(nPb²))/(2 ln n): the spike strength ζ = n^ν at which the coherent "
    "spike energy overtakes its fluctuation (ReLU; local log-slope 3 there).",
    derived_from=("gradient_rank.spike_energy_relu",),
    conditions=OWN + APPROX + "ρ₂ taken at ζ = 0. NTK: ν_c ≈ 1/4 + O(1/ln n) at d ∝ n; "
    "mean-field: ν_c is larger by ln m/(2 ln n), outside ζ² ≪ d at m ∝ n; tanh: no crossover (b = 0).",
))


def weight_decay_top2_ratio(activation: str) -> sp.Expr:
    """F₂(λ)/F₂(0) for G + λW: weight decay adds λW, whose energy λ²‖W‖²_F ≈ λ²m is spread over
    min(m, d) directions (W has a flat spectrum), leaving R, S, E unchanged."""
    e = energies(activation)
    total = e["residue"] + e["spike"] + e["remainder"]
    return total / (total + lam**2 * m ** (2 * scale_exp))


def noise_balance_ratio(activation: str) -> sp.Expr:
    """(E‖S‖²/E‖R‖²)(s²) / (E‖S‖²/E‖R‖²)(0): input noise enters the bulk only."""
    e = energies(activation)
    ratio = e["spike"] / e["residue"]
    return ratio / ratio.subs(noise_var, 0)


def jacobian_top1_share_relu() -> sp.Expr:
    """Top-1 share of ‖∇J‖²_F for ReLU from ∇J ≈ 2λ_J c_m²(κ² aaᵀ + v′ I)W with κ² = v′ = 1/4 and
    ‖Wᵀa‖² ≈ m: (κ²m + v′)²/((κ²m + v′)² + v′²(m − 1))."""
    kap2, vp = sp.Rational(1, 4), sp.Rational(1, 4)
    top = (kap2 * m + vp) ** 2
    return top / (top + vp**2 * (m - 1))


for _act in ("relu", "tanh"):
    register(Claim(
        id=f"gradient_rank.weight_decay_top2_ratio_{_act}", expr=weight_decay_top2_ratio(_act),
        params=_ENERGY_P + ("lam",),
        source="003 abstract ('weight decay … selectively modulate these components')",
        statement=f"Weight decay λ lowers the top-2 share by the factor F₂(λ)/F₂(0) ({_act}); it "
        "leaves R and S (hence the spike overlap) unchanged and adds a flat-spectrum term.",
        derived_from=(f"gradient_rank.top2_fraction_{_act}",),
        conditions=OWN + APPROX + "Uses ‖W‖²_F ≈ m and treats λW as orthogonal to G and spread.",
    ))
    register(Claim(
        id=f"gradient_rank.input_noise_balance_{_act}", expr=noise_balance_ratio(_act),
        params=_ENERGY_P, source="003 abstract ('input noise … selectively modulate')",
        statement=f"Input noise of variance s² multiplies ‖S‖²/‖R‖² by this factor ({_act}): the "
        "noise joins the bulk, feeding the residue and remainder but not the spike term (factor < 1 "
        "for ReLU), and raises the pre-activation variance, which lowers κ = E σ′ for saturating σ "
        "(tanh: factor > 1 at s² = 1, ν = 0.35).",
        derived_from=(f"gradient_rank.residue_energy_{_act}", f"gradient_rank.spike_energy_{_act}"),
        conditions=OWN + APPROX + "One noise draw per sample (augmentation), clean target.",
    ))
register(Claim(
    id="gradient_rank.jacobian_top1_share_relu", expr=jacobian_top1_share_relu(), params=("m",),
    source="003 abstract ('Jacobian penalties … selectively modulate')",
    statement="The ReLU Jacobian-penalty gradient is rank one to leading order, with left vector a "
    "(the residue term's left vector): its top singular value holds this share of its energy.",
    derived_from=("gradient_rank.jacobian_penalty_gradient",),
    conditions=OWN + "Neglects the correlation between neurons' derivatives (arcsine law): energy "
    "shares about 1/(4π²dκ⁴) from the bulk, ζ⁴/(4π²d²κ⁴) from the spike and 1/n from sampling.",
))
