"""Learning claims of the aligned spiked model (paper 002, BES+23 and Donhauser et al. 2021).

Target used by the simulations: f*(x) = σ*(z), z = ⟨x, β*⟩/√(1 + θ) ~ N(0, 1) (slide 'Setting:
Anisotropic Data with Perfect Alignment'), σ* = (h1 + h2 + h3)/√3 with h_j = He_j/√(j!) the
orthonormal Hermite polynomials, so each Hermite part has squared norm 1/3 (degree p = 3, k = 1).
"""

from __future__ import annotations

import sympy as sp

from .claims import Claim, register
from .symbols import deg_p, ell, gamma2, k

__all__ = ["plateau_level", "donhauser_exponent", "krr_threshold_exponent", "nn_krr_gap"]

#: squared Hermite coefficients a_j² of the simulated link σ* = (h1 + h2 + h3)/√3
LINK_COEFFS = {1: sp.Rational(1, 3), 2: sp.Rational(1, 3), 3: sp.Rational(1, 3)}

plateau_level = sp.Piecewise((1, ell < 1), (sp.Rational(2, 3), ell < 2), (sp.Rational(1, 3), ell < 3), (0, True))


def _derive_plateau():
    """‖P_{>ℓ}f*‖² = Σ_{j>ℓ} E[(a_j He_j(z)/√j!)²] by Gaussian integration (cross terms vanish),
    one branch per integer ℓ < 3 (ℓ ≥ 3: nothing left)."""
    z = sp.Symbol("z", real=True)
    phi = sp.exp(-z**2 / 2) / sp.sqrt(2 * sp.pi)
    norms = {j: sp.integrate(a2 * sp.hermite_prob(j, z)**2 / sp.factorial(j) * phi, (z, -sp.oo, sp.oo))
             for j, a2 in LINK_COEFFS.items()}
    top = max(norms)
    branches = [(sum(v for j, v in norms.items() if j > m), ell < m + 1) for m in range(top)]
    return sp.Piecewise(*branches, (0, True))


register(Claim(
    id="spiked_learning.plateau_level", expr=plateau_level, params=("ell",),
    source="002 slide 'Theorem ([BES+23] Necessary and Sufficient Conditions for KRR)': "
    "R(ĥ_ker) − ‖P_{>ℓ}f*‖² = o(1)",
    statement="For the simulated target σ* = (h1 + h2 + h3)/√3, the KRR risk plateau "
    "‖P_{>ℓ}f*‖² = 1, 2/3, 1/3, 0 for ℓ = 0, 1, 2, ≥ 3, reached for θ ≍ d^γ, γ ∈ (1 − 1/ℓ, 1 − 1/(ℓ+1)), n/d → ψ.",
    derived_from=("single_index.krr_learnable_degree",),
    conditions="Inner-product kernel k(x, y) = g(⟨x, y⟩/d) with g smooth and all Taylor coefficients "
    "positive (the slides' 'Student Model I'); the slide's '1 − 1/ℓ+1' read as 1 − 1/(ℓ + 1). ℓ is "
    "the learnable degree ⌊1/(1 − γ)⌋ (single_index.krr_learnable_degree).",
    derivation=_derive_plateau,
))

donhauser_exponent = (1 - gamma2) * deg_p
register(Claim(
    id="spiked_learning.donhauser_exponent", expr=donhauser_exponent, params=("gamma2", "deg_p"),
    source="002 slide 'Interplay between Spike Magnitude and Alignment', Theorem ([Donhauser et al. "
    "2021] KRR lower bound, informal): n ≍ d^{Θ((1−γ2)ρ)} (the slide's ρ read as the degree p)",
    statement="Rotationally invariant kernels need n ≍ d^{c·(1 − γ2)p} samples to learn a degree-p "
    "f*, for a constant c = Θ(1): the expression is the exponent (1 − γ2)p up to that Θ-constant.",
    conditions="Θ(·): only the form (1 − γ2)p is claimed, not the constant. Consistency with "
    "item 3 (n ≍ d, exponent 1): degree p learnable iff (1 − γ2)p < 1, i.e. p ≤ ⌊1/(1 − γ2)⌋ off "
    "the boundaries 1/(1 − γ2) ∈ ℕ, which pins c = 1 at the proportional scale.",
))

krr_threshold_exponent = 1 - 1 / deg_p
register(Claim(
    id="spiked_learning.krr_threshold_exponent", expr=krr_threshold_exponent, params=("deg_p",),
    source="002 slides 'Theorem ([BES+23] Necessary and Sufficient Conditions for KRR)' and "
    "'Summary: Learning in the Proportional Regime' (KRR: θ = Ω(d^{1−1/p}) necessary)",
    statement="KRR at n ≍ d learns the degree-p Hermite part iff γ > 1 − 1/p.",
    derived_from=("single_index.krr_learnable_degree",),
    derivation=lambda: sp.solve(sp.Eq(1 / (1 - gamma2), deg_p), gamma2)[0],
))

nn_krr_gap = 1 / k - 1 / deg_p
register(Claim(
    id="spiked_learning.nn_krr_gap", expr=nn_krr_gap, params=("k", "deg_p"),
    source="002 slide 'Comparing KRR and NN': k ≤ p ⇒ NN + GD adapts more efficiently",
    statement="γ*_KRR − γ*_NN = (1 − 1/p) − (1 − 1/k) = 1/k − 1/p ≥ 0 when k ≤ p.",
    derived_from=("single_index.nn_threshold_exponent", "spiked_learning.krr_threshold_exponent"),
    derivation=lambda: krr_threshold_exponent - (1 - 1 / k),
))
