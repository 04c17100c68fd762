"""Paper 000 §4: the generalization error of ridge and min-norm (ridgeless) regression under the
spiked covariance Σ = σ²(I + ρμμᵀ), noise-free target y = βᵀx, ‖β‖ = 1, A = μᵀβ ∈ [0, 1].

Letters as in the paper: λ is the ridge penalty (``lam``), λ_i an eigenvalue of Σ, κ = κ(λ) the
root of Eq. (24), γ = d/n > 1 for the ridgeless claims. ``kappa`` below is a local symbol, not a
shared parameter: the claims that contain it are the implicit equations (24)-(25).

Derivations (each claim's ``derivation`` redoes it; the audit checks it equals ``expr``):
* Eq. (25) is a quadratic in κ, κ² + (σ²(1 − γ) − λ)κ − λσ² = 0, with one positive root.
* Eq. (26) is that root and its λ-derivative at λ → 0⁺.
* Eq. (23) with u₁ = μ, λ₁ = σ²(1 + ρ), (βᵀu₁)² = A² and the bulk weight 1 − A² gives R̂λ; at
  λ → 0⁺ it gives R̂0. The printed Eq. (27) has κ where the derivation gives ρ (erratum below).
* Implicit bias (§4 before Eq. 21: small-init GD selects the min-norm interpolant). GD moves W only
  inside row(X) (∂L/∂W = (2/n) a rᵀX), so β_net = Wᵀa = Π_row Wᵀa + Π_⊥W₀ᵀa. At zero loss the
  row part is exactly β̂₀ = Xᵀ(XXᵀ)⁻¹y; the other part has W₀Π_⊥ independent of everything that
  drives a (which sees X only through XW₀ᵀ), so given a it is N(0, (s²/d)‖a‖²Π_⊥) and
  E‖β_net − β̂₀‖² = s²‖a‖²(d − n)/d = s²‖a‖²(1 − 1/γ). The end point's a is O(1) (balance:
  ‖a‖² ≈ ‖β_net‖), so the gap is O(s), not O(s²): W₀ᵀa₀ is O(s²) only at the start.
* At finite d, Eq. (24) with the exact spectrum {σ²(1 + ρ), σ² (d − 1 times)} and n = d/γ is again
  a quadratic in κ at λ = 0 (a cubic for λ > 0): the finite-d counterpart simulations compare with.
"""

from __future__ import annotations

import math
from functools import cache

import sympy as sp

from .claims import Claim, register
from .symbols import A, Domain, d, gamma, kappa, lam, rho, s, sigma2

#: eigenvalue λ_i of Σ and overlap (βᵀu_i)² in the general-spectrum claims
_i = sp.Symbol("i", integer=True, positive=True)
_ev = sp.IndexedBase("lambda_Sigma", positive=True)
_ov = sp.IndexedBase("beta_u", nonnegative=True)
_n = sp.Symbol("n", positive=True, integer=True)

#: ridgeless claims need more dimensions than samples
OVERPARAMETRIZED = {"gamma": Domain(1, math.inf, lo_open=True, hi_open=True)}

# -- Eq. (24): general spectrum (module attribute: λ_i and n are free symbols) -------------------
kappa_equation_general = sp.Eq(1, lam / kappa + sp.Sum(_ev[_i] / (kappa + _ev[_i]), (_i, 1, d)) / _n)
#: Eq. (24) for the spiked spectrum at finite d: one eigenvalue σ²(1 + ρ), d − 1 equal to σ², n = d/γ
kappa_equation = sp.Eq(1, lam / kappa + (gamma / d) * (sigma2 * (1 + rho) / (kappa + sigma2 * (1 + rho))
                                                        + (d - 1) * sigma2 / (kappa + sigma2)))

# -- Eq. (25): spiked model, d → ∞ -----------------------------------------------------------------
kappa_equation_spiked = sp.Eq(1, lam / kappa + gamma * sigma2 / (kappa + sigma2))


@cache
def derive_kappa_spiked() -> sp.Expr:
    """The positive root of Eq. (25): multiply by κ(κ + σ²) and take the root with the + sign
    (the product of the two roots is −λσ² < 0, so exactly one is positive)."""
    eq = kappa_equation_spiked
    poly = sp.Poly(sp.cancel((eq.lhs - eq.rhs) * kappa * (kappa + sigma2)), kappa)
    a2, a1, a0 = poly.all_coeffs()
    return sp.simplify((-a1 + sp.sqrt(a1**2 - 4 * a2 * a0)) / (2 * a2))


