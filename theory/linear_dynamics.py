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