kappa_spiked = (lam + sigma2 * (gamma - 1)
                + sp.sqrt((lam + sigma2 * (gamma - 1)) ** 2 + 4 * lam * sigma2)) / 2

kappa0 = sigma2 * (gamma - 1)
dkappa0 = gamma / (gamma - 1)


def derive_kappa0() -> sp.Expr:
    # the limit is taken with γ > 1 (the ridgeless domain): substitute γ = 1 + g, g > 0
    g = sp.Symbol("g", positive=True)
    return sp.simplify(sp.limit(kappa_spiked.subs(gamma, 1 + g), lam, 0, "+").subs(g, gamma - 1))


def derive_dkappa0() -> sp.Expr:
    # the limit is taken with γ > 1 (the ridgeless domain): substitute γ = 1 + g, g > 0
    g = sp.Symbol("g", positive=True)
    dk = sp.diff(kappa_spiked, lam).subs(gamma, 1 + g)
    return sp.simplify(sp.limit(dk, lam, 0, "+").subs(g, gamma - 1))


# -- Eq. (23) ------------------------------------------------------------------------------------
def risk_sum(k, dk, spectrum_weights) -> sp.Expr:
    """Eq. (23): κ' κ² Σ λ_i (βᵀu_i)² / (κ + λ_i)², the sum given as (λ_i, (βᵀu_i)², multiplicity)."""
    return dk * k**2 * sum(mult * ev * ov / (k + ev) ** 2 for ev, ov, mult in spectrum_weights)


def _spiked_weights():
    """Σ's spectrum against β: the spike u₁ = μ carries A², the bulk eigenvector
    u₂ = (I − μμᵀ)β/‖·‖ carries 1 − A², every other bulk eigenvector 0."""
    return [(sigma2 * (1 + rho), A**2, 1), (sigma2, 1 - A**2, 1)]


R_lambda_hat_general = sp.diff(kappa, lam) * kappa**2 * sp.Sum(
    _ev[_i] * _ov[_i] / (kappa + _ev[_i]) ** 2, (_i, 1, d))


@cache
def derive_R_lambda_hat() -> sp.Expr:
    return risk_sum(kappa_spiked, sp.diff(kappa_spiked, lam), _spiked_weights())


R_lambda_hat = derive_R_lambda_hat()


@cache
def derive_R0_hat() -> sp.Expr:
    """Eq. (23) with Eq. (26): substitute κ → σ²(γ − 1), κ' → γ/(γ − 1), then factor σ²(1 − 1/γ)."""
    return sp.factor(sp.simplify(risk_sum(kappa0, dkappa0, _spiked_weights())))


R0_hat = sigma2 * (1 - 1 / gamma) * (1 - A**2 * (1 - (1 + rho) / (1 + rho / gamma) ** 2))
#: Eq. (27) as printed, with κ read as κ(0⁺) = σ²(γ − 1) of Eq. (26), the only κ in scope there
R0_hat_printed = sigma2 * (1 - 1 / gamma) * (1 - A**2 * (1 - (1 + kappa0) / (1 + kappa0 / gamma) ** 2))

R0_isotropic = sigma2 * (1 - 1 / gamma)
signal_variance = sigma2 * (1 + rho * A**2)
R0_normalized = sp.simplify(R0_hat / signal_variance)

# -- finite d: Eq. (24) with the exact spectrum, n = d/γ -----------------------------------------
_n_of = d / gamma


@cache
def derive_kappa0_finite() -> sp.Expr:
    """Eq. (24) at λ = 0 with spectrum {σ²(1 + ρ), σ² × (d − 1)}, n = d/γ: the positive root of
    n(κ + λ₁)(κ + σ²) − λ₁(κ + σ²) − (d − 1)σ²(κ + λ₁) = 0 (constant term λ₁σ²(n − d) < 0)."""
    l1 = sigma2 * (1 + rho)
    poly = sp.Poly(sp.expand(_n_of * (kappa + l1) * (kappa + sigma2) - l1 * (kappa + sigma2)
                             - (d - 1) * sigma2 * (kappa + l1)), kappa)
    a2, a1, a0 = poly.all_coeffs()
    return (-a1 + sp.sqrt(a1**2 - 4 * a2 * a0)) / (2 * a2)


kappa0_finite = derive_kappa0_finite()


def _dkappa_finite(k):
    """κ'(0⁺) from differentiating Eq. (24): 1/(1 − (1/n) Σ λ_i²/(κ + λ_i)²)."""
    l1 = sigma2 * (1 + rho)
    df2 = (l1**2 / (k + l1) ** 2 + (d - 1) * sigma2**2 / (k + sigma2) ** 2) / _n_of
    return 1 / (1 - df2)


dkappa0_finite = _dkappa_finite(kappa0_finite)
R0_hat_finite = risk_sum(kappa0_finite, dkappa0_finite, _spiked_weights())


def R_lambda_hat_finite(*, sigma2, rho, A, gamma, d, lam, prec: int = 30):
    """Eqs. (23)-(24) at finite d and λ > 0 (n = d/γ): κ is the positive root of the cubic
    λ(κ + λ₁)(κ + σ²) + (κ/n)[λ₁(κ + σ²) + (d − 1)σ²(κ + λ₁)] = κ(κ + λ₁)(κ + σ²). Returns a
    SymPy Float at ``prec`` digits. Domains as the claim ``ridge.R_lambda_hat``; d an integer."""
    vals = CLAIM_R_LAMBDA.check_params(dict(sigma2=sigma2, rho=rho, A=A, gamma=gamma, lam=lam))
    if not (isinstance(d, int) and d >= 2):
        raise ValueError(f"d must be an integer >= 2, got {d!r}")
    s2, r, a, g, lm = (vals[k] for k in ("sigma2", "rho", "A", "gamma", "lam"))
    n_, l1 = sp.Integer(d) / g, s2 * (1 + r)
    poly = sp.Poly(sp.expand(lm * (kappa + l1) * (kappa + s2)
                             + kappa / n_ * (l1 * (kappa + s2) + (d - 1) * s2 * (kappa + l1))
                             - kappa * (kappa + l1) * (kappa + s2)), kappa)
    roots = [z for z in poly.nroots(n=prec + 10) if z.is_real and z > 0]
    if len(roots) != 1:
        raise ValueError(f"Eq. (24) has {len(roots)} positive roots here; expected exactly one")
    k = roots[0]
    df2 = (l1**2 / (k + l1) ** 2 + (d - 1) * s2**2 / (k + s2) ** 2) / n_
    # κ = λ + (κ/n) Σ λ_i/(κ + λ_i) differentiated in λ: κ'(1 − (1/n) Σ λ_i²/(κ + λ_i)²) = 1
    dk = 1 / (1 - df2)
    out = risk_sum(k, dk, [(l1, a**2, 1), (s2, 1 - a**2, 1)])
    return sp.N(out, prec)


# -- implicit bias of small-init GD (000 §4, Eq. 21) -------------------------------------------------
#: RMS of ‖Wᵀa − β̂₀‖/‖a‖ at zero training loss, n = d/γ; its order in s is s·∂log/∂s = 1
implicit_bias_gap = s * sp.sqrt(1 - 1 / gamma)


def derive_implicit_bias_gap() -> sp.Expr:
    """E‖Π_⊥W₀ᵀa‖² = Σ_j a_j² E‖Π_⊥w_j‖² = ‖a‖²(s²/d)(d − n), n = d/γ; the square root over ‖a‖."""
    return sp.sqrt(sp.simplify((s**2 / d) * (d - d / gamma)))


# -- registry --------------------------------------------------------------------------------------
_SPIKE = "spiked model Σ = σ²(I + ρμμᵀ), n, d → ∞ with d/n = γ"
_N_NOTE = "n = d/γ need not be an integer in the formula; simulations use n = round(d/γ) and γ = d/n."

register(Claim(
    id="ridge.kappa_equation", expr=kappa_equation, params=("sigma2", "rho", "gamma", "d", "lam", "kappa"),
    source="000 Eq. (24)",
    statement="κ(λ) is the unique positive solution of 1 = λ/κ + (1/n) Σ_i λ_i/(κ + λ_i); here for Σ's "
    "exact spectrum (σ²(1 + ρ) once, σ² d − 1 times) with n = d/γ (the general-spectrum form is "
    "theory.ridge.kappa_equation_general).",
    conditions="For λ = 0 a positive root exists only when d > n (Σ of full rank).",
))
register(Claim(
    id="ridge.kappa_equation_spiked", expr=kappa_equation_spiked, params=("sigma2", "gamma", "lam", "kappa"),
    source="000 Eq. (25)", derived_from=("ridge.kappa_equation",),
    statement="In the " + _SPIKE + ", the spike's weight 1/d drops out and Eq. (24) becomes "
    "1 = λ/κ + γσ²/(κ + σ²) (implicit in κ).",
))
CLAIM_KAPPA = register(Claim(
    id="ridge.kappa_spiked", expr=kappa_spiked, params=("sigma2", "gamma", "lam"),
    source="000 Eq. (25)", derived_from=("ridge.kappa_equation_spiked",),
    statement="The positive root of Eq. (25): κ(λ) = [λ + σ²(γ − 1) + √((λ + σ²(γ − 1))² + 4λσ²)]/2.",
    derivation=derive_kappa_spiked,
))
register(Claim(
    id="ridge.kappa0", expr=kappa0, params=("sigma2", "gamma"), source="000 Eq. (26)",
    derived_from=("ridge.kappa_spiked",), domains=OVERPARAMETRIZED,
    statement="lim_{λ→0⁺} κ(λ) = σ²(γ − 1) for γ > 1.", derivation=derive_kappa0,
))
register(Claim(
    id="ridge.dkappa0", expr=dkappa0, params=("gamma",), source="000 Eq. (26)",
    derived_from=("ridge.kappa_spiked",), domains=OVERPARAMETRIZED,
    statement="lim_{λ→0⁺} ∂κ/∂λ = γ/(γ − 1) for γ > 1.", derivation=derive_dkappa0,
))
CLAIM_R_LAMBDA = register(Claim(
    id="ridge.R_lambda_hat", expr=R_lambda_hat, params=("sigma2", "rho", "A", "gamma", "lam"),
    source="000 Eq. (23)", derived_from=("ridge.kappa_spiked",),
    statement="Asymptotic ridge risk E[(β̂_λᵀx − βᵀx)²] → κ'κ² Σ_i λ_i(βᵀu_i)²/(κ + λ_i)², evaluated "
    "for the " + _SPIKE + " with κ from Eq. (25).",
    derivation=derive_R_lambda_hat,
))
register(Claim(
    id="ridge.R0_hat", expr=R0_hat, params=("sigma2", "rho", "A", "gamma"), source="000 Eq. (27)",
    derived_from=("ridge.R_lambda_hat", "ridge.kappa0", "ridge.dkappa0"), domains=OVERPARAMETRIZED,
    as_printed=R0_hat_printed,
    statement="Min-norm (ridgeless) risk σ²(1 − 1/γ)[1 − A²(1 − (1 + ρ)/(1 + ρ/γ)²)] for γ > 1.",
    conditions="Erratum: Eq. (27) prints κ where the derivation from Eqs. (23) and (26) gives ρ; the "
    "printed form is read with κ = κ(0⁺) = σ²(γ − 1) of Eq. (26). With ρ in place of κ the spike "
    "term is λ₁κ'κ²/(κ + λ₁)² = σ²(1 − 1/γ)(1 + ρ)/(1 + ρ/γ)². The printed form ignores ρ entirely. "
    "Two refutations: (i) symbolic, by the paper's own next sentence ('with ρ = 0 [it] recovers "
    "previous results for isotropic data', σ²(1 − 1/γ)): read literally, the printed form at ρ = 0 "
    "is σ²(1 − 1/γ)[1 − A²(1 − (1 + κ)/(1 + κ/γ)²)], not σ²(1 − 1/γ) for A > 0, while the derived "
    "form is; (ii) Monte-Carlo: min-norm risks at d = 500 miss the printed form and match the derived "
    "one (verify/test_ridge.py).",
    derivation=derive_R0_hat,
))
register(Claim(
    id="ridge.R0_isotropic", expr=R0_isotropic, params=("sigma2", "gamma"), source="000 Eq. (27), ρ = 0",
    derived_from=("ridge.R0_hat",), domains=OVERPARAMETRIZED,
    statement="With ρ = 0 (or A = 0) Eq. (27) reduces to the isotropic result σ²(1 − 1/γ).",
    derivation=lambda: sp.simplify(R0_hat.subs(rho, 0)),
))
register(Claim(
    id="ridge.signal_variance", expr=signal_variance, params=("sigma2", "rho", "A"),
    source="000 §4 (after Eq. 27)",
    statement="E[y²] = βᵀΣβ = σ²(1 + ρA²).",
    derivation=lambda: sp.expand(sigma2 * (1 + rho * A**2)),
))
CLAIM_NORMALIZED = register(Claim(
    id="ridge.R0_normalized", expr=R0_normalized, params=("rho", "A", "gamma"),
    source="000 §4 (after Eq. 27), Figs. 4-5", domains=OVERPARAMETRIZED,
    derived_from=("ridge.R0_hat", "ridge.signal_variance"),
    statement="Normalized min-norm error R̂0/(σ²(1 + ρA²)); σ² cancels.",
    derivation=lambda: sp.simplify(derive_R0_hat() / signal_variance),
))
register(Claim(
    id="ridge.normalized_decreases_with_rho", expr=sp.diff(R0_normalized, rho),
    params=("rho", "A", "gamma"), source="000 §4 (after Eq. 27)", domains=OVERPARAMETRIZED,
    derived_from=("ridge.R0_normalized",),
    statement="A larger spike lowers the normalized error: ∂/∂ρ[R̂0/E y²] ≤ 0, strictly for A > 0.",
))
register(Claim(
    id="ridge.normalized_decreases_with_A", expr=sp.diff(R0_normalized, A),
    params=("rho", "A", "gamma"), source="000 §4 (after Eq. 27)", domains=OVERPARAMETRIZED,
    derived_from=("ridge.R0_normalized",),
    statement="Better alignment lowers the normalized error: ∂/∂A[R̂0/E y²] ≤ 0, strictly for "
    "ρ > 0 and A > 0.",
))
register(Claim(
    id="ridge.no_benefit_orthogonal", expr=R0_normalized.subs(A, 0), params=("gamma",),
    source="000 §4 (after Eq. 27)", domains=OVERPARAMETRIZED, derived_from=("ridge.R0_normalized",),
    statement="With A = 0 the spike brings no benefit: the normalized error is 1 − 1/γ for every ρ.",
    derivation=lambda: 1 - 1 / gamma,
))
_FIN = dict(domains=OVERPARAMETRIZED, conditions=_N_NOTE)
register(Claim(
    id="ridge.kappa0_finite", expr=kappa0_finite, params=("sigma2", "rho", "gamma", "d"),
    source="000 Eq. (24) at finite d", derived_from=("ridge.kappa_equation",),
    statement="κ(0⁺) of Eq. (24) with Σ's exact spectrum (one spike σ²(1 + ρ), d − 1 bulk σ²) and "
    "n = d/γ: the positive root of a quadratic.", **_FIN,
))
register(Claim(
    id="ridge.R0_hat_finite", expr=R0_hat_finite, params=("sigma2", "rho", "A", "gamma", "d"),
    source="000 Eqs. (23)-(24) at finite d", derived_from=("ridge.kappa0_finite",),
    statement="Eq. (23) at λ → 0⁺ with the finite-d κ(0⁺) and κ'(0⁺) = 1/(1 − (1/n)Σλ_i²/(κ + λ_i)²): "
    "the finite-d target for simulations; tends to R̂0 as d → ∞.", **_FIN,
))
register(Claim(
    id="ridge.implicit_bias", expr=implicit_bias_gap, params=("s", "gamma"),
    source="000 §4 (around Eq. 21)", domains=OVERPARAMETRIZED, derivation=derive_implicit_bias_gap,
    statement="Gradient descent of f(x) = aᵀWx from W_ij ~ N(0, s²/d), a_i ~ N(0, s²/m) to zero training "
    "loss ends near the min-norm solution β̂₀ of Eq. (21): ‖Wᵀa − β̂₀‖/‖a‖ has RMS s√(1 − 1/γ), so the gap "
    "and the risk difference R(Wᵀa) − R(β̂₀) are O(s) (order 1 in s) and vanish as s → 0.",
    conditions="The paper states the implicit bias without an order. Derivation in theory/ridge.py: only "
    "W₀'s part outside row(X) survives training, and it multiplies the final a, which is O(1) "
    "(‖a‖² ≈ ‖Wᵀa‖ by balance); the O(s²) size of W₀ᵀa₀ holds only at initialization. The risk "
    "difference 2(β̂₀ − β)ᵀΣg + gᵀΣg is O(s) because its first term is linear in the gap g.",
))
